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
import java.util.concurrent.atomic.AtomicInteger;
import org.mlflowharness.client.Names;
import org.mlflowharness.config.Sizes;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.endpoints.MlflowRequests;

/**
 * large-upload, one size: {@code users} (K) concurrent uploads of {@code size} bytes (runner-set {@code ctx.data}) through
 * nginx to the proxied artifact API, each into its own run, streamed from deterministic content (seed = size).
 * The runner launches one run per size, ascending, and verifies each upload by SHA-256 afterwards.
 */
public class LargeUploadSimulation extends Simulation {

    private final LoadContext ctx = LoadContext.current();
    private final long size = (Long) ctx.data.get("size");
    private final String label = Sizes.format(size);
    private final AtomicInteger next = new AtomicInteger();

    ScenarioBuilder upload = scenario("large upload " + label)
            .exec(s -> s.setAll(slot()).set("t0", System.nanoTime()))
            .exec(recorded(
                    s -> "PUT artifact " + label,
                    MlflowRequests.putLarge(Duration.ofSeconds(ctx.settings.timeoutSeconds())),
                    this::account));

    @Override
    public void before() {
        String exp = ctx.client.createExperiment(Names.unique("load-upload-" + label));
        ctx.experiments.add(exp);
        List<Map<String, Object>> slots = new ArrayList<>();
        for (int u = 0; u < ctx.step.users(); u++) {
            String run = ctx.client.createRun(exp).getString("run_id");
            slots.add(Map.of(
                    "experimentId",
                    exp,
                    "runId",
                    run,
                    "size",
                    size,
                    "seed",
                    size,
                    "sizeLabel",
                    label,
                    "path",
                    exp + "/" + run + "/artifacts/upload-" + label + "-u" + u + ".bin"));
        }
        ctx.data.put("slots", slots);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> slot() {
        List<Map<String, Object>> slots = (List<Map<String, Object>>) ctx.data.get("slots");
        return slots.get(next.getAndIncrement() % slots.size());
    }

    private void account(Integer status, Session s) {
        ctx.uploads.add(upload(status, s));
    }

    /** An upload's outcome, from the session of the user that sent it ({@code experimentId}, {@code runId}, {@code path}, {@code t0}). */
    static LoadContext.Upload upload(Integer status, Session s) {
        return new LoadContext.Upload(
                s.getString("experimentId"),
                s.getString("runId"),
                s.getString("path"),
                status,
                s.getString(MlflowRequests.NO_RESPONSE),
                s.getLong("t0"),
                System.nanoTime());
    }

    {
        setUp(upload.injectOpen(atOnceUsers(ctx.step.users())))
                .protocols(MlflowRequests.protocol(ctx.endpoints))
                .assertions(ctx.settings.slo().gatlingAssertions())
                .maxDuration(ctx.maxDuration(Duration.ofSeconds(ctx.settings.timeoutSeconds() + 60L)));
    }
}
