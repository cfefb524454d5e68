package org.mlflowharness.load.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static org.mlflowharness.load.endpoints.MlflowRequests.CREATE_RUN;
import static org.mlflowharness.load.endpoints.MlflowRequests.END_RUN;
import static org.mlflowharness.load.endpoints.MlflowRequests.GET_ARTIFACT;
import static org.mlflowharness.load.endpoints.MlflowRequests.LIST_ARTIFACTS;
import static org.mlflowharness.load.endpoints.MlflowRequests.LOG_BATCH;
import static org.mlflowharness.load.endpoints.MlflowRequests.METRIC_HISTORY;
import static org.mlflowharness.load.endpoints.MlflowRequests.PUT_SMALL_ARTIFACT;
import static org.mlflowharness.load.endpoints.MlflowRequests.SEARCH_EXPERIMENTS;
import static org.mlflowharness.load.endpoints.MlflowRequests.SEARCH_RUNS;
import static org.mlflowharness.load.endpoints.MlflowRequests.recorded;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.MetricLedger;
import org.mlflowharness.load.MetricPoints;
import org.mlflowharness.load.endpoints.MlflowRequests;

/**
 * mixed: about 20% training users (create a run, log metrics and a param in one batch, upload a small artifact, end
 * the run) and 80% browsing users (search experiments and runs, read a metric history, list and download artifacts
 * of seeded runs), each iterating at {@code rate}/s for {@code durationSeconds}. Seed data is created in before().
 */
public class MixedSimulation extends Simulation {

    private final LoadContext ctx = LoadContext.current();
    private final int writers = Math.min(ctx.step.users(), Math.max(1, (int) Math.round(ctx.step.users() * 0.2)));
    private final int readers = ctx.step.users() - writers;
    private final Duration duration = Duration.ofSeconds(ctx.settings.durationSeconds());
    private final Duration pace = Duration.ofMillis(Math.round(1000 / ctx.step.rate()));

    ScenarioBuilder training = scenario("training")
            .exec(this::common)
            .during(duration, "iteration", false)
            .on(pace(pace)
                    .exec(s -> s.remove("runId").set("startTime", System.currentTimeMillis()))
                    .exec(recorded("create run", CREATE_RUN))
                    .doIf(s -> s.contains("runId"))
                    .then(exec(this::batch) // no run: nothing more to send this iteration
                            .exec(recorded(s -> "log-batch", LOG_BATCH, this::account))
                            .exec(recorded("put small artifact", PUT_SMALL_ARTIFACT))
                            .exec(s -> s.set("endTime", System.currentTimeMillis()))
                            .exec(recorded("end run", END_RUN))));

    ScenarioBuilder browsing = scenario("browsing")
            .exec(this::common)
            .during(duration, "iteration", false)
            .on(pace(pace)
                    .exec(s -> s.set("seedRunId", seedRun()))
                    .exec(recorded("search experiments", SEARCH_EXPERIMENTS))
                    .exec(recorded("search runs", SEARCH_RUNS))
                    .exec(recorded("metric history", METRIC_HISTORY))
                    .exec(recorded("list artifacts", LIST_ARTIFACTS))
                    .exec(recorded("download artifact", GET_ARTIFACT)));

    @Override
    public void before() {
        String exp = ctx.client.createExperiment(Names.unique("load-mixed"));
        ctx.experiments.add(exp);
        ctx.data.put("experimentId", exp);
        String[] seeds = new String[3];
        for (int r = 0; r < seeds.length; r++) {
            String run = ctx.client.createRun(exp).getString("run_id");
            for (int step = 0; step < 50; step += 10) {
                ctx.client.logBatch(run, history(step), List.of(), List.of());
            }
            byte[] model = ("seed model " + run + "\n").repeat(200).getBytes(StandardCharsets.UTF_8);
            ctx.client
                    .artifacts()
                    .upload(
                            exp + "/" + run + "/artifacts/model.txt",
                            new java.io.ByteArrayInputStream(model),
                            model.length);
            seeds[r] = run;
        }
        ctx.data.put("seedRuns", List.of(seeds));
    }

    @SuppressWarnings("unchecked")
    private String seedRun() {
        List<String> runs = (List<String>) ctx.data.get("seedRuns");
        return runs.get(ThreadLocalRandom.current().nextInt(runs.size()));
    }

    private Session common(Session s) {
        return s.set("experimentId", ctx.string("experimentId"))
                .set("namePrefix", ctx.namePrefix)
                .set("smallBody", "x".repeat(4096));
    }

    private Session batch(Session s) {
        long now = System.currentTimeMillis();
        List<MetricLedger.Point> points = MetricPoints.batch(0, ctx.settings.batchSize(), now);
        ctx.ledger.run(s.getString("runId"));
        return s.set("batchPoints", points)
                .set("batchBody", MetricPoints.batchBody(s.getString("runId"), points, "lr", "0.01"));
    }

    private void account(Integer status, Session s) {
        List<MetricLedger.Point> points = s.get("batchPoints");
        if (status != null && status == 200 && s.contains("runId")) {
            ctx.ledger.acknowledge(s.getString("runId"), points);
        } else if (status != null && status == 503) {
            ctx.ledger.unavailable();
        }
    }

    /** Seed history of metric "loss": 10 steps from {@code from}. */
    private static List<Map<String, Object>> history(int from) {
        long now = System.currentTimeMillis();
        return IntStream.range(from, from + 10)
                .mapToObj(step -> MlflowClient.metric("loss", 1.0 / (step + 1), now, step))
                .toList();
    }

    {
        List<PopulationBuilder> populations = new ArrayList<>(List.of(training.injectOpen(atOnceUsers(writers))));
        if (readers > 0) {
            populations.add(browsing.injectOpen(atOnceUsers(readers)));
        }
        setUp(populations)
                .protocols(MlflowRequests.protocol(ctx.endpoints))
                .assertions(ctx.settings.slo().gatlingAssertions())
                .maxDuration(ctx.maxDuration(duration.plusSeconds(60)));
    }
}
