package org.mlflowharness.suites.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlflowharness.client.MlflowClient.keyValues;
import static org.mlflowharness.suites.support.MlflowErrors.INVALID_PARAMETER_VALUE;
import static org.mlflowharness.suites.support.MlflowErrors.assertMlflowError;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tracking suite's param checks: params are write-once. {@code TrackingSuite} runs it as one of its {@code
 * @Nested} groups.
 */
public abstract class ParamChecks extends TrackingChecks {

    @Test
    @DisplayName(
            "params are write-once: the same value again is accepted, a different one is 400 INVALID_PARAMETER_VALUE")
    void writeOnce() {
        String runId = run(experiment("params"));
        mlflow.logParam(runId, "lr", "0.01");
        mlflow.logParam(runId, "lr", "0.01");
        assertMlflowError(
                mlflow.postRaw("/runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.02")),
                400,
                INVALID_PARAMETER_VALUE,
                "log-parameter with a different value for an existing key");
        assertThat(keyValues(mlflow.getRun(runId), "run.data.params"))
                .as("params after the rejected change")
                .containsExactly(Map.entry("lr", "0.01"));
    }
}
