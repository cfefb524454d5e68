package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.mlflowharness.model.StackException;

class ReleaseDateTest {

    private static final String PROJECT = """
            {"releases": {
              "2.9.2": [
                {"filename": "mlflow-2.9.2-py3-none-any.whl", "upload_time_iso_8601": "2023-12-14T05:30:49.658170Z", "yanked": false},
                {"filename": "mlflow-2.9.2.tar.gz", "upload_time_iso_8601": "2023-12-14T05:30:54.340273Z", "yanked": false}],
              "2.9.1": [{"filename": "mlflow-2.9.1.tar.gz", "upload_time_iso_8601": "2023-12-07T01:00:00Z", "yanked": false}],
              "2.9.0": [],
              "3.0.0": [{"filename": "x.whl", "upload_time_iso_8601": "2025-06-01T00:00:00Z", "yanked": true}]
            }}""";

    private static JsonNode project() throws Exception {
        return new ObjectMapper().readTree(PROJECT);
    }

    @Test
    void cutoffIsTheLastUploadOfTheReleasePlusOneDay() throws Exception {
        ReleaseDate d = ReleaseDate.of(project(), "2.9.2");
        assertThat(d.uploaded()).isEqualTo(Instant.parse("2023-12-14T05:30:54.340273Z"));
        assertThat(d.cutoff()).isEqualTo(Instant.parse("2023-12-15T05:30:54.340273Z"));
    }

    @Test
    void unknownOrOnlyYankedVersionsNameTheReleasesNearby() throws Exception {
        assertThatThrownBy(() -> ReleaseDate.of(project(), "2.9.3"))
                .isInstanceOfSatisfying(
                        StackException.class,
                        e -> assertThat(e.oneLine())
                                .contains("MLflow 2.9.3 is not a release on PyPI")
                                .contains("2.9.2, 2.9.1")
                                .doesNotContain("2.9.0"));
        assertThatThrownBy(() -> ReleaseDate.of(project(), "3.0.0")).isInstanceOf(StackException.class);
    }
}
