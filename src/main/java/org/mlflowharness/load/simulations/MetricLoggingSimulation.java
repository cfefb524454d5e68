package org.mlflowharness.load.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import org.mlflowharness.client.Names;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.endpoints.MlflowRequests;

/**
 * metric-logging: {@code users} concurrent training jobs ({@link TrainingJob}); each creates a run, then for
 * {@code durationSeconds} logs at {@code rate} iterations/s (one log-batch of {@code batchSize} points and one single
 * log-metric per iteration), then ends the run. Every acknowledged point goes into the ledger the verifier checks afterwards.
 */
public class MetricLoggingSimulation extends Simulation {

    private final LoadContext ctx = LoadContext.current();

    ScenarioBuilder job = TrainingJob.scenario(ctx, Duration.ofSeconds(ctx.settings.durationSeconds()), () -> true);

    @Override
    public void before() {
        String id = ctx.client.createExperiment(Names.unique("load-metrics"));
        ctx.experiments.add(id);
        ctx.data.put("experimentId", id);
    }

    {
        setUp(job.injectOpen(atOnceUsers(ctx.step.users())))
                .protocols(MlflowRequests.protocol(ctx.endpoints))
                .assertions(ctx.settings.slo().gatlingAssertions())
                .maxDuration(ctx.maxDuration(Duration.ofSeconds(ctx.settings.durationSeconds() + 60L)));
    }
}
