package org.mlflowharness.suites.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlflowharness.suites.support.ExactValues.MAX_KEY;
import static org.mlflowharness.suites.support.MlflowErrors.INVALID_PARAMETER_VALUE;
import static org.mlflowharness.suites.support.MlflowErrors.assertMlflowError;

import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.mlflowharness.client.MlflowClient.Metric;

/**
 * The tracking suite's metric checks: history with steps and timestamps, the default step, NaN and infinities, an
 * over-long key. {@code TrackingSuite} runs it as one of its {@code @Nested} groups.
 */
public abstract class MetricChecks extends TrackingChecks {

    @Test
    @DisplayName("history returns every value with its step and timestamp, in order; the run shows the latest")
    void historyOrderStepsTimestamps() {
        String runId = run(experiment("metrics"));
        long t0 = System.currentTimeMillis();
        double[] values = {0.5, 0.25, 0.125, 1.0, -3.75};
        List<Metric> expected = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            mlflow.logMetric(runId, "loss", values[i], t0 + i * 10, i * 2L);
            expected.add(new Metric("loss", values[i], t0 + i * 10, i * 2L));
        }
        assertThat(numeric(mlflow.metricHistory(runId, "loss")))
                .as("history of 'loss' equals the logged list, in order")
                .containsExactlyElementsOf(expected);
        JsonPath got = mlflow.getRun(runId);
        assertThat(got.getDouble("run.data.metrics.find { it.key == 'loss' }.value"))
                .as("latest value (highest step) on the run")
                .isEqualTo(-3.75);
        assertThat(got.getLong("run.data.metrics.find { it.key == 'loss' }.step"))
                .as("latest step on the run")
                .isEqualTo(8L);
    }

    @Test
    @DisplayName("a metric logged without step gets step 0")
    void stepDefaultsToZero() {
        String runId = run(experiment("metricstep"));
        long t = System.currentTimeMillis();
        mlflow.post("/runs/log-metric", Map.of("run_id", runId, "key", "nostep", "value", 2.5, "timestamp", t));
        assertThat(numeric(mlflow.metricHistory(runId, "nostep")))
                .as("history of a metric logged without step")
                .containsExactly(new Metric("nostep", 2.5, t, 0));
    }

    @Test
    @DisplayName("NaN round-trips as \"NaN\"; +/-Infinity as Infinity or as the SQL store's +/-Double.MAX_VALUE")
    void nanAndInfinity(TestReporter report) {
        String runId = run(experiment("metricnan"));
        long t = System.currentTimeMillis();
        // As MLflow's own client writes them (protobuf JSON): strings.
        mlflow.logMetricRaw(runId, "nan", "NaN", t, 0);
        mlflow.logMetricRaw(runId, "pinf", "Infinity", t, 0);
        mlflow.logMetricRaw(runId, "ninf", "-Infinity", t, 0);
        // Through the typed client with Java doubles: must reach the server as the same values.
        mlflow.logMetric(runId, "nan", Double.NaN, t, 1);
        mlflow.logMetric(runId, "pinf", Double.POSITIVE_INFINITY, t, 1);
        mlflow.logMetric(runId, "ninf", Double.NEGATIVE_INFINITY, t, 1);

        assertThat(mlflow.metricHistory(runId, "nan"))
                .as("NaN comes back as the JSON string \"NaN\" (string and typed double)")
                .containsExactly(new Metric("nan", "NaN", t, 0), new Metric("nan", "NaN", t, 1));

        List<Object> pinf = values(mlflow.metricHistory(runId, "pinf"));
        List<Object> ninf = values(mlflow.metricHistory(runId, "ninf"));
        if (pinf.equals(List.of("Infinity", "Infinity"))) {
            assertThat(ninf).as("-Infinity round trip").containsExactly("-Infinity", "-Infinity");
            report.publishEntry("infinity", "+/-Infinity round-trip as \"Infinity\"/\"-Infinity\"");
        } else {
            assertThat(asDoubles(pinf))
                    .as("+Infinity comes back either as \"Infinity\" or clamped to Double.MAX_VALUE "
                            + "(MLflow's SQL store cannot store inf); got " + pinf)
                    .containsExactly(Double.MAX_VALUE, Double.MAX_VALUE);
            assertThat(asDoubles(ninf))
                    .as("-Infinity clamped to -Double.MAX_VALUE like +Infinity; got " + ninf)
                    .containsExactly(-Double.MAX_VALUE, -Double.MAX_VALUE);
            report.publishEntry(
                    "infinity",
                    "+/-Infinity come back clamped to +/-1.7976931348623157E308 (SQL store), NaN as \"NaN\"");
        }
    }

    @Test
    @DisplayName("0.0 and NaN at the same step and timestamp are both kept (no UNIQUE violation on MySQL)")
    void zeroAndNanAtSameStep() {
        String runId = run(experiment("metricnanstep"));
        long t = System.currentTimeMillis();
        mlflow.logMetric(runId, "m", 0.0, t, 3);
        mlflow.logMetricRaw(runId, "m", "NaN", t, 3);
        assertThat(values(mlflow.metricHistory(runId, "m")))
                .as("both values at step 3")
                .containsExactlyInAnyOrder(0.0, "NaN");
    }

    @Test
    @DisplayName("a metric key of 251 chars is rejected")
    void overLongMetricKey() {
        String runId = run(experiment("longmetrickey"));
        assertMlflowError(
                mlflow.postRaw(
                        "/runs/log-metric",
                        Map.of(
                                "run_id",
                                runId,
                                "key",
                                repeat('m', MAX_KEY + 1),
                                "value",
                                1.0,
                                "timestamp",
                                System.currentTimeMillis())),
                400,
                INVALID_PARAMETER_VALUE,
                "log-metric with a 251-char key");
    }

    private List<Metric> numeric(List<Metric> history) {
        return history.stream()
                .map(m -> new Metric(
                        m.key(),
                        m.value() instanceof Number n ? (Object) n.doubleValue() : m.value(),
                        m.timestamp(),
                        m.step()))
                .toList();
    }

    private List<Object> values(List<Metric> history) {
        return numeric(history).stream().map(Metric::value).toList();
    }

    private List<Double> asDoubles(List<Object> values) {
        return values.stream()
                .map(v -> v instanceof Number n ? n.doubleValue() : Double.valueOf(Double.NaN))
                .toList();
    }
}
