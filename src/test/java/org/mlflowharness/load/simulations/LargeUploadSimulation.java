package org.mlflowharness.load.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static org.mlflowharness.load.endpoints.MlflowRequests.recorded;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.endpoints.MlflowRequests;
import org.mlflowharness.suites.support.Names;

/**
 * large-upload: {@code users} (K) concurrent uploads, each user uploading every size in {@code sizes} in ascending
 * order through nginx to the proxied artifact API, streamed from deterministic content (seed = size). A user stops at
 * its first failed size, so the report shows the largest size that worked and how the next one failed.
 */
public class LargeUploadSimulation extends Simulation {

    private final LoadContext ctx = LoadContext.current();
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Long> sizes = ctx.settings.sizes().stream().sorted().toList();

    ScenarioBuilder upload = scenario("large upload")
            .exec(s -> s.setAll(slot()))
            .foreach(new ArrayList<Object>(sizes), "size").on(
                    io.gatling.javaapi.core.CoreDsl.exec(this::prepare)
                            .exec(recorded(s -> "PUT artifact " + s.getString("sizeLabel"),
                                    MlflowRequests.putLarge(Duration.ofSeconds(ctx.settings.timeoutSeconds())), this::account))
                            .exitHereIfFailed());

    @Override
    public void before() {
        String exp = ctx.client.createExperiment(Names.unique("load-upload"));
        ctx.experiments.add(exp);
        List<Map<String, Object>> slots = new ArrayList<>();
        for (int u = 0; u < ctx.step.users(); u++) {
            String run = ctx.client.createRun(exp).getString("run_id");
            slots.add(Map.of("experimentId", exp, "runId", run, "user", u));
        }
        ctx.data.put("slots", slots);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> slot() {
        List<Map<String, Object>> slots = (List<Map<String, Object>>) ctx.data.get("slots");
        return slots.get(next.getAndIncrement() % slots.size());
    }

    private Session prepare(Session s) {
        long size = s.getLong("size");
        return s.set("seed", size).set("sizeLabel", Profile.formatSize(size))
                .set("path", s.getString("experimentId") + "/" + s.getString("runId") + "/artifacts/upload-" + Profile.formatSize(size) + "-u" + s.getInt("user") + ".bin")
                .set("t0", System.nanoTime());
    }

    private void account(Integer status, Session s) {
        ctx.uploads.add(new LoadContext.Upload(ctx.string("variant"), s.getLong("size"), s.getInt("user"), s.getString("experimentId"),
                s.getString("runId"), s.getString("path"), status, s.getLong("t0"), System.nanoTime()));
    }

    {
        long budget = (long) ctx.settings.timeoutSeconds() * sizes.size() + 60;
        setUp(upload.injectOpen(atOnceUsers(ctx.step.users())))
                .protocols(MlflowRequests.protocol(ctx.endpoints))
                .assertions(ctx.settings.slo().gatlingAssertions())
                .maxDuration(Duration.ofSeconds(budget));
    }
}
