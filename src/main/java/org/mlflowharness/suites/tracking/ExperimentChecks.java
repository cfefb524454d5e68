package org.mlflowharness.suites.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.mlflowharness.client.MlflowClient.keyValues;
import static org.mlflowharness.suites.support.MlflowErrors.RESOURCE_ALREADY_EXISTS;
import static org.mlflowharness.suites.support.MlflowErrors.RESOURCE_DOES_NOT_EXIST;
import static org.mlflowharness.suites.support.MlflowErrors.assertMlflowError;
import static org.mlflowharness.suites.support.MlflowErrors.errorCode;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.mlflowharness.client.Names;

/**
 * The tracking suite's experiment checks: create and get, search with paging, rename, delete and restore, tags,
 * unicode names, names differing only in case. {@code TrackingSuite} runs it as one of its {@code @Nested} groups.
 */
public abstract class ExperimentChecks extends TrackingChecks {

    @Test
    @DisplayName("create with tags, get and get-by-name return the same experiment")
    void createGetAndGetByName() {
        String name = Names.unique("tracking-exp");
        String id = scratch.ownExperiment(
                mlflow.createExperiment(name, Map.of("team", "harness", "purpose", "conformance")));

        JsonPath byId = mlflow.getExperiment(id);
        assertThat(byId.getString("experiment.experiment_id"))
                .as("id of experiments/get")
                .isEqualTo(id);
        assertThat(byId.getString("experiment.name"))
                .as("name of experiments/get")
                .isEqualTo(name);
        assertThat(byId.getString("experiment.lifecycle_stage"))
                .as("stage of a new experiment")
                .isEqualTo("active");
        assertThat(byId.getString("experiment.artifact_location"))
                .as("artifact location of an experiment on a proxied store")
                .isEqualTo("mlflow-artifacts:/" + id);
        assertThat(keyValues(byId, "experiment.tags"))
                .as("tags given at creation")
                .containsEntry("team", "harness")
                .containsEntry("purpose", "conformance");

        JsonPath byName = mlflow.getExperimentByName(name);
        assertThat(byName.getString("experiment.experiment_id"))
                .as("get-by-name finds the experiment just created")
                .isEqualTo(id);
        assertThat(byName.getString("experiment.name"))
                .as("name of get-by-name")
                .isEqualTo(name);
    }

    @Test
    @DisplayName("search: filter by name, order by name, page through with max_results and page_token")
    void searchFilterOrderPaging() {
        String base = Names.unique("tracking-search");
        String a = scratch.experimentNamed(base + "-a");
        String b = scratch.experimentNamed(base + "-b");
        String c = scratch.experimentNamed(base + "-c");
        Map<String, Object> query = new LinkedHashMap<>(
                Map.of("filter", "name LIKE '" + base + "-%'", "order_by", List.of("name DESC"), "max_results", 2));

        JsonPath page1 = mlflow.searchExperiments(query);
        assertThat(page1.getList("experiments.experiment_id", String.class))
                .as("first page: the two last names, descending")
                .containsExactly(c, b);
        String token = page1.getString("next_page_token");
        assertThat(token).as("next_page_token after a full first page").isNotBlank();

        query.put("page_token", token);
        JsonPath page2 = mlflow.searchExperiments(query);
        assertThat(page2.getList("experiments.experiment_id", String.class))
                .as("second page: the remaining one")
                .containsExactly(a);
        assertThat(page2.getString("next_page_token"))
                .as("no next_page_token after the last page")
                .isNullOrEmpty();
    }

    @Test
    @DisplayName("update renames: the new name finds it, the old name no longer does")
    void renameViaUpdate() {
        String oldName = Names.unique("tracking-rename");
        String id = scratch.experimentNamed(oldName);
        String newName = oldName + "-renamed";
        mlflow.renameExperiment(id, newName);

        assertThat(mlflow.getExperiment(id).getString("experiment.name"))
                .as("name after rename")
                .isEqualTo(newName);
        assertThat(mlflow.getExperimentByName(newName).getString("experiment.experiment_id"))
                .as("get-by-name with the new name")
                .isEqualTo(id);
        assertMlflowError(
                mlflow.getRaw("/experiments/get-by-name", Map.of("experiment_name", oldName)),
                404,
                RESOURCE_DOES_NOT_EXIST,
                "get-by-name with the old name after a rename");
    }

    @Test
    @DisplayName("delete marks it deleted (search ACTIVE_ONLY hides it, DELETED_ONLY shows it); restore brings it back")
    void deleteAndRestore() {
        String name = Names.unique("tracking-delete");
        String id = scratch.experimentNamed(name);
        Map<String, Object> byName = Map.of("filter", "name = '" + name + "'", "max_results", 10);

        mlflow.deleteExperiment(id);
        assertThat(mlflow.getExperiment(id).getString("experiment.lifecycle_stage"))
                .as("stage after delete")
                .isEqualTo("deleted");
        assertThat(ids(mlflow.searchExperiments(with(byName, "view_type", "ACTIVE_ONLY"))))
                .as("active search after delete")
                .doesNotContain(id);
        assertThat(ids(mlflow.searchExperiments(with(byName, "view_type", "DELETED_ONLY"))))
                .as("deleted search after delete")
                .containsExactly(id);

        mlflow.restoreExperiment(id);
        assertThat(mlflow.getExperiment(id).getString("experiment.lifecycle_stage"))
                .as("stage after restore")
                .isEqualTo("active");
        assertThat(ids(mlflow.searchExperiments(with(byName, "view_type", "ACTIVE_ONLY"))))
                .as("active search after restore")
                .containsExactly(id);
    }

    @Test
    @DisplayName("experiment tags: set, overwrite, delete")
    void experimentTags() {
        String id = experiment("exptags");
        mlflow.setExperimentTag(id, "stage", "draft");
        mlflow.setExperimentTag(id, "owner", "harness");
        mlflow.setExperimentTag(id, "stage", "final");
        assertThat(keyValues(mlflow.getExperiment(id), "experiment.tags"))
                .as("tags after set and overwrite")
                .containsEntry("stage", "final")
                .containsEntry("owner", "harness");

        mlflow.deleteExperimentTag(id, "stage");
        assertThat(keyValues(mlflow.getExperiment(id), "experiment.tags"))
                .as("tags after deleting 'stage'")
                .doesNotContainKey("stage")
                .containsEntry("owner", "harness");
    }

    @Test
    @DisplayName("a unicode name (accents, CJK, 4-byte emoji) round-trips through get and get-by-name")
    void unicodeName() {
        String name = Names.unique("tracking-unicode") + "-Ünïcødé-实验-🚀";
        String id = scratch.experimentNamed(name);
        assertThat(mlflow.getExperiment(id).getString("experiment.name"))
                .as("unicode name via get")
                .isEqualTo(name);
        assertThat(mlflow.getExperimentByName(name).getString("experiment.experiment_id"))
                .as("get-by-name with a unicode name")
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
            report.publishEntry(
                    "case-only names", "second create answered " + second.statusCode() + " " + errorCode(second));
            if (RESOURCE_ALREADY_EXISTS.equals(errorCode(second))) {
                fail("creating experiment '" + lower + "' after '" + upper
                        + "' was rejected with RESOURCE_ALREADY_EXISTS: "
                        + "the database compares experiment names case-insensitively. This is the MySQL/MariaDB collation "
                        + "problem (default collation *_ci such as utf8mb4_general_ci / utf8mb4_0900_ai_ci; mlflow#25911, "
                        + "PR #25921): give experiments.name a binary collation (e.g. utf8mb4_bin). Server said: "
                        + second.jsonPath().getString("message"));
            }
            fail("creating experiment '" + lower + "' after '" + upper + "' failed: " + second.statusCode() + " "
                    + second.asString());
        }
        String lowerId = scratch.ownExperiment(second.jsonPath().getString("experiment_id"));
        report.publishEntry("case-only names", "both created: names are case-sensitive");

        assertThat(lowerId)
                .as("two names differing in case must be two experiments")
                .isNotEqualTo(upperId);
        assertThat(mlflow.getExperimentByName(upper).getString("experiment.experiment_id"))
                .as("get-by-name '" + upper + "' must not return the other-case experiment (collation)")
                .isEqualTo(upperId);
        assertThat(mlflow.getExperimentByName(lower).getString("experiment.experiment_id"))
                .as("get-by-name '" + lower + "' must not return the other-case experiment (collation)")
                .isEqualTo(lowerId);
    }

    private List<String> ids(JsonPath search) {
        List<String> ids = search.getList("experiments.experiment_id", String.class);
        return ids == null ? List.of() : ids;
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }
}
