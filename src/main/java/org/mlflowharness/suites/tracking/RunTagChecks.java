package org.mlflowharness.suites.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlflowharness.client.MlflowClient.keyValues;
import static org.mlflowharness.suites.support.MlflowErrors.RESOURCE_DOES_NOT_EXIST;
import static org.mlflowharness.suites.support.MlflowErrors.assertMlflowError;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tracking suite's run tag checks: overwrite, delete, deleting a missing tag. {@code TrackingSuite} runs it as one
 * of its {@code @Nested} groups.
 */
public abstract class RunTagChecks extends TrackingChecks {

    @Test
    @DisplayName("set-tag overwrites, delete-tag removes, deleting a missing tag is 404")
    void overwriteAndDelete() {
        String runId = run(experiment("tags"));
        mlflow.setTag(runId, "state", "one");
        mlflow.setTag(runId, "keep", "yes");
        mlflow.setTag(runId, "state", "two");
        assertThat(keyValues(mlflow.getRun(runId), "run.data.tags"))
                .as("tags after overwrite")
                .containsEntry("state", "two")
                .containsEntry("keep", "yes");

        mlflow.deleteTag(runId, "state");
        assertThat(keyValues(mlflow.getRun(runId), "run.data.tags"))
                .as("tags after delete")
                .doesNotContainKey("state")
                .containsEntry("keep", "yes");
        assertMlflowError(
                mlflow.postRaw("/runs/delete-tag", Map.of("run_id", runId, "key", "state")),
                404,
                RESOURCE_DOES_NOT_EXIST,
                "delete-tag of a tag already deleted");
    }
}
