package org.mlflowharness.suites.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlflowharness.client.MlflowClient.keyValue;
import static org.mlflowharness.client.MlflowClient.keyValues;
import static org.mlflowharness.client.MlflowClient.metric;

import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tracking suite's run checks: create and get, update, delete and restore, search filters, page-token chains,
 * unicode names and tags. {@code TrackingSuite} runs it as one of its {@code @Nested} groups.
 */
public abstract class RunChecks extends TrackingChecks {

    @Test
    @DisplayName("create with name, start time and tags; get returns them with the proxied artifact URI")
    void createAndGet() {
        String exp = experiment("run");
        long start = System.currentTimeMillis() - 5_000;
        JsonPath createdRun = mlflow.createRun(exp, "first-run", start, Map.of("kind", "conformance"));
        String runId = createdRun.getString("run.info.run_id");

        JsonPath got = mlflow.getRun(runId);
        assertThat(got.getString("run.info.run_id")).as("run id via get").isEqualTo(runId);
        assertThat(got.getString("run.info.experiment_id"))
                .as("experiment of the run")
                .isEqualTo(exp);
        assertThat(got.getString("run.info.run_name")).as("run name").isEqualTo("first-run");
        assertThat(got.getLong("run.info.start_time")).as("start time as given").isEqualTo(start);
        assertThat(got.getString("run.info.status")).as("status of a new run").isEqualTo("RUNNING");
        assertThat(got.getString("run.info.lifecycle_stage"))
                .as("stage of a new run")
                .isEqualTo("active");
        assertThat(got.getString("run.info.artifact_uri"))
                .as("artifact URI of a run on a proxied store")
                .isEqualTo("mlflow-artifacts:/" + exp + "/" + runId + "/artifacts");
        assertThat(keyValues(got, "run.data.tags"))
                .as("tags given at creation, and the run name tag")
                .containsEntry("kind", "conformance")
                .containsEntry("mlflow.runName", "first-run");
    }

    @Test
    @DisplayName("update sets status, end time and run name")
    void update() {
        String runId = run(experiment("runupdate"));
        long end = System.currentTimeMillis();
        JsonPath answer = mlflow.updateRun(runId, "FINISHED", end, "renamed-run");
        assertThat(answer.getString("run_info.status"))
                .as("status in the update answer")
                .isEqualTo("FINISHED");

        JsonPath got = mlflow.getRun(runId);
        assertThat(got.getString("run.info.status")).as("status after update").isEqualTo("FINISHED");
        assertThat(got.getLong("run.info.end_time")).as("end time after update").isEqualTo(end);
        assertThat(got.getString("run.info.run_name"))
                .as("run name after update")
                .isEqualTo("renamed-run");
        assertThat(keyValues(got, "run.data.tags"))
                .as("mlflow.runName tag follows the new name")
                .containsEntry("mlflow.runName", "renamed-run");
    }

    @Test
    @DisplayName("delete hides the run from ACTIVE_ONLY searches; restore brings it back")
    void deleteAndRestore() {
        String exp = experiment("rundelete");
        String runId = run(exp);
        mlflow.deleteRun(runId);
        assertThat(mlflow.getRun(runId).getString("run.info.lifecycle_stage"))
                .as("stage after delete")
                .isEqualTo("deleted");
        assertThat(runIds(exp, "ACTIVE_ONLY")).as("active runs after delete").doesNotContain(runId);
        assertThat(runIds(exp, "DELETED_ONLY")).as("deleted runs after delete").containsExactly(runId);

        mlflow.restoreRun(runId);
        assertThat(mlflow.getRun(runId).getString("run.info.lifecycle_stage"))
                .as("stage after restore")
                .isEqualTo("active");
        assertThat(runIds(exp, "ACTIVE_ONLY")).as("active runs after restore").containsExactly(runId);
    }

    @Test
    @DisplayName("search filters on params, metrics, tags and attributes select exactly the matching runs")
    void searchWithFilters() {
        String exp = experiment("runfilter");
        String r1 = run(exp);
        String r2 = run(exp);
        String r3 = run(exp);
        long t = System.currentTimeMillis();
        mlflow.logBatch(
                r1, List.of(metric("acc", 0.4, t, 0)), List.of(keyValue("kind", "a")), List.of(keyValue("team", "x")));
        mlflow.logBatch(
                r2, List.of(metric("acc", 0.7, t, 0)), List.of(keyValue("kind", "b")), List.of(keyValue("team", "x")));
        mlflow.logBatch(
                r3, List.of(metric("acc", 0.9, t, 0)), List.of(keyValue("kind", "b")), List.of(keyValue("team", "y")));
        mlflow.updateRun(r3, "FAILED", t, null);

        assertThat(search(exp, "params.kind = 'b'")).as("params.kind = 'b'").containsExactlyInAnyOrder(r2, r3);
        assertThat(search(exp, "metrics.acc > 0.5 and tags.team = 'x'"))
                .as("metrics.acc > 0.5 and tags.team = 'x'")
                .containsExactly(r2);
        assertThat(search(exp, "metrics.acc <= 0.4")).as("metrics.acc <= 0.4").containsExactly(r1);
        assertThat(search(exp, "attributes.status = 'FAILED'"))
                .as("attributes.status = 'FAILED'")
                .containsExactly(r3);
        assertThat(search(exp, "params.kind = 'none'"))
                .as("a filter nothing matches")
                .isEmpty();
    }

    @Test
    @DisplayName("a page_token chain over 7 runs with max_results 3 returns every run exactly once, in order")
    void pageTokenChain() {
        String exp = experiment("runpages");
        long t0 = System.currentTimeMillis() - 60_000;
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            expected.add(mlflow.createRun(exp, "page-run-" + i, t0 + i * 1000L, Map.of())
                    .getString("run.info.run_id"));
        }
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 10; page++) { // bounded: 3 pages expected
            Map<String, Object> body = new LinkedHashMap<>(Map.of(
                    "experiment_ids",
                    List.of(exp),
                    "max_results",
                    3,
                    "order_by",
                    List.of("attributes.start_time ASC")));
            if (token != null) {
                body.put("page_token", token);
            }
            JsonPath result = mlflow.searchRuns(body);
            List<String> ids = result.getList("runs.info.run_id", String.class);
            ids = ids == null ? List.of() : ids;
            pageSizes.add(ids.size());
            seen.addAll(ids);
            token = result.getString("next_page_token");
            if (token == null || token.isEmpty()) {
                break;
            }
        }
        assertThat(token)
                .as("the chain ends (no next_page_token) within 10 pages")
                .isNullOrEmpty();
        assertThat(pageSizes).as("page sizes of the chain").containsExactly(3, 3, 1);
        assertThat(new HashSet<>(seen)).as("no run seen twice").hasSize(seen.size());
        assertThat(seen).as("every run exactly once, ordered by start time").containsExactlyElementsOf(expected);
    }

    @Test
    @DisplayName("unicode run names and tag values round-trip")
    void unicodeRunNameAndTags() {
        String exp = experiment("rununicode");
        String name = "läuft-运行-🏃";
        String value = "größe=√2 ≈ 1.414, 値, emoji 🚀, rtl שלום";
        String runId = mlflow.createRun(exp, name, System.currentTimeMillis(), Map.of("note", value))
                .getString("run.info.run_id");
        JsonPath got = mlflow.getRun(runId);
        assertThat(got.getString("run.info.run_name")).as("unicode run name").isEqualTo(name);
        assertThat(keyValues(got, "run.data.tags")).as("unicode tag value").containsEntry("note", value);
        assertThat(search(exp, "attributes.run_name = '" + name + "'"))
                .as("search by the unicode run name")
                .containsExactly(runId);
    }

    private List<String> runIds(String exp, String viewType) {
        List<String> ids = mlflow.searchRuns(Map.of("experiment_ids", List.of(exp), "run_view_type", viewType))
                .getList("runs.info.run_id", String.class);
        return ids == null ? List.of() : ids;
    }

    private List<String> search(String exp, String filter) {
        List<String> ids = mlflow.searchRuns(Map.of("experiment_ids", List.of(exp), "filter", filter))
                .getList("runs.info.run_id", String.class);
        return ids == null ? List.of() : ids;
    }
}
