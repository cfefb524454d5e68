package org.mlflowharness.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.mlflowharness.client.MlflowClient.keyValues;
import static org.mlflowharness.suites.support.MlflowErrors.INVALID_PARAMETER_VALUE;
import static org.mlflowharness.suites.support.MlflowErrors.RESOURCE_ALREADY_EXISTS;
import static org.mlflowharness.suites.support.MlflowErrors.RESOURCE_DOES_NOT_EXIST;
import static org.mlflowharness.suites.support.MlflowErrors.assertMlflowError;
import static org.mlflowharness.suites.support.MlflowErrors.errorCode;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;
import org.mlflowharness.suites.support.Scratch;
import org.mlflowharness.suites.support.ScratchRun;
import org.mlflowharness.suites.support.StackSuite;

/**
 * The model registry through nginx: registered models, model versions whose source is a run's proxied
 * {@code mlflow-artifacts:} URI, aliases, tags, search, deletion, and rejected sources.
 * Every test creates its own uniquely named models (and experiment for the source run) through its {@link Scratch},
 * which deletes them afterwards.
 */
@StackSuite
@Order(3)
@Tag("registry")
@DisplayName("registry: registered models, model versions from run artifact URIs, aliases, tags, search")
class RegistrySuite {

    private MlflowClient mlflow;
    private Scratch scratch;

    @BeforeEach
    void setUp(MlflowClient client, Scratch scratch) {
        this.mlflow = client;
        this.scratch = scratch;
    }

    /** A registered model under a unique name, deleted after the test. */
    private String model(String what) {
        return scratch.registeredModel("registry-" + what);
    }

    /** A run in a fresh experiment, deleted after the test. */
    private ScratchRun sourceRun() {
        return scratch.run("registry-source");
    }

    private static List<String> list(JsonPath json, String path) {
        List<String> values = json.getList(path, String.class);
        return values == null ? List.of() : values;
    }

    @Nested
    @DisplayName("registered models")
    class RegisteredModels {

        @Test
        @DisplayName("create, get, update description, set/delete tag, rename, delete")
        void lifecycle() {
            String name = scratch.registeredModelNamed(Names.unique("registry-model"), "first description");
            JsonPath got = mlflow.registry().getRegisteredModel(name);
            assertThat(got.getString("registered_model.name"))
                    .as("name via get")
                    .isEqualTo(name);
            assertThat(got.getString("registered_model.description"))
                    .as("description given at creation")
                    .isEqualTo("first description");

            assertThat(mlflow.registry()
                            .updateRegisteredModel(name, "second description")
                            .getString("registered_model.description"))
                    .as("description in the update answer")
                    .isEqualTo("second description");
            assertThat(mlflow.registry().getRegisteredModel(name).getString("registered_model.description"))
                    .as("description after update")
                    .isEqualTo("second description");

            mlflow.registry().setRegisteredModelTag(name, "owner", "harness");
            mlflow.registry().setRegisteredModelTag(name, "stage", "dev");
            mlflow.registry().setRegisteredModelTag(name, "stage", "prod");
            assertThat(keyValues(mlflow.registry().getRegisteredModel(name), "registered_model.tags"))
                    .as("tags after set and overwrite")
                    .containsOnly(Map.entry("owner", "harness"), Map.entry("stage", "prod"));
            mlflow.registry().deleteRegisteredModelTag(name, "stage");
            assertThat(keyValues(mlflow.registry().getRegisteredModel(name), "registered_model.tags"))
                    .as("tags after delete-tag")
                    .containsOnly(Map.entry("owner", "harness"));

            String newName = scratch.ownRegisteredModel(name + "-renamed");
            assertThat(mlflow.registry().renameRegisteredModel(name, newName).getString("registered_model.name"))
                    .as("name in the rename answer")
                    .isEqualTo(newName);
            assertThat(mlflow.registry().getRegisteredModel(newName).getString("registered_model.description"))
                    .as("description kept by rename")
                    .isEqualTo("second description");
            assertMlflowError(
                    mlflow.getRaw("/registered-models/get", Map.of("name", name)),
                    404,
                    RESOURCE_DOES_NOT_EXIST,
                    "get of the old name after rename");

            mlflow.registry().deleteRegisteredModel(newName);
            assertMlflowError(
                    mlflow.getRaw("/registered-models/get", Map.of("name", newName)),
                    404,
                    RESOURCE_DOES_NOT_EXIST,
                    "get of a deleted registered model");
        }

        @Test
        @DisplayName("search by name filter returns exactly the matching models, ordered and paged")
        void searchByName() {
            String base = Names.unique("registry-search");
            String a = scratch.registeredModelNamed(base + "-a", "");
            String b = scratch.registeredModelNamed(base + "-b", "");
            String c = scratch.registeredModelNamed(base + "-c", "");

            assertThat(list(
                            mlflow.registry()
                                    .searchRegisteredModels(
                                            Map.of("filter", "name LIKE '" + base + "-%'", "order_by", "name ASC")),
                            "registered_models.name"))
                    .as("LIKE filter on the common prefix")
                    .containsExactly(a, b, c);
            assertThat(list(
                            mlflow.registry().searchRegisteredModels(Map.of("filter", "name = '" + b + "'")),
                            "registered_models.name"))
                    .as("equality filter")
                    .containsExactly(b);

            JsonPath page1 = mlflow.registry()
                    .searchRegisteredModels(
                            Map.of("filter", "name LIKE '" + base + "-%'", "order_by", "name DESC", "max_results", 2));
            assertThat(list(page1, "registered_models.name"))
                    .as("first page of 2, descending")
                    .containsExactly(c, b);
            String token = page1.getString("next_page_token");
            assertThat(token).as("next_page_token after a full page").isNotBlank();
            JsonPath page2 = mlflow.registry()
                    .searchRegisteredModels(Map.of(
                            "filter",
                            "name LIKE '" + base + "-%'",
                            "order_by",
                            "name DESC",
                            "max_results",
                            2,
                            "page_token",
                            token));
            assertThat(list(page2, "registered_models.name")).as("second page").containsExactly(a);
            assertThat(page2.getString("next_page_token"))
                    .as("no token after the last page")
                    .isNullOrEmpty();
        }

        @Test
        @DisplayName(
                "two model names differing only in case are two models (a case-insensitive DB collation breaks this)")
        void namesDifferingOnlyInCase(TestReporter report) {
            String base = Names.unique("registry-case");
            String upper = scratch.registeredModelNamed(base + "-Model", "upper");
            String lower = base + "-model";
            Response second =
                    mlflow.postRaw("/registered-models/create", Map.of("name", lower, "description", "lower"));
            if (!RESOURCE_ALREADY_EXISTS.equals(
                    errorCode(second))) { // else never delete the other-case model through this name
                scratch.ownRegisteredModel(lower);
            }
            if (second.statusCode() != 200) {
                report.publishEntry(
                        "case-only model names",
                        "second create answered " + second.statusCode() + " " + errorCode(second));
                if (RESOURCE_ALREADY_EXISTS.equals(errorCode(second))) {
                    fail("creating registered model '" + lower + "' after '" + upper
                            + "' was rejected with RESOURCE_ALREADY_EXISTS: "
                            + "the database compares model names case-insensitively. This is the MySQL/MariaDB collation "
                            + "problem (default collation *_ci; mlflow#25911, PR #25921): registered_models.name needs a binary "
                            + "collation (e.g. utf8mb4_bin). Server said: "
                            + second.jsonPath().getString("message"));
                }
                fail("creating registered model '" + lower + "' failed: " + second.statusCode() + " "
                        + second.asString());
            }
            assertThat(mlflow.registry().getRegisteredModel(upper).getString("registered_model.description"))
                    .as("get '" + upper + "' must not return the other-case model (collation)")
                    .isEqualTo("upper");
            assertThat(mlflow.registry().getRegisteredModel(lower).getString("registered_model.description"))
                    .as("get '" + lower + "' must not return the other-case model (collation)")
                    .isEqualTo("lower");
        }

        @Test
        @DisplayName(
                "get, rename and delete of an unknown model are 404 RESOURCE_DOES_NOT_EXIST; a duplicate create is 400")
        void errors() {
            String missing = Names.unique("registry-never-created");
            assertMlflowError(
                    mlflow.getRaw("/registered-models/get", Map.of("name", missing)),
                    404,
                    RESOURCE_DOES_NOT_EXIST,
                    "get of an unknown model");
            assertMlflowError(
                    mlflow.postRaw("/registered-models/rename", Map.of("name", missing, "new_name", missing + "-x")),
                    404,
                    RESOURCE_DOES_NOT_EXIST,
                    "rename of an unknown model");
            String name = model("dup");
            assertMlflowError(
                    mlflow.postRaw("/registered-models/create", Map.of("name", name)),
                    400,
                    RESOURCE_ALREADY_EXISTS,
                    "create of an existing model name");
        }
    }

    @Nested
    @DisplayName("model versions")
    class ModelVersions {

        @Test
        @DisplayName("versions from a run's mlflow-artifacts URI: create, get, update, tags, search by name, delete")
        void lifecycle() {
            ScratchRun run = sourceRun();
            String runId = run.runId();
            String source = run.artifactUri() + "/model";
            assertThat(source).as("a proxied run's artifact URI").startsWith("mlflow-artifacts:/");
            String name = model("versions");

            JsonPath v1 = mlflow.registry().createModelVersion(name, source, runId);
            assertThat(v1.getString("model_version.version"))
                    .as("first version number")
                    .isEqualTo("1");
            assertThat(v1.getString("model_version.source"))
                    .as("source as given")
                    .isEqualTo(source);
            assertThat(v1.getString("model_version.run_id"))
                    .as("run id as given")
                    .isEqualTo(runId);
            String v2 =
                    mlflow.registry().createModelVersion(name, source, runId).getString("model_version.version");
            assertThat(v2).as("second version number").isEqualTo("2");

            JsonPath got = mlflow.registry().getModelVersion(name, "1");
            assertThat(got.getString("model_version.name"))
                    .as("model of version 1")
                    .isEqualTo(name);
            assertThat(got.getString("model_version.source"))
                    .as("source of version 1")
                    .isEqualTo(source);
            assertThat(got.getString("model_version.status"))
                    .as("status of version 1")
                    .isEqualTo("READY");

            assertThat(mlflow.registry()
                            .updateModelVersion(name, "1", "v1 notes")
                            .getString("model_version.description"))
                    .as("description in the update answer")
                    .isEqualTo("v1 notes");
            assertThat(mlflow.registry().getModelVersion(name, "1").getString("model_version.description"))
                    .as("description after update")
                    .isEqualTo("v1 notes");

            mlflow.registry().setModelVersionTag(name, "1", "validated", "false");
            mlflow.registry().setModelVersionTag(name, "1", "validated", "true");
            mlflow.registry().setModelVersionTag(name, "1", "temp", "x");
            mlflow.registry().deleteModelVersionTag(name, "1", "temp");
            assertThat(keyValues(mlflow.registry().getModelVersion(name, "1"), "model_version.tags"))
                    .as("version tags after overwrite and delete")
                    .containsOnly(Map.entry("validated", "true"));

            assertThat(versions(name)).as("search versions by name").containsExactlyInAnyOrder("1", "2");
            mlflow.registry().deleteModelVersion(name, "1");
            assertMlflowError(
                    mlflow.getRaw("/model-versions/get", Map.of("name", name, "version", "1")),
                    404,
                    RESOURCE_DOES_NOT_EXIST,
                    "get of a deleted version");
            assertThat(versions(name))
                    .as("search versions after deleting version 1")
                    .containsExactly("2");

            mlflow.registry().deleteRegisteredModel(name);
            assertMlflowError(
                    mlflow.getRaw("/model-versions/get", Map.of("name", name, "version", "2")),
                    404,
                    RESOURCE_DOES_NOT_EXIST,
                    "get of a version of a deleted model");
        }

        @Test
        @DisplayName("aliases: set, get by alias, move to another version, delete")
        void aliases() {
            ScratchRun run = sourceRun();
            String name = model("aliases");
            String source = run.artifactUri() + "/model";
            mlflow.registry().createModelVersion(name, source, run.runId());
            mlflow.registry().createModelVersion(name, source, run.runId());

            mlflow.registry().setAlias(name, "champion", "1");
            mlflow.registry().setAlias(name, "challenger", "2");
            assertThat(mlflow.registry()
                            .getModelVersionByAlias(name, "champion")
                            .getString("model_version.version"))
                    .as("champion -> version")
                    .isEqualTo("1");
            assertThat(list(mlflow.registry().getModelVersion(name, "1"), "model_version.aliases"))
                    .as("aliases of version 1")
                    .containsExactly("champion");

            mlflow.registry().setAlias(name, "champion", "2");
            assertThat(mlflow.registry()
                            .getModelVersionByAlias(name, "champion")
                            .getString("model_version.version"))
                    .as("champion after moving it")
                    .isEqualTo("2");
            assertThat(list(mlflow.registry().getModelVersion(name, "2"), "model_version.aliases"))
                    .as("aliases of version 2")
                    .containsExactlyInAnyOrder("champion", "challenger");
            assertThat(list(mlflow.registry().getRegisteredModel(name), "registered_model.aliases.alias"))
                    .as("aliases on the model")
                    .containsExactlyInAnyOrder("champion", "challenger");

            mlflow.registry().deleteAlias(name, "champion");
            // MLflow's SQL registry store answers an unknown alias with INVALID_PARAMETER_VALUE (400), not 404.
            String message = assertMlflowError(
                    mlflow.getRaw("/registered-models/alias", Map.of("name", name, "alias", "champion")),
                    400,
                    INVALID_PARAMETER_VALUE,
                    "get by a deleted alias");
            assertThat(message).as("message of get by a deleted alias").contains("alias champion not found");
            assertThat(list(mlflow.registry().getRegisteredModel(name), "registered_model.aliases.alias"))
                    .as("aliases after delete")
                    .containsExactly("challenger");
        }

        @ParameterizedTest(name = "source ending in {0} -> 400")
        @ValueSource(
                strings = {
                    "/../../other-run/artifacts/model",
                    "/model/../../../secrets",
                    "/model%00.txt",
                    "/model%2F..%2F..%2Fx"
                })
        @DisplayName("a version source with '..' or '%00' is rejected with 400 and creates no version")
        void rejectsTraversalSources(String suffix) {
            ScratchRun run = sourceRun();
            String name = model("badsource");
            String source = run.artifactUri() + suffix;
            Response r = mlflow.postRaw(
                    "/model-versions/create", Map.of("name", name, "source", source, "run_id", run.runId()));
            assertMlflowError(r, 400, INVALID_PARAMETER_VALUE, "model-versions/create with source " + source);
            assertThat(versions(name)).as("versions after a rejected source").isEmpty();
        }

        private List<String> versions(String name) {
            return list(
                    mlflow.registry().searchModelVersions(Map.of("filter", "name = '" + name + "'")),
                    "model_versions.version");
        }
    }
}
