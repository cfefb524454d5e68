package org.mlflowharness.load.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static org.mlflowharness.load.endpoints.MlflowRequests.recorded;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.mlflowharness.client.Names;
import org.mlflowharness.config.Sizes;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.endpoints.MlflowRequests;

/**
 * resilience: steady load while the runner restarts components. Training jobs ({@link TrainingJob}, steps[0]) log
 * metrics and {@code uploadUsers} users each upload a {@code sizes[0]}-byte artifact {@code uploadRate} times a second,
 * every upload to its own path in the user's run, until the runner sets {@code done} in the context (after the last
 * fault has recovered and the load settled) or the scenario's time bound ends.
 */
public class ResilienceSimulation extends Simulation {

    private final LoadContext ctx = LoadContext.current();
    private final Profile.Resilience plan = ctx.settings.resilience();
    private final long size = ctx.settings.sizes().get(0);
    private final Duration atMost = ctx.maxDuration(Duration.ofHours(1));
    private final BooleanSupplier goOn = () -> !ctx.data.containsKey(LoadContext.DONE);
    private final AtomicInteger next = new AtomicInteger();

    ScenarioBuilder training = TrainingJob.scenario(ctx, atMost, goOn);

    ScenarioBuilder uploading = scenario("uploads")
            .exec(s -> s.setAll(slot()))
            .asLongAsDuring(s -> goOn.getAsBoolean(), atMost, "n", false)
            .on(pace(Duration.ofMillis(Math.round(1000 / plan.uploadRate())))
                    .exec(s -> s.set(
                                    "path",
                                    s.getString("experimentId") + "/" + s.getString("runId") + "/artifacts/upload-"
                                            + s.getInt("n") + ".bin")
                            .set("t0", System.nanoTime()))
                    .exec(recorded(
                            s -> "PUT artifact " + Sizes.format(size),
                            MlflowRequests.putLarge(Duration.ofSeconds(ctx.settings.timeoutSeconds())),
                            (status, s) -> ctx.uploads.add(LargeUploadSimulation.upload(status, s)))));

    @Override
    public void before() {
        String exp = ctx.client.createExperiment(Names.unique("load-resilience"));
        ctx.experiments.add(exp);
        ctx.data.put("experimentId", exp);
        List<Map<String, Object>> slots = new ArrayList<>();
        for (int u = 0; u < plan.uploadUsers(); u++) {
            slots.add(Map.of(
                    "experimentId",
                    exp,
                    "runId",
                    ctx.client.createRun(exp).getString("run_id"),
                    "size",
                    size,
                    "seed",
                    size,
                    "sizeLabel",
                    Sizes.format(size)));
        }
        ctx.data.put("slots", slots);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> slot() {
        List<Map<String, Object>> slots = (List<Map<String, Object>>) ctx.data.get("slots");
        return slots.get(next.getAndIncrement() % slots.size());
    }

    {
        List<PopulationBuilder> populations =
                new ArrayList<>(List.of(training.injectOpen(atOnceUsers(ctx.step.users()))));
        if (plan.uploadUsers() > 0) {
            populations.add(uploading.injectOpen(atOnceUsers(plan.uploadUsers())));
        }
        setUp(populations).protocols(MlflowRequests.protocol(ctx.endpoints)).maxDuration(atMost);
    }
}
