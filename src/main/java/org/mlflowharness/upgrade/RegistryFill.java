package org.mlflowharness.upgrade;

import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.mlflowharness.client.MlflowClient;

/**
 * The model registry of a seeded store: per fill experiment, one registered model (named after the experiment) with a
 * tag and a version for each of its first {@code versions} runs, whose source is the run's {@code model} directory.
 * A model already there is kept as it is (a reused fill). Returns the models and versions the registry holds for them.
 */
public final class RegistryFill {

    private RegistryFill() {}

    /** @return {models, versions} present for the fill's experiments */
    public static int[] fill(MlflowClient mlflow, List<String> experimentIds, int versions) {
        int models = 0;
        int total = 0;
        for (String id : experimentIds) {
            String name = mlflow.getExperiment(id).getString("experiment.name") + "-model";
            int present = mlflow.getRaw("/registered-models/get", Map.of("name", name))
                                    .statusCode()
                            == 200
                    ? mlflow.registry()
                            .searchModelVersions(Map.of("filter", "name='" + name + "'", "max_results", 1000))
                            .getList("model_versions")
                            .size()
                    : create(mlflow, id, name, versions);
            models++;
            total += present;
        }
        return new int[] {models, total};
    }

    private static int create(MlflowClient mlflow, String experimentId, String name, int versions) {
        mlflow.registry().createRegisteredModel(name, "seeded over " + experimentId);
        mlflow.registry().setRegisteredModelTag(name, "owner", "platform");
        JsonPath runs = mlflow.searchRuns(Map.of("experiment_ids", List.of(experimentId), "max_results", versions));
        List<Map<String, Object>> list = runs.getList("runs");
        for (int i = 0; i < list.size(); i++) {
            String run = runs.getString("runs[" + i + "].info.run_id");
            String source = runs.getString("runs[" + i + "].info.artifact_uri") + "/model";
            String v = mlflow.registry().createModelVersion(name, source, run).getString("model_version.version");
            mlflow.registry().setModelVersionTag(name, v, "validation", i % 2 == 0 ? "passed" : "pending");
        }
        return list.size();
    }
}
