package org.mlflowharness.load.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static org.mlflowharness.load.endpoints.MlflowRequests.CREATE_RUN;
import static org.mlflowharness.load.endpoints.MlflowRequests.END_RUN;
import static org.mlflowharness.load.endpoints.MlflowRequests.LOG_BATCH;
import static org.mlflowharness.load.endpoints.MlflowRequests.LOG_METRIC;
import static org.mlflowharness.load.endpoints.MlflowRequests.recorded;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.MetricLedger;
import org.mlflowharness.load.MetricPoints;
import org.mlflowharness.load.endpoints.MlflowRequests;
import org.mlflowharness.suites.support.Names;

/**
 * metric-logging: {@code users} concurrent training jobs; each creates a run, then for {@code durationSeconds} logs at
 * {@code rate} iterations/s (one log-batch of {@code batchSize} points and one single log-metric per iteration), then
 * ends the run. Every acknowledged point goes into the ledger the verifier checks afterwards.
 */
public class MetricLoggingSimulation extends Simulation {

    private final LoadContext ctx = LoadContext.current();

    ScenarioBuilder job = scenario("training job")
            .exec(s -> s.set("experimentId", ctx.string("experimentId")).set("startTime", System.currentTimeMillis()))
            .exec(recorded("create run", CREATE_RUN))
            .exitHereIfFailed()
            .exec(s -> {
                ctx.ledger.run(s.getString("runId"));
                return s;
            })
            .during(Duration.ofSeconds(ctx.settings.durationSeconds()), "i", false).on(
                    pace(Duration.ofMillis(Math.round(1000 / ctx.step.rate())))
                            .exec(this::prepare)
                            .exec(recorded(s -> "log-batch", LOG_BATCH, (st, s) -> account(st, s, s.get("batchPoints"))))
                            .exec(recorded(s -> "log-metric", LOG_METRIC, (st, s) -> account(st, s, List.of((MetricLedger.Point) s.get("singlePoint"))))))
            .exec(s -> s.set("endTime", System.currentTimeMillis()))
            .exec(recorded("end run", END_RUN));

    @Override
    public void before() {
        String id = ctx.client.createExperiment(Names.unique("load-metrics"));
        ctx.experiments.add(id);
        ctx.data.put("experimentId", id);
    }

    private Session prepare(Session s) {
        long i = s.getInt("i");
        long now = System.currentTimeMillis();
        String runId = s.getString("runId");
        List<MetricLedger.Point> batch = MetricPoints.batch(i, ctx.settings.batchSize(), now);
        MetricLedger.Point single = MetricPoints.single(i, now);
        return s.set("batchPoints", batch).set("batchBody", MetricPoints.batchBody(runId, batch, null, null))
                .set("singlePoint", single).set("metricBody", MetricPoints.metricBody(runId, single));
    }

    private void account(Integer status, Session s, List<MetricLedger.Point> points) {
        if (status != null && status == 200) {
            ctx.ledger.acknowledge(s.getString("runId"), points);
        } else if (status != null && status == 503) {
            ctx.ledger.unavailable();
        }
    }

    {
        setUp(job.injectOpen(atOnceUsers(ctx.step.users())))
                .protocols(MlflowRequests.protocol(ctx.endpoints))
                .assertions(ctx.settings.slo().gatlingAssertions())
                .maxDuration(ctx.maxDuration(Duration.ofSeconds(ctx.settings.durationSeconds() + 60L)));
    }
}
