package org.mlflowharness.load.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static org.mlflowharness.load.endpoints.MlflowRequests.LIST_ARTIFACTS;
import static org.mlflowharness.load.endpoints.MlflowRequests.LONG_METRIC_HISTORY;
import static org.mlflowharness.load.endpoints.MlflowRequests.SEARCH_EXPERIMENTS;
import static org.mlflowharness.load.endpoints.MlflowRequests.SEARCH_RUNS_FILTERED;
import static org.mlflowharness.load.endpoints.MlflowRequests.recorded;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.endpoints.MlflowRequests;

/**
 * data-volume reads: {@code users} readers, each at {@code rate} iterations/s for {@code durationSeconds}, doing the
 * reads people do on a full store: a filtered and ordered run search over the fill's experiments, the history of a long
 * metric, an experiment listing and an artifact listing. The runner sets the context's data: {@code volumeExperiments}
 * (quoted ids, comma-separated), {@code experimentId}, {@code longRunId}.
 */
public class VolumeReadsSimulation extends Simulation {

    private final LoadContext ctx = LoadContext.current();
    private final Duration duration = Duration.ofSeconds(ctx.settings.durationSeconds());

    ScenarioBuilder reader = scenario("reader")
            .exec(s -> s.set("volumeExperiments", ctx.string("volumeExperiments"))
                    .set("experimentId", ctx.string("experimentId"))
                    .set("longRunId", ctx.string("longRunId"))
                    .set("seedRunId", ctx.string("longRunId"))
                    .set("namePrefix", ctx.namePrefix))
            .during(duration, "iteration", false)
            .on(pace(Duration.ofMillis(Math.round(1000 / ctx.step.rate())))
                    .exec(recorded("search runs (filter, order-by)", SEARCH_RUNS_FILTERED))
                    .exec(recorded("metric history (long run)", LONG_METRIC_HISTORY))
                    .exec(recorded("search experiments", SEARCH_EXPERIMENTS))
                    .exec(recorded("list artifacts", LIST_ARTIFACTS)));

    {
        setUp(reader.injectOpen(atOnceUsers(ctx.step.users())))
                .protocols(MlflowRequests.protocol(ctx.endpoints))
                .maxDuration(ctx.maxDuration(duration.plusSeconds(60)));
    }
}
