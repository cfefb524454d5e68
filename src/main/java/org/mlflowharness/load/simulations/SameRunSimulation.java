package org.mlflowharness.load.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static org.mlflowharness.load.endpoints.MlflowRequests.LOG_BATCH;
import static org.mlflowharness.load.endpoints.MlflowRequests.recorded;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.MetricLedger;
import org.mlflowharness.load.MetricPoints;
import org.mlflowharness.load.endpoints.MlflowRequests;

/**
 * same-run: {@code users} writers log into one run at once, each log-batch carrying the same {@code batchSize} metric
 * keys in its own shuffled order (the pattern that deadlocks MySQL's metric tables: answered 503), plus the same param
 * and an overlapping tag. Each writer's points have their own steps, so every acknowledged point must be stored exactly
 * once. Then one client replays every acknowledged batch as it was sent ("replay log-batch"): the stack must answer
 * and store nothing twice; its latency against the run's history length is the cost of a retried batch.
 */
public class SameRunSimulation extends Simulation {

    private final LoadContext ctx = LoadContext.current();
    private final Duration duration = Duration.ofSeconds(ctx.settings.durationSeconds());
    private final List<String> acknowledgedBodies = new CopyOnWriteArrayList<>();

    ScenarioBuilder writer = scenario("writer")
            .exec(s -> s.set("runId", ctx.string("runId")))
            .during(duration, "i", false)
            .on(pace(Duration.ofMillis(Math.round(1000 / ctx.step.rate())))
                    .exec(this::prepare)
                    .exec(recorded(s -> "log-batch (same run)", LOG_BATCH, this::account)));

    ScenarioBuilder replay = scenario("replay")
            .exec(s -> s.set("runId", ctx.string("runId")))
            .foreach(s -> List.copyOf(acknowledgedBodies), "batchBody")
            .on(recorded("replay log-batch", LOG_BATCH));

    @Override
    public void before() {
        String exp = ctx.client.createExperiment(Names.unique("load-same-run"));
        ctx.experiments.add(exp);
        String run = ctx.client.createRun(exp).getString("run_id");
        ctx.ledger.run(run);
        ctx.data.put("runId", run);
        ctx.data.put("acknowledgedBodies", acknowledgedBodies);
    }

    private Session prepare(Session s) {
        long i = s.getInt("i");
        long writer = s.userId();
        long now = System.currentTimeMillis();
        List<MetricLedger.Point> points = new ArrayList<>();
        for (int k = 0; k < ctx.settings.batchSize(); k++) {
            points.add(new MetricLedger.Point("k" + k, i * 1000 + writer, now, i + writer / 4.0 + k / 8.0));
        }
        Collections.shuffle(points, new Random(i * 31 + writer));
        String runId = s.getString("runId");
        List<Map<String, Object>> metrics = points.stream()
                .map(p -> MlflowClient.metric(p.key(), p.value(), p.timestamp(), p.step()))
                .toList();
        String body = MetricPoints.json(MlflowClient.logBatchBody(
                runId,
                metrics,
                List.of(MlflowClient.keyValue("shared_param", "same")),
                List.of(MlflowClient.keyValue("last_writer", String.valueOf(writer)))));
        return s.set("batchPoints", points).set("batchBody", body);
    }

    private void account(Integer status, Session s) {
        if (status != null && status == 200) {
            ctx.ledger.acknowledge(s.getString("runId"), s.get("batchPoints"));
            acknowledgedBodies.add(s.getString("batchBody"));
        } else if (status != null && status == 503) {
            ctx.ledger.unavailable();
        }
    }

    {
        setUp(writer.injectOpen(atOnceUsers(ctx.step.users())).andThen(replay.injectOpen(atOnceUsers(1))))
                .protocols(MlflowRequests.protocol(ctx.endpoints))
                .maxDuration(ctx.maxDuration(duration.plusSeconds(120)));
    }
}
