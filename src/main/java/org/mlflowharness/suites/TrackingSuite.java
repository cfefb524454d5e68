package org.mlflowharness.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.mlflowharness.client.MlflowClient.keyValue;
import static org.mlflowharness.client.MlflowClient.keyValues;
import static org.mlflowharness.client.MlflowClient.metric;
import static org.mlflowharness.suites.support.ExactValues.MAX_KEY;
import static org.mlflowharness.suites.support.ExactValues.MAX_PARAM_VALUE;
import static org.mlflowharness.suites.support.ExactValues.MAX_TAG_VALUE;
import static org.mlflowharness.suites.support.MlflowErrors.INVALID_PARAMETER_VALUE;
import static org.mlflowharness.suites.support.MlflowErrors.RESOURCE_ALREADY_EXISTS;
import static org.mlflowharness.suites.support.MlflowErrors.RESOURCE_DOES_NOT_EXIST;
import static org.mlflowharness.suites.support.MlflowErrors.assertMlflowError;
import static org.mlflowharness.suites.support.MlflowErrors.errorCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.MlflowClient.Metric;
import org.mlflowharness.suites.support.ExactValues;
import org.mlflowharness.client.Names;
import org.mlflowharness.suites.support.Scratch;
import org.mlflowharness.suites.support.StackSuite;

/**
 * The tracking API through nginx against the real database: experiments, runs, params, metrics, tags, log-batch
 * limits, error codes, unicode, names differing only in case, over-long values and keys, exact values.
 * Every test creates its own uniquely named experiment(s) through its {@link Scratch}, which deletes them afterwards
 * (MLflow soft-deletes).
 */
@StackSuite
@Tag("tracking")
@DisplayName("tracking: experiments, runs, params, metrics, tags, log-batch limits, error codes, exact values")
class TrackingSuite {

    static final String UNKNOWN_RUN = "0123456789abcdef0123456789abcdef";

    private MlflowClient mlflow;
    private Scratch scratch;

    @BeforeEach
    void setUp(MlflowClient client, Scratch scratch) {
        this.mlflow = client;
        this.scratch = scratch;
    }

    /** An experiment under a unique name, deleted after the test. */
    private String experiment(String what) {
        return scratch.experiment("tracking-" + what);
    }

    private String run(String experimentId) {
        return mlflow.createRun(experimentId).getString("run_id");
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    @Nested
    @DisplayName("experiments")
    class Experiments {

        @Test
        @DisplayName("create with tags, get and get-by-name return the same experiment")
        void createGetAndGetByName() {
            String name = Names.unique("tracking-exp");
            String id = scratch.ownExperiment(mlflow.createExperiment(name, Map.of("team", "harness", "purpose", "conformance")));

            JsonPath byId = mlflow.getExperiment(id);
            assertThat(byId.getString("experiment.experiment_id")).as("id of experiments/get").isEqualTo(id);
            assertThat(byId.getString("experiment.name")).as("name of experiments/get").isEqualTo(name);
            assertThat(byId.getString("experiment.lifecycle_stage")).as("stage of a new experiment").isEqualTo("active");
            assertThat(byId.getString("experiment.artifact_location")).as("artifact location of an experiment on a proxied store")
                    .isEqualTo("mlflow-artifacts:/" + id);
            assertThat(keyValues(byId, "experiment.tags")).as("tags given at creation")
                    .containsEntry("team", "harness").containsEntry("purpose", "conformance");

            JsonPath byName = mlflow.getExperimentByName(name);
            assertThat(byName.getString("experiment.experiment_id")).as("get-by-name finds the experiment just created").isEqualTo(id);
            assertThat(byName.getString("experiment.name")).as("name of get-by-name").isEqualTo(name);
        }

        @Test
        @DisplayName("search: filter by name, order by name, page through with max_results and page_token")
        void searchFilterOrderPaging() {
            String base = Names.unique("tracking-search");
            String a = scratch.experimentNamed(base + "-a");
            String b = scratch.experimentNamed(base + "-b");
            String c = scratch.experimentNamed(base + "-c");
            Map<String, Object> query = new LinkedHashMap<>(Map.of("filter", "name LIKE '" + base + "-%'",
                    "order_by", List.of("name DESC"), "max_results", 2));

            JsonPath page1 = mlflow.searchExperiments(query);
            assertThat(page1.getList("experiments.experiment_id", String.class)).as("first page: the two last names, descending")
                    .containsExactly(c, b);
            String token = page1.getString("next_page_token");
            assertThat(token).as("next_page_token after a full first page").isNotBlank();

            query.put("page_token", token);
            JsonPath page2 = mlflow.searchExperiments(query);
            assertThat(page2.getList("experiments.experiment_id", String.class)).as("second page: the remaining one")
                    .containsExactly(a);
            assertThat(page2.getString("next_page_token")).as("no next_page_token after the last page").isNullOrEmpty();
        }

        @Test
        @DisplayName("update renames: the new name finds it, the old name no longer does")
        void renameViaUpdate() {
            String oldName = Names.unique("tracking-rename");
            String id = scratch.experimentNamed(oldName);
            String newName = oldName + "-renamed";
            mlflow.renameExperiment(id, newName);

            assertThat(mlflow.getExperiment(id).getString("experiment.name")).as("name after rename").isEqualTo(newName);
            assertThat(mlflow.getExperimentByName(newName).getString("experiment.experiment_id")).as("get-by-name with the new name")
                    .isEqualTo(id);
            assertMlflowError(mlflow.getRaw("/experiments/get-by-name", Map.of("experiment_name", oldName)), 404,
                    RESOURCE_DOES_NOT_EXIST, "get-by-name with the old name after a rename");
        }

        @Test
        @DisplayName("delete marks it deleted (search ACTIVE_ONLY hides it, DELETED_ONLY shows it); restore brings it back")
        void deleteAndRestore() {
            String name = Names.unique("tracking-delete");
            String id = scratch.experimentNamed(name);
            Map<String, Object> byName = Map.of("filter", "name = '" + name + "'", "max_results", 10);

            mlflow.deleteExperiment(id);
            assertThat(mlflow.getExperiment(id).getString("experiment.lifecycle_stage")).as("stage after delete").isEqualTo("deleted");
            assertThat(ids(mlflow.searchExperiments(with(byName, "view_type", "ACTIVE_ONLY")))).as("active search after delete")
                    .doesNotContain(id);
            assertThat(ids(mlflow.searchExperiments(with(byName, "view_type", "DELETED_ONLY")))).as("deleted search after delete")
                    .containsExactly(id);

            mlflow.restoreExperiment(id);
            assertThat(mlflow.getExperiment(id).getString("experiment.lifecycle_stage")).as("stage after restore").isEqualTo("active");
            assertThat(ids(mlflow.searchExperiments(with(byName, "view_type", "ACTIVE_ONLY")))).as("active search after restore")
                    .containsExactly(id);
        }

        @Test
        @DisplayName("experiment tags: set, overwrite, delete")
        void experimentTags() {
            String id = experiment("exptags");
            mlflow.setExperimentTag(id, "stage", "draft");
            mlflow.setExperimentTag(id, "owner", "harness");
            mlflow.setExperimentTag(id, "stage", "final");
            assertThat(keyValues(mlflow.getExperiment(id), "experiment.tags")).as("tags after set and overwrite")
                    .containsEntry("stage", "final").containsEntry("owner", "harness");

            mlflow.deleteExperimentTag(id, "stage");
            assertThat(keyValues(mlflow.getExperiment(id), "experiment.tags")).as("tags after deleting 'stage'")
                    .doesNotContainKey("stage").containsEntry("owner", "harness");
        }

        @Test
        @DisplayName("a unicode name (accents, CJK, 4-byte emoji) round-trips through get and get-by-name")
        void unicodeName() {
            String name = Names.unique("tracking-unicode") + "-Ünïcødé-实验-🚀";
            String id = scratch.experimentNamed(name);
            assertThat(mlflow.getExperiment(id).getString("experiment.name")).as("unicode name via get").isEqualTo(name);
            assertThat(mlflow.getExperimentByName(name).getString("experiment.experiment_id")).as("get-by-name with a unicode name")
                    .isEqualTo(id);
        }

        @Test
        @DisplayName("two names differing only in case are two experiments (a case-insensitive DB collation breaks this)")
        void namesDifferingOnlyInCase(TestReporter report) {
            String base = Names.unique("tracking-case");
            String upper = base + "-Model";
            String lower = base + "-model";
            String upperId = scratch.experimentNamed(upper);

            Response second = mlflow.postRaw("/experiments/create", Map.of("name", lower));
            if (second.statusCode() != 200) {
                report.publishEntry("case-only names", "second create answered " + second.statusCode() + " " + errorCode(second));
                if (RESOURCE_ALREADY_EXISTS.equals(errorCode(second))) {
                    fail("creating experiment '" + lower + "' after '" + upper + "' was rejected with RESOURCE_ALREADY_EXISTS: "
                            + "the database compares experiment names case-insensitively. This is the MySQL/MariaDB collation "
                            + "problem (default collation *_ci such as utf8mb4_general_ci / utf8mb4_0900_ai_ci; mlflow#25911, "
                            + "PR #25921): give experiments.name a binary collation (e.g. utf8mb4_bin). Server said: "
                            + second.jsonPath().getString("message"));
                }
                fail("creating experiment '" + lower + "' after '" + upper + "' failed: " + second.statusCode() + " " + second.asString());
            }
            String lowerId = scratch.ownExperiment(second.jsonPath().getString("experiment_id"));
            report.publishEntry("case-only names", "both created: names are case-sensitive");

            assertThat(lowerId).as("two names differing in case must be two experiments").isNotEqualTo(upperId);
            assertThat(mlflow.getExperimentByName(upper).getString("experiment.experiment_id"))
                    .as("get-by-name '" + upper + "' must not return the other-case experiment (collation)").isEqualTo(upperId);
            assertThat(mlflow.getExperimentByName(lower).getString("experiment.experiment_id"))
                    .as("get-by-name '" + lower + "' must not return the other-case experiment (collation)").isEqualTo(lowerId);
        }

        private List<String> ids(JsonPath search) {
            List<String> ids = search.getList("experiments.experiment_id", String.class);
            return ids == null ? List.of() : ids;
        }
    }

    @Nested
    @DisplayName("runs")
    class Runs {

        @Test
        @DisplayName("create with name, start time and tags; get returns them with the proxied artifact URI")
        void createAndGet() {
            String exp = experiment("run");
            long start = System.currentTimeMillis() - 5_000;
            JsonPath createdRun = mlflow.createRun(exp, "first-run", start, Map.of("kind", "conformance"));
            String runId = createdRun.getString("run.info.run_id");

            JsonPath got = mlflow.getRun(runId);
            assertThat(got.getString("run.info.run_id")).as("run id via get").isEqualTo(runId);
            assertThat(got.getString("run.info.experiment_id")).as("experiment of the run").isEqualTo(exp);
            assertThat(got.getString("run.info.run_name")).as("run name").isEqualTo("first-run");
            assertThat(got.getLong("run.info.start_time")).as("start time as given").isEqualTo(start);
            assertThat(got.getString("run.info.status")).as("status of a new run").isEqualTo("RUNNING");
            assertThat(got.getString("run.info.lifecycle_stage")).as("stage of a new run").isEqualTo("active");
            assertThat(got.getString("run.info.artifact_uri")).as("artifact URI of a run on a proxied store")
                    .isEqualTo("mlflow-artifacts:/" + exp + "/" + runId + "/artifacts");
            assertThat(keyValues(got, "run.data.tags")).as("tags given at creation, and the run name tag")
                    .containsEntry("kind", "conformance").containsEntry("mlflow.runName", "first-run");
        }

        @Test
        @DisplayName("update sets status, end time and run name")
        void update() {
            String runId = run(experiment("runupdate"));
            long end = System.currentTimeMillis();
            JsonPath answer = mlflow.updateRun(runId, "FINISHED", end, "renamed-run");
            assertThat(answer.getString("run_info.status")).as("status in the update answer").isEqualTo("FINISHED");

            JsonPath got = mlflow.getRun(runId);
            assertThat(got.getString("run.info.status")).as("status after update").isEqualTo("FINISHED");
            assertThat(got.getLong("run.info.end_time")).as("end time after update").isEqualTo(end);
            assertThat(got.getString("run.info.run_name")).as("run name after update").isEqualTo("renamed-run");
            assertThat(keyValues(got, "run.data.tags")).as("mlflow.runName tag follows the new name")
                    .containsEntry("mlflow.runName", "renamed-run");
        }

        @Test
        @DisplayName("delete hides the run from ACTIVE_ONLY searches; restore brings it back")
        void deleteAndRestore() {
            String exp = experiment("rundelete");
            String runId = run(exp);
            mlflow.deleteRun(runId);
            assertThat(mlflow.getRun(runId).getString("run.info.lifecycle_stage")).as("stage after delete").isEqualTo("deleted");
            assertThat(runIds(exp, "ACTIVE_ONLY")).as("active runs after delete").doesNotContain(runId);
            assertThat(runIds(exp, "DELETED_ONLY")).as("deleted runs after delete").containsExactly(runId);

            mlflow.restoreRun(runId);
            assertThat(mlflow.getRun(runId).getString("run.info.lifecycle_stage")).as("stage after restore").isEqualTo("active");
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
            mlflow.logBatch(r1, List.of(metric("acc", 0.4, t, 0)), List.of(keyValue("kind", "a")), List.of(keyValue("team", "x")));
            mlflow.logBatch(r2, List.of(metric("acc", 0.7, t, 0)), List.of(keyValue("kind", "b")), List.of(keyValue("team", "x")));
            mlflow.logBatch(r3, List.of(metric("acc", 0.9, t, 0)), List.of(keyValue("kind", "b")), List.of(keyValue("team", "y")));
            mlflow.updateRun(r3, "FAILED", t, null);

            assertThat(search(exp, "params.kind = 'b'")).as("params.kind = 'b'").containsExactlyInAnyOrder(r2, r3);
            assertThat(search(exp, "metrics.acc > 0.5 and tags.team = 'x'")).as("metrics.acc > 0.5 and tags.team = 'x'")
                    .containsExactly(r2);
            assertThat(search(exp, "metrics.acc <= 0.4")).as("metrics.acc <= 0.4").containsExactly(r1);
            assertThat(search(exp, "attributes.status = 'FAILED'")).as("attributes.status = 'FAILED'").containsExactly(r3);
            assertThat(search(exp, "params.kind = 'none'")).as("a filter nothing matches").isEmpty();
        }

        @Test
        @DisplayName("a page_token chain over 7 runs with max_results 3 returns every run exactly once, in order")
        void pageTokenChain() {
            String exp = experiment("runpages");
            long t0 = System.currentTimeMillis() - 60_000;
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                expected.add(mlflow.createRun(exp, "page-run-" + i, t0 + i * 1000L, Map.of()).getString("run.info.run_id"));
            }
            List<String> seen = new ArrayList<>();
            List<Integer> pageSizes = new ArrayList<>();
            String token = null;
            for (int page = 0; page < 10; page++) { // bounded: 3 pages expected
                Map<String, Object> body = new LinkedHashMap<>(Map.of("experiment_ids", List.of(exp), "max_results", 3,
                        "order_by", List.of("attributes.start_time ASC")));
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
            assertThat(token).as("the chain ends (no next_page_token) within 10 pages").isNullOrEmpty();
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
            String runId = mlflow.createRun(exp, name, System.currentTimeMillis(), Map.of("note", value)).getString("run.info.run_id");
            JsonPath got = mlflow.getRun(runId);
            assertThat(got.getString("run.info.run_name")).as("unicode run name").isEqualTo(name);
            assertThat(keyValues(got, "run.data.tags")).as("unicode tag value").containsEntry("note", value);
            assertThat(search(exp, "attributes.run_name = '" + name + "'")).as("search by the unicode run name").containsExactly(runId);
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

    @Nested
    @DisplayName("params")
    class Params {

        @Test
        @DisplayName("params are write-once: the same value again is accepted, a different one is 400 INVALID_PARAMETER_VALUE")
        void writeOnce() {
            String runId = run(experiment("params"));
            mlflow.logParam(runId, "lr", "0.01");
            mlflow.logParam(runId, "lr", "0.01");
            assertMlflowError(mlflow.postRaw("/runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.02")), 400,
                    INVALID_PARAMETER_VALUE, "log-parameter with a different value for an existing key");
            assertThat(keyValues(mlflow.getRun(runId), "run.data.params")).as("params after the rejected change")
                    .containsExactly(Map.entry("lr", "0.01"));
        }
    }

    @Nested
    @DisplayName("metrics")
    class Metrics {

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
            assertThat(numeric(mlflow.metricHistory(runId, "loss"))).as("history of 'loss' equals the logged list, in order")
                    .containsExactlyElementsOf(expected);
            JsonPath got = mlflow.getRun(runId);
            assertThat(got.getDouble("run.data.metrics.find { it.key == 'loss' }.value")).as("latest value (highest step) on the run")
                    .isEqualTo(-3.75);
            assertThat(got.getLong("run.data.metrics.find { it.key == 'loss' }.step")).as("latest step on the run").isEqualTo(8L);
        }

        @Test
        @DisplayName("a metric logged without step gets step 0")
        void stepDefaultsToZero() {
            String runId = run(experiment("metricstep"));
            long t = System.currentTimeMillis();
            mlflow.post("/runs/log-metric", Map.of("run_id", runId, "key", "nostep", "value", 2.5, "timestamp", t));
            assertThat(numeric(mlflow.metricHistory(runId, "nostep"))).as("history of a metric logged without step")
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

            assertThat(mlflow.metricHistory(runId, "nan")).as("NaN comes back as the JSON string \"NaN\" (string and typed double)")
                    .containsExactly(new Metric("nan", "NaN", t, 0), new Metric("nan", "NaN", t, 1));

            List<Object> pinf = values(mlflow.metricHistory(runId, "pinf"));
            List<Object> ninf = values(mlflow.metricHistory(runId, "ninf"));
            if (pinf.equals(List.of("Infinity", "Infinity"))) {
                assertThat(ninf).as("-Infinity round trip").containsExactly("-Infinity", "-Infinity");
                report.publishEntry("infinity", "+/-Infinity round-trip as \"Infinity\"/\"-Infinity\"");
            } else {
                assertThat(asDoubles(pinf)).as("+Infinity comes back either as \"Infinity\" or clamped to Double.MAX_VALUE "
                        + "(MLflow's SQL store cannot store inf); got " + pinf).containsExactly(Double.MAX_VALUE, Double.MAX_VALUE);
                assertThat(asDoubles(ninf)).as("-Infinity clamped to -Double.MAX_VALUE like +Infinity; got " + ninf)
                        .containsExactly(-Double.MAX_VALUE, -Double.MAX_VALUE);
                report.publishEntry("infinity", "+/-Infinity come back clamped to +/-1.7976931348623157E308 (SQL store), NaN as \"NaN\"");
            }
        }

        @Test
        @DisplayName("0.0 and NaN at the same step and timestamp are both kept (no UNIQUE violation on MySQL)")
        void zeroAndNanAtSameStep() {
            String runId = run(experiment("metricnanstep"));
            long t = System.currentTimeMillis();
            mlflow.logMetric(runId, "m", 0.0, t, 3);
            mlflow.logMetricRaw(runId, "m", "NaN", t, 3);
            assertThat(values(mlflow.metricHistory(runId, "m"))).as("both values at step 3").containsExactlyInAnyOrder(0.0, "NaN");
        }

        @Test
        @DisplayName("a metric key of 251 chars is rejected")
        void overLongMetricKey() {
            String runId = run(experiment("longmetrickey"));
            assertMlflowError(mlflow.postRaw("/runs/log-metric", Map.of("run_id", runId, "key", repeat('m', MAX_KEY + 1), "value", 1.0,
                    "timestamp", System.currentTimeMillis())), 400, INVALID_PARAMETER_VALUE, "log-metric with a 251-char key");
        }

        private List<Metric> numeric(List<Metric> history) {
            return history.stream().map(m -> new Metric(m.key(), m.value() instanceof Number n ? (Object) n.doubleValue() : m.value(),
                    m.timestamp(), m.step())).toList();
        }

        private List<Object> values(List<Metric> history) {
            return numeric(history).stream().map(Metric::value).toList();
        }

        private List<Double> asDoubles(List<Object> values) {
            return values.stream().map(v -> v instanceof Number n ? n.doubleValue() : Double.valueOf(Double.NaN)).toList();
        }
    }

    @Nested
    @DisplayName("run tags")
    class RunTags {

        @Test
        @DisplayName("set-tag overwrites, delete-tag removes, deleting a missing tag is 404")
        void overwriteAndDelete() {
            String runId = run(experiment("tags"));
            mlflow.setTag(runId, "state", "one");
            mlflow.setTag(runId, "keep", "yes");
            mlflow.setTag(runId, "state", "two");
            assertThat(keyValues(mlflow.getRun(runId), "run.data.tags")).as("tags after overwrite")
                    .containsEntry("state", "two").containsEntry("keep", "yes");

            mlflow.deleteTag(runId, "state");
            assertThat(keyValues(mlflow.getRun(runId), "run.data.tags")).as("tags after delete")
                    .doesNotContainKey("state").containsEntry("keep", "yes");
            assertMlflowError(mlflow.postRaw("/runs/delete-tag", Map.of("run_id", runId, "key", "state")), 404,
                    RESOURCE_DOES_NOT_EXIST, "delete-tag of a tag already deleted");
        }
    }

    /** Run data whose values and keys MLflow limits in length: params (write-once) and tags. */
    enum RunData {
        PARAM("param", "log-parameter", "params", "param value", 'v', 'k'),
        TAG("tag", "set-tag", "tags", "run tag value", 't', 't');

        final String noun;
        final String endpoint;
        final String plural;
        final String valueWhat;
        final char valueChar;
        final char keyChar;

        RunData(String noun, String endpoint, String plural, String valueWhat, char valueChar, char keyChar) {
            this.noun = noun;
            this.endpoint = endpoint;
            this.plural = plural;
            this.valueWhat = valueWhat;
            this.valueChar = valueChar;
            this.keyChar = keyChar;
        }

        /** The write: {@code /runs/<endpoint>} with run_id, key and value. */
        String path() {
            return "/runs/" + endpoint;
        }

        /** Where {@code runs/get} answers them, as key/value pairs. */
        String jsonPath() {
            return "run.data." + plural;
        }

        @Override
        public String toString() {
            return noun;
        }
    }

    @Nested
    @DisplayName("over-long params and tags")
    class OverLong {

        /** Each kind with the length of the value sent and the limit it must be truncated to. */
        static Stream<Arguments> overLongValues() {
            return Stream.of(arguments(RunData.PARAM, MAX_PARAM_VALUE + 1, MAX_PARAM_VALUE),
                    arguments(RunData.TAG, MAX_TAG_VALUE + 1, MAX_TAG_VALUE));
        }

        @ParameterizedTest(name = "a {0} value of {1} chars is either truncated to {2} or rejected (exactly one)")
        @MethodSource("overLongValues")
        @DisplayName("values one char over the limit")
        void overLongValue(RunData kind, int length, int limit, TestReporter report) {
            String runId = run(experiment("long" + kind.noun));
            String value = repeat(kind.valueChar, length - 2) + "XY";
            Response r = mlflow.postRaw(kind.path(), Map.of("run_id", runId, "key", "long", "value", value));
            Map<String, String> stored = keyValues(mlflow.getRun(runId), kind.jsonPath());
            assertTruncatedOrRejected(report, kind.valueWhat, r, stored.get("long"), value, limit);
        }

        @ParameterizedTest(name = "a {0} key of 250 chars is accepted, 251 is rejected")
        @EnumSource(RunData.class)
        @DisplayName("keys at and one over the 250-char limit")
        void overLongKey(RunData kind) {
            String runId = run(experiment("long" + kind.noun + "key"));
            String atLimit = repeat(kind.keyChar, MAX_KEY);
            String overLimit = repeat(kind.keyChar, MAX_KEY + 1);
            mlflow.post(kind.path(), Map.of("run_id", runId, "key", atLimit, "value", "ok"));
            assertMlflowError(mlflow.postRaw(kind.path(), Map.of("run_id", runId, "key", overLimit, "value", "x")),
                    400, INVALID_PARAMETER_VALUE, kind.endpoint + " with a 251-char key");
            Map<String, String> stored = keyValues(mlflow.getRun(runId), kind.jsonPath());
            String what = kind.plural + " after a rejected 251-char key";
            if (kind == RunData.PARAM) {
                assertThat(stored).as(what).containsExactly(Map.entry(atLimit, "ok"));
            } else { // every run also carries MLflow's own mlflow.* tags
                assertThat(stored).as(what).containsEntry(atLimit, "ok").doesNotContainKey(overLimit);
            }
        }
    }

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

    @Nested
    @DisplayName("log-batch limits")
    class LogBatch {

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
            assertThat(metricKeys).as("metric keys after a 1000-metric batch").hasSize(1000).contains("m0", "m999");
            assertThat(got.getDouble("run.data.metrics.find { it.key == 'm999' }.value")).as("value of m999").isEqualTo(999.5);
            Map<String, String> params = keyValues(got, "run.data.params");
            assertThat(params).as("params after a 100-param batch").hasSize(100).containsEntry("p0", "v0").containsEntry("p99", "v99");
            Map<String, String> tags = keyValues(got, "run.data.tags");
            assertThat(tags.keySet().stream().filter(k -> k.matches("t\\d+"))).as("user tags after a 100-tag batch").hasSize(100);
            assertThat(tags).as("tag values").containsEntry("t0", "v0").containsEntry("t99", "v99");
        }

        @ParameterizedTest(name = "{0} -> 400, nothing stored")
        @EnumSource(OverLimit.class)
        @DisplayName("one over the limit (1001 metrics / 101 params / 101 tags) is 400 INVALID_PARAMETER_VALUE and stores nothing")
        void overTheLimits(OverLimit over) {
            String runId = run(experiment("batchover"));
            long t = System.currentTimeMillis();
            Response r = mlflow.postRaw("/runs/log-batch", MlflowClient.logBatchBody(runId, metrics(over.metrics, t),
                    pairs("p", over.params), pairs("t", over.tags)));
            assertMlflowError(r, 400, INVALID_PARAMETER_VALUE, "log-batch with " + over);

            JsonPath got = mlflow.getRun(runId);
            assertThat(got.getList("run.data.metrics")).as("metrics stored by a rejected batch").isNullOrEmpty();
            assertThat(got.getList("run.data.params")).as("params stored by a rejected batch").isNullOrEmpty();
            assertThat(keyValues(got, "run.data.tags").keySet().stream().filter(k -> k.matches("t\\d+")))
                    .as("user tags stored by a rejected batch").isEmpty();
        }

        @Test
        @DisplayName("duplicate param keys in one batch are 400 INVALID_PARAMETER_VALUE")
        void duplicateParamKeys() {
            String runId = run(experiment("batchdup"));
            Response r = mlflow.postRaw("/runs/log-batch", MlflowClient.logBatchBody(runId, List.of(),
                    List.of(keyValue("a", "1"), keyValue("a", "2")), List.of()));
            assertMlflowError(r, 400, INVALID_PARAMETER_VALUE, "log-batch with a duplicate param key");
            assertThat(mlflow.getRun(runId).getList("run.data.params")).as("params after the rejected batch").isNullOrEmpty();
        }

        private List<Map<String, Object>> metrics(int n, long t) {
            return IntStream.range(0, n).mapToObj(i -> metric("m" + i, i + 0.5, t, 0)).toList();
        }

        private List<Map<String, String>> pairs(String prefix, int n) {
            return IntStream.range(0, n).mapToObj(i -> keyValue(prefix + i, "v" + i)).toList();
        }
    }

    @Nested
    @DisplayName("exact values")
    class Exact {

        @Test
        @DisplayName("full-precision doubles, subnormals, extremes and -0.0; timestamps and steps beyond 2^31, 2^32 and 2^53; "
                + "multi-byte params, tags and keys at their limits: all come back exactly")
        void roundTripExactly(TestReporter report) {
            String runId = run(experiment("exact"));
            ExactValues.Logged logged = ExactValues.log(mlflow, runId);
            List<String> problems = new ArrayList<>();
            List<String> deviations = new ArrayList<>();
            JsonNode got = ExactValues.run(mlflow, runId);
            Map<String, ExactValues.Point> latest = new LinkedHashMap<>();
            ExactValues.points(got.path("data").path("metrics")).forEach(p -> latest.put(p.key(), p));
            for (ExactValues.Point sent : ExactValues.METRICS) {
                if (logged.refused().containsKey(sent.key())) {
                    continue;
                }
                List<ExactValues.Point> history = ExactValues.history(mlflow, runId, sent.key());
                if (history.size() != 1) {
                    problems.add("history of " + sent.key() + " has " + history.size() + " points instead of 1: " + history);
                } else {
                    problems.addAll(ExactValues.differences(sent, history.get(0), "metrics/get-history", deviations));
                }
                if (latest.containsKey(sent.key())) {
                    problems.addAll(ExactValues.differences(sent, latest.get(sent.key()), "runs/get latest", deviations));
                } else {
                    problems.add("runs/get has no latest value of " + sent.key());
                }
            }
            Map<String, String> params = ExactValues.keyValues(got.path("data").path("params"));
            Map<String, String> tags = ExactValues.keyValues(got.path("data").path("tags"));
            checkText(problems, "param long_param", params.get("long_param"), ExactValues.PARAM_VALUE);
            checkText(problems, "tag long_tag", tags.get("long_tag"), ExactValues.TAG_VALUE);
            checkText(problems, "param under the 250-character key", params.get(ExactValues.LONG_KEY), "key at the limit");
            // Refusals last: the values that came back different say more about the layer than an error text.
            logged.refused().forEach((key, why) -> problems.add("log-metric " + key + " was refused: " + why));
            deviations.forEach(d -> report.publishEntry("known deviation", d));
            assertThat(problems).as("values read back through the API differ from those logged: the tracking server or its "
                    + "database narrows them (a FLOAT or 32-bit column, a non-utf8mb4 or byte-counted text column)").isEmpty();
        }

        private void checkText(List<String> problems, String what, String got, String sent) {
            if (!sent.equals(got)) {
                problems.add(what + " (" + ExactValues.length(sent) + " characters, " + sent.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        + " UTF-8 bytes) came back " + (got == null ? "missing" : "as " + ExactValues.length(got) + " characters"
                        + (got.length() > 40 ? ", starting " + got.substring(0, 40) : ": " + got)));
            }
        }
    }

    /** Writes that must be refused on a deleted run. */
    enum WriteToRun {
        LOG_METRIC("/runs/log-metric", (run, t) -> Map.of("run_id", run, "key", "m", "value", 1.0, "timestamp", t)),
        LOG_PARAMETER("/runs/log-parameter", (run, t) -> Map.of("run_id", run, "key", "p", "value", "v")),
        SET_TAG("/runs/set-tag", (run, t) -> Map.of("run_id", run, "key", "k", "value", "v")),
        LOG_BATCH("/runs/log-batch", (run, t) -> MlflowClient.logBatchBody(run, List.of(metric("m", 1.0, t, 0)),
                List.of(keyValue("p", "v")), List.of()));

        final String path;
        final BiFunction<String, Long, Map<String, Object>> body;

        WriteToRun(String path, BiFunction<String, Long, Map<String, Object>> body) {
            this.path = path;
            this.body = body;
        }
    }

    @Nested
    @DisplayName("errors")
    class Errors {

        @Test
        @DisplayName("unknown run, experiment and experiment name are 404 RESOURCE_DOES_NOT_EXIST")
        void unknownIds() {
            String missingName = Names.unique("tracking-never-created");
            assertMlflowError(mlflow.getRaw("/runs/get", Map.of("run_id", UNKNOWN_RUN)), 404, RESOURCE_DOES_NOT_EXIST, "runs/get of an unknown run");
            assertMlflowError(mlflow.getRaw("/experiments/get", Map.of("experiment_id", "987654321")), 404, RESOURCE_DOES_NOT_EXIST,
                    "experiments/get of an unknown id");
            assertMlflowError(mlflow.getRaw("/experiments/get-by-name", Map.of("experiment_name", missingName)), 404,
                    RESOURCE_DOES_NOT_EXIST, "get-by-name of an unknown name");
            assertMlflowError(mlflow.postRaw("/runs/log-metric", Map.of("run_id", UNKNOWN_RUN, "key", "m", "value", 1.0,
                    "timestamp", System.currentTimeMillis())), 404, RESOURCE_DOES_NOT_EXIST, "log-metric to an unknown run");
            assertMlflowError(mlflow.postRaw("/runs/log-parameter", Map.of("run_id", UNKNOWN_RUN, "key", "p", "value", "v")), 404,
                    RESOURCE_DOES_NOT_EXIST, "log-parameter to an unknown run");
            assertMlflowError(mlflow.postRaw("/runs/delete", Map.of("run_id", UNKNOWN_RUN)), 404, RESOURCE_DOES_NOT_EXIST,
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
            assertThat(got.getList("run.data.metrics")).as("metrics written while deleted").isNullOrEmpty();
            assertThat(got.getList("run.data.params")).as("params written while deleted").isNullOrEmpty();
            assertThat(keyValues(got, "run.data.tags")).as("tags written while deleted").doesNotContainKey("k");
        }

        @Test
        @DisplayName("malformed JSON bodies are 400 and store nothing")
        void malformedJson() {
            String runId = run(experiment("malformed"));
            List<String> bodies = List.of(
                    "{\"run_id\": \"" + runId + "\", \"key\": \"p\", \"value\": \"v\"",   // truncated
                    "{\"run_id\": \"" + runId + "\" \"key\": \"p\" \"value\": \"v\"}",    // missing commas
                    "run_id=" + runId + "&key=p&value=v",                                 // not JSON at all
                    "");
            for (String body : bodies) {
                Response r = mlflow.postRaw("/runs/log-parameter", body);
                assertMlflowError(r, 400, INVALID_PARAMETER_VALUE, "log-parameter with the malformed body <" + body + ">");
            }
            assertThat(mlflow.getRun(runId).getList("run.data.params")).as("params after malformed bodies").isNullOrEmpty();
        }
    }

    /**
     * Asserts exactly one of the two documented outcomes for an over-long value: accepted and truncated to
     * {@code limit} chars (MLFLOW_TRUNCATE_LONG_VALUES=true, the default), or rejected with 400 INVALID_PARAMETER_VALUE
     * and nothing stored; publishes which.
     */
    static void assertTruncatedOrRejected(TestReporter report, String what, Response r, String stored, String sent, int limit) {
        if (r.statusCode() == 200) {
            assertThat(stored).as(what + " of " + sent.length() + " chars was accepted: it must be stored truncated to " + limit)
                    .isNotNull().hasSize(limit).isEqualTo(sent.substring(0, limit));
            report.publishEntry("long " + what, sent.length() + " chars accepted and truncated to " + limit);
        } else {
            assertMlflowError(r, 400, INVALID_PARAMETER_VALUE, what + " of " + sent.length() + " chars");
            assertThat(stored).as(what + " was rejected: nothing may be stored").isNull();
            report.publishEntry("long " + what, sent.length() + " chars rejected with 400 INVALID_PARAMETER_VALUE");
        }
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }
}
