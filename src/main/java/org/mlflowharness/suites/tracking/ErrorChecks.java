package org.mlflowharness.suites.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlflowharness.client.MlflowClient.keyValue;
import static org.mlflowharness.client.MlflowClient.keyValues;
import static org.mlflowharness.client.MlflowClient.metric;
import static org.mlflowharness.suites.support.MlflowErrors.INVALID_PARAMETER_VALUE;
import static org.mlflowharness.suites.support.MlflowErrors.RESOURCE_DOES_NOT_EXIST;
import static org.mlflowharness.suites.support.MlflowErrors.assertMlflowError;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;

/**
 * The tracking suite's error checks: unknown ids, writes to a deleted run, malformed JSON bodies. {@code
 * TrackingSuite} runs it as one of its {@code @Nested} groups.
 */
public abstract class ErrorChecks extends TrackingChecks {

    static final String UNKNOWN_RUN = "0123456789abcdef0123456789abcdef";

    /** Writes that must be refused on a deleted run. */
    enum WriteToRun {
        LOG_METRIC("/runs/log-metric", (run, t) -> Map.of("run_id", run, "key", "m", "value", 1.0, "timestamp", t)),
        LOG_PARAMETER("/runs/log-parameter", (run, t) -> Map.of("run_id", run, "key", "p", "value", "v")),
        SET_TAG("/runs/set-tag", (run, t) -> Map.of("run_id", run, "key", "k", "value", "v")),
        LOG_BATCH(
                "/runs/log-batch",
                (run, t) -> MlflowClient.logBatchBody(
                        run, List.of(metric("m", 1.0, t, 0)), List.of(keyValue("p", "v")), List.of()));

        final String path;
        final BiFunction<String, Long, Map<String, Object>> body;

        WriteToRun(String path, BiFunction<String, Long, Map<String, Object>> body) {
            this.path = path;
            this.body = body;
        }
    }

    @Test
    @DisplayName("unknown run, experiment and experiment name are 404 RESOURCE_DOES_NOT_EXIST")
    void unknownIds() {
        String missingName = Names.unique("tracking-never-created");
        assertMlflowError(
                mlflow.getRaw("/runs/get", Map.of("run_id", UNKNOWN_RUN)),
                404,
                RESOURCE_DOES_NOT_EXIST,
                "runs/get of an unknown run");
        assertMlflowError(
                mlflow.getRaw("/experiments/get", Map.of("experiment_id", "987654321")),
                404,
                RESOURCE_DOES_NOT_EXIST,
                "experiments/get of an unknown id");
        assertMlflowError(
                mlflow.getRaw("/experiments/get-by-name", Map.of("experiment_name", missingName)),
                404,
                RESOURCE_DOES_NOT_EXIST,
                "get-by-name of an unknown name");
        assertMlflowError(
                mlflow.postRaw(
                        "/runs/log-metric",
                        Map.of(
                                "run_id",
                                UNKNOWN_RUN,
                                "key",
                                "m",
                                "value",
                                1.0,
                                "timestamp",
                                System.currentTimeMillis())),
                404,
                RESOURCE_DOES_NOT_EXIST,
                "log-metric to an unknown run");
        assertMlflowError(
                mlflow.postRaw("/runs/log-parameter", Map.of("run_id", UNKNOWN_RUN, "key", "p", "value", "v")),
                404,
                RESOURCE_DOES_NOT_EXIST,
                "log-parameter to an unknown run");
        assertMlflowError(
                mlflow.postRaw("/runs/delete", Map.of("run_id", UNKNOWN_RUN)),
                404,
                RESOURCE_DOES_NOT_EXIST,
                "runs/delete of an unknown run");
    }

    @ParameterizedTest(name = "{0} on a deleted run -> 400")
    @EnumSource(WriteToRun.class)
    @DisplayName("writes to a deleted run are 400 INVALID_PARAMETER_VALUE and store nothing")
    void writesToDeletedRun(WriteToRun write) {
        String runId = run(experiment("deletedrun"));
        mlflow.deleteRun(runId);
        Response r = mlflow.postRaw(write.path, write.body.apply(runId, System.currentTimeMillis()));
        assertMlflowError(r, 400, INVALID_PARAMETER_VALUE, write + " on a deleted run");

        mlflow.restoreRun(runId);
        JsonPath got = mlflow.getRun(runId);
        assertThat(got.getList("run.data.metrics"))
                .as("metrics written while deleted")
                .isNullOrEmpty();
        assertThat(got.getList("run.data.params"))
                .as("params written while deleted")
                .isNullOrEmpty();
        assertThat(keyValues(got, "run.data.tags"))
                .as("tags written while deleted")
                .doesNotContainKey("k");
    }

    @Test
    @DisplayName("malformed JSON bodies are 400 and store nothing")
    void malformedJson() {
        String runId = run(experiment("malformed"));
        List<String> bodies = List.of(
                "{\"run_id\": \"" + runId + "\", \"key\": \"p\", \"value\": \"v\"", // truncated
                "{\"run_id\": \"" + runId + "\" \"key\": \"p\" \"value\": \"v\"}", // missing commas
                "run_id=" + runId + "&key=p&value=v", // not JSON at all
                "");
        for (String body : bodies) {
            Response r = mlflow.postRaw("/runs/log-parameter", body);
            assertMlflowError(r, 400, INVALID_PARAMETER_VALUE, "log-parameter with the malformed body <" + body + ">");
        }
        assertThat(mlflow.getRun(runId).getList("run.data.params"))
                .as("params after malformed bodies")
                .isNullOrEmpty();
    }
}
