package org.mlflowharness.client;

import io.restassured.http.ContentType;
import io.restassured.http.Method;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.Map;
import org.mlflowharness.model.Answer;

/**
 * The model registry calls of the MLflow API (registered models, model versions, their tags and aliases), as
 * {@link MlflowClient#registry()}: typed calls that assert 200 and return the body, sent through the same client.
 */
public final class RegistryClient {

    private final MlflowClient mlflow;

    RegistryClient(MlflowClient mlflow) {
        this.mlflow = mlflow;
    }

    /** Creates a registered model and returns the body ({@code registered_model.*}). */
    public JsonPath createRegisteredModel(String name, String description) {
        return mlflow.post("/registered-models/create", Map.of("name", name, "description", description));
    }

    /** {@code registered-models/get}: the whole body, {@code registered_model.*}. */
    public JsonPath getRegisteredModel(String name) {
        return mlflow.get("/registered-models/get", Map.of("name", name));
    }

    public JsonPath renameRegisteredModel(String name, String newName) {
        return mlflow.post("/registered-models/rename", Map.of("name", name, "new_name", newName));
    }

    public JsonPath updateRegisteredModel(String name, String description) {
        return mlflow.send(Method.PATCH, "/registered-models/update", Map.of("name", name, "description", description));
    }

    /** {@code registered-models/search} with a raw body (filter, max_results, order_by, page_token). */
    public JsonPath searchRegisteredModels(Map<String, ?> body) {
        return mlflow.get("/registered-models/search", body);
    }

    public void setRegisteredModelTag(String name, String key, String value) {
        mlflow.post("/registered-models/set-tag", Map.of("name", name, "key", key, "value", value));
    }

    public void deleteRegisteredModelTag(String name, String key) {
        mlflow.send(Method.DELETE, "/registered-models/delete-tag", Map.of("name", name, "key", key));
    }

    public void deleteRegisteredModel(String name) {
        mlflow.send(Method.DELETE, "/registered-models/delete", Map.of("name", name));
    }

    /** Deletes a registered model the harness created, if it still exists (for cleanup). */
    public void deleteRegisteredModelIfExists(String name) {
        Response r = mlflow.spec()
                .contentType(ContentType.JSON)
                .body(Map.of("name", name))
                .delete(MlflowClient.API + "/registered-models/delete");
        if (r.statusCode() != 200 && r.statusCode() != 404) {
            throw new AssertionError("deleting registered model " + name + " answered " + r.statusCode() + ": "
                    + Answer.explain(r.statusCode(), r.asString()));
        }
    }

    /** Creates a model version and returns the body ({@code model_version.*}). */
    public JsonPath createModelVersion(String name, String source, String runId) {
        return mlflow.post("/model-versions/create", Map.of("name", name, "source", source, "run_id", runId));
    }

    /** {@code model-versions/get}: the whole body, {@code model_version.*}. */
    public JsonPath getModelVersion(String name, String version) {
        return mlflow.get("/model-versions/get", Map.of("name", name, "version", version));
    }

    public JsonPath updateModelVersion(String name, String version, String description) {
        return mlflow.send(
                Method.PATCH,
                "/model-versions/update",
                Map.of("name", name, "version", version, "description", description));
    }

    public void deleteModelVersion(String name, String version) {
        mlflow.send(Method.DELETE, "/model-versions/delete", Map.of("name", name, "version", version));
    }

    /** {@code model-versions/search} with a raw body (filter, max_results, order_by, page_token). */
    public JsonPath searchModelVersions(Map<String, ?> body) {
        return mlflow.get("/model-versions/search", body);
    }

    public void setModelVersionTag(String name, String version, String key, String value) {
        mlflow.post("/model-versions/set-tag", Map.of("name", name, "version", version, "key", key, "value", value));
    }

    public void deleteModelVersionTag(String name, String version, String key) {
        mlflow.send(Method.DELETE, "/model-versions/delete-tag", Map.of("name", name, "version", version, "key", key));
    }

    public void setAlias(String name, String alias, String version) {
        mlflow.post("/registered-models/alias", Map.of("name", name, "alias", alias, "version", version));
    }

    /** {@code GET registered-models/alias}: the version the alias points to ({@code model_version.*}). */
    public JsonPath getModelVersionByAlias(String name, String alias) {
        return mlflow.get("/registered-models/alias", Map.of("name", name, "alias", alias));
    }

    /** {@code DELETE registered-models/alias}; MLflow reads a DELETE's arguments from its JSON body. */
    public void deleteAlias(String name, String alias) {
        mlflow.send(Method.DELETE, "/registered-models/alias", Map.of("name", name, "alias", alias));
    }
}
