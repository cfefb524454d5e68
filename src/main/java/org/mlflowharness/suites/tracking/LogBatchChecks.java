package org.mlflowharness.suites.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlflowharness.client.MlflowClient.keyValue;
import static org.mlflowharness.client.MlflowClient.keyValues;
import static org.mlflowharness.client.MlflowClient.metric;
import static org.mlflowharness.suites.support.MlflowErrors.INVALID_PARAMETER_VALUE;
import static org.mlflowharness.suites.support.MlflowErrors.assertMlflowError;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlflowharness.client.MlflowClient;

/**
 * The tracking suite's log-batch checks: batches at the limits are stored whole, one over a limit stores nothing,
 * duplicate param keys are rejected. {@code TrackingSuite} runs it as one of its {@code @Nested} groups.
 */
public abstract class LogBatchChecks extends TrackingChecks {

    /** One over-limit log-batch and how to count what it would have stored. */
    enum OverLimit {
        METRICS_1001(1001, 0, 0),
        PARAMS_101(0, 101, 0),
        TAGS_101(0, 0, 101);

        final int metrics;
        final int params;
        final int tags;

        OverLimit(int metrics, int params, int tags) {
            this.metrics = metrics;
            this.params = params;
            this.tags = tags;
        }
    }

    @Test
    @DisplayName("1000 metrics, 100 params and 100 tags (each a batch at its limit) are all stored")
    void atTheLimits() {
        String runId = run(experiment("batchok"));
        long t = System.currentTimeMillis();
        mlflow.logBatch(runId, metrics(1000, t), List.of(), List.of());
        mlflow.logBatch(runId, List.of(), pairs("p", 100), List.of());
        mlflow.logBatch(runId, List.of(), List.of(), pairs("t", 100));

        JsonPath got = mlflow.getRun(runId);
        List<String> metricKeys = got.getList("run.data.metrics.key", String.class);
        assertThat(metricKeys)
                .as("metric keys after a 1000-metric batch")
                .hasSize(1000)
                .contains("m0", "m999");
        assertThat(got.getDouble("run.data.metrics.find { it.key == 'm999' }.value"))
                .as("value of m999")
                .isEqualTo(999.5);
        Map<String, String> params = keyValues(got, "run.data.params");
        assertThat(params)
                .as("params after a 100-param batch")
                .hasSize(100)
                .containsEntry("p0", "v0")
                .containsEntry("p99", "v99");
        Map<String, String> tags = keyValues(got, "run.data.tags");
        assertThat(tags.keySet().stream().filter(k -> k.matches("t\\d+")))
                .as("user tags after a 100-tag batch")
                .hasSize(100);
        assertThat(tags).as("tag values").containsEntry("t0", "v0").containsEntry("t99", "v99");
    }

    @ParameterizedTest(name = "{0} -> 400, nothing stored")
    @EnumSource(OverLimit.class)
    @DisplayName(
            "one over the limit (1001 metrics / 101 params / 101 tags) is 400 INVALID_PARAMETER_VALUE and stores nothing")
    void overTheLimits(OverLimit over) {
        String runId = run(experiment("batchover"));
        long t = System.currentTimeMillis();
        Response r = mlflow.postRaw(
                "/runs/log-batch",
                MlflowClient.logBatchBody(
                        runId, metrics(over.metrics, t), pairs("p", over.params), pairs("t", over.tags)));
        assertMlflowError(r, 400, INVALID_PARAMETER_VALUE, "log-batch with " + over);

        JsonPath got = mlflow.getRun(runId);
        assertThat(got.getList("run.data.metrics"))
                .as("metrics stored by a rejected batch")
                .isNullOrEmpty();
        assertThat(got.getList("run.data.params"))
                .as("params stored by a rejected batch")
                .isNullOrEmpty();
        assertThat(keyValues(got, "run.data.tags").keySet().stream().filter(k -> k.matches("t\\d+")))
                .as("user tags stored by a rejected batch")
                .isEmpty();
    }

    @Test
    @DisplayName("duplicate param keys in one batch are 400 INVALID_PARAMETER_VALUE")
    void duplicateParamKeys() {
        String runId = run(experiment("batchdup"));
        Response r = mlflow.postRaw(
                "/runs/log-batch",
                MlflowClient.logBatchBody(
                        runId, List.of(), List.of(keyValue("a", "1"), keyValue("a", "2")), List.of()));
        assertMlflowError(r, 400, INVALID_PARAMETER_VALUE, "log-batch with a duplicate param key");
        assertThat(mlflow.getRun(runId).getList("run.data.params"))
                .as("params after the rejected batch")
                .isNullOrEmpty();
    }

    private List<Map<String, Object>> metrics(int n, long t) {
        return IntStream.range(0, n)
                .mapToObj(i -> metric("m" + i, i + 0.5, t, 0))
                .toList();
    }

    private List<Map<String, String>> pairs(String prefix, int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> keyValue(prefix + i, "v" + i))
                .toList();
    }
}
