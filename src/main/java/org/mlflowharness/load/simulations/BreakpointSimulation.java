package org.mlflowharness.load.simulations;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static org.mlflowharness.load.endpoints.MlflowRequests.LOG_BATCH;
import static org.mlflowharness.load.endpoints.MlflowRequests.recorded;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mlflowharness.client.Names;
import org.mlflowharness.load.Arrivals;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.MetricLedger;
import org.mlflowharness.load.MetricPoints;
import org.mlflowharness.load.endpoints.MlflowRequests;

/**
 * breakpoint, one step of the open model: log-batch requests of {@code batchSize} points arrive at {@code rate} per
 * second for {@code durationSeconds}, whatever the stack's answers take (Gatling's open injection), spread over a few
 * runs. An arrival while {@code users} requests are still unanswered is not sent and counted ({@link Arrivals}), as is
 * one that starts more than a second after its planned time: saturation of the stack or of the injector shows, never
 * hides behind a closed loop. Every acknowledged point goes into the ledger the verifier checks afterwards.
 */
public class BreakpointSimulation extends Simulation {

    static final int RUNS = 8;

    private final LoadContext ctx = LoadContext.current();
    private final Duration duration = Duration.ofSeconds(ctx.settings.durationSeconds());
    private final Arrivals arrivals = new Arrivals(ctx.step.rate(), ctx.step.users());

    ScenarioBuilder arrival = scenario("arrival")
            .exec(s -> s.set("arrival", arrivals.arrive(System.nanoTime())))
            .doIf(s -> s.getLong("arrival") >= 0)
            .then(exec(this::prepare)
                    .exec(recorded(s -> "log-batch", LOG_BATCH, this::account))
                    .exec(s -> {
                        arrivals.done();
                        return s;
                    }));

    @Override
    public void before() {
        String exp = ctx.client.createExperiment(Names.unique("load-breakpoint"));
        ctx.experiments.add(exp);
        List<String> runs = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
            String run = ctx.client.createRun(exp).getString("run_id");
            ctx.ledger.run(run);
            runs.add(run);
        }
        ctx.data.put("runs", List.copyOf(runs));
        ctx.data.put(Arrivals.KEY, arrivals);
    }

    @SuppressWarnings("unchecked")
    private Session prepare(Session s) {
        long k = s.getLong("arrival");
        List<String> runs = (List<String>) ctx.data.get("runs");
        String run = runs.get((int) (k % runs.size()));
        List<MetricLedger.Point> points =
                MetricPoints.batch(k / runs.size(), ctx.settings.batchSize(), System.currentTimeMillis());
        return s.set("runId", run)
                .set("batchPoints", points)
                .set("batchBody", MetricPoints.batchBody(run, points, null, null));
    }

    private void account(Integer status, Session s) {
        if (status != null && status == 200) {
            ctx.ledger.acknowledge(s.getString("runId"), s.get("batchPoints"));
        } else if (status != null && status == 503) {
            ctx.ledger.unavailable();
        }
    }

    {
        setUp(arrival.injectOpen(constantUsersPerSec(ctx.step.rate()).during(duration)))
                .protocols(MlflowRequests.protocol(ctx.endpoints))
                .maxDuration(ctx.maxDuration(duration.plusSeconds(30)));
    }
}
