package org.mlflowharness.load.simulations;

import static io.gatling.javaapi.core.CoreDsl.pace;
import static org.mlflowharness.load.endpoints.MlflowRequests.CREATE_RUN;
import static org.mlflowharness.load.endpoints.MlflowRequests.END_RUN;
import static org.mlflowharness.load.endpoints.MlflowRequests.LOG_BATCH;
import static org.mlflowharness.load.endpoints.MlflowRequests.LOG_METRIC;
import static org.mlflowharness.load.endpoints.MlflowRequests.recorded;

import io.gatling.javaapi.core.CoreDsl;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.MetricLedger;
import org.mlflowharness.load.MetricPoints;

/**
 * A training job of the load scenarios: creates its run in experiment {@code experimentId} (set in the simulation's
 * before()), then per iteration, at the step's rate, logs one log-batch of {@code batchSize} points and one single
 * log-metric, and finally ends its run. Every acknowledged point goes into the ledger the verifier checks afterwards.
 */
final class TrainingJob {

    private TrainingJob() {}

    /** Jobs that log for {@code atMost}, or until {@code goOn} turns false. */
    static ScenarioBuilder scenario(LoadContext ctx, Duration atMost, BooleanSupplier goOn) {
        return CoreDsl.scenario("training job")
                .exec(s ->
                        s.set("experimentId", ctx.string("experimentId")).set("startTime", System.currentTimeMillis()))
                .exec(recorded("create run", CREATE_RUN))
                .exitHereIfFailed()
                .exec(s -> {
                    ctx.ledger.run(s.getString("runId"));
                    return s;
                })
                .asLongAsDuring(s -> goOn.getAsBoolean(), atMost, "i", false)
                .on(pace(Duration.ofMillis(Math.round(1000 / ctx.step.rate())))
                        .exec(s -> prepare(ctx, s))
                        .exec(recorded(
                                s -> "log-batch", LOG_BATCH, (st, s) -> account(ctx, st, s, s.get("batchPoints"))))
                        .exec(recorded(
                                s -> "log-metric",
                                LOG_METRIC,
                                (st, s) -> account(ctx, st, s, List.of((MetricLedger.Point) s.get("singlePoint"))))))
                .exec(s -> s.set("endTime", System.currentTimeMillis()))
                .exec(recorded("end run", END_RUN));
    }

    private static Session prepare(LoadContext ctx, Session s) {
        long i = s.getInt("i");
        long now = System.currentTimeMillis();
        String runId = s.getString("runId");
        List<MetricLedger.Point> batch = MetricPoints.batch(i, ctx.settings.batchSize(), now);
        MetricLedger.Point single = MetricPoints.single(i, now);
        return s.set("batchPoints", batch)
                .set("batchBody", MetricPoints.batchBody(runId, batch, null, null))
                .set("singlePoint", single)
                .set("metricBody", MetricPoints.metricBody(runId, single));
    }

    private static void account(LoadContext ctx, Integer status, Session s, List<MetricLedger.Point> points) {
        if (status != null && status == 200) {
            ctx.ledger.acknowledge(s.getString("runId"), points);
        } else if (status != null && status == 503) {
            ctx.ledger.unavailable();
        }
    }
}
