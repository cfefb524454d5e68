package org.mlflowharness.suites.support;

import io.restassured.path.json.JsonPath;
import java.util.Optional;
import org.mlflowharness.client.ArtifactClient;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.model.Endpoints;

/**
 * An experiment with one run that a test owns: created with a unique name, and on {@link #close()} the objects under
 * the run's prefix in the store are deleted (when the harness has direct S3 access) and the experiment is deleted.
 * Use it in try-with-resources so cleanup happens when assertions fail.
 */
public final class ScratchRun implements AutoCloseable {

    private final MlflowClient mlflow;
    private final ObjectStore store;
    private final String experimentId;
    private final String runId;
    private final String artifactUri;

    private ScratchRun(MlflowClient mlflow, ObjectStore store, String experimentId, String runId, String artifactUri) {
        this.mlflow = mlflow;
        this.store = store;
        this.experimentId = experimentId;
        this.runId = runId;
        this.artifactUri = artifactUri;
    }

    /** Creates experiment {@code Names.unique(what)} and a run in it. */
    public static ScratchRun create(MlflowClient mlflow, String what) {
        Endpoints e = mlflow.endpoints();
        ObjectStore store = e.s3Access().map(ObjectStore::new).orElse(null);
        String exp = null;
        try {
            exp = mlflow.createExperiment(Names.unique(what));
            JsonPath info = mlflow.createRun(exp);
            return new ScratchRun(mlflow, store, exp, info.getString("run_id"), info.getString("artifact_uri"));
        } catch (RuntimeException | AssertionError ex) {
            if (exp != null) {
                mlflow.deleteExperiment(exp);
            }
            if (store != null) {
                store.close();
            }
            throw ex;
        }
    }

    public String experimentId() {
        return experimentId;
    }

    public String runId() {
        return runId;
    }

    /** The run's {@code artifact_uri} as MLflow returned it. */
    public String artifactUri() {
        return artifactUri;
    }

    /** The run's artifact directory relative to the proxied artifact root, e.g. {@code 1/abc/artifacts}. */
    public String dir() {
        return ArtifactClient.proxiedArtifactDir(artifactUri);
    }

    /** A path of the run's artifacts relative to the proxied artifact root: {@code dir() + "/" + relative}. */
    public String path(String relative) {
        return relative.isEmpty() ? dir() : dir() + "/" + relative;
    }

    /** Direct access to the store, when the stack offers it. */
    public Optional<ObjectStore> store() {
        return Optional.ofNullable(store);
    }

    /** The S3 key of an artifact of this run ({@link ObjectStore#keyFor}: {@code <root>/<exp>/<run>/artifacts/<relative>}). */
    public String key(String relative) {
        if (store == null) {
            throw new IllegalStateException("no direct S3 access: check store().isPresent() first");
        }
        return store.keyFor(experimentId, runId, relative);
    }

    @Override
    public void close() {
        try {
            if (store != null) {
                store.deletePrefix(store.access().artifactRoot() + "/" + experimentId + "/" + runId + "/");
            }
        } finally {
            try {
                mlflow.deleteExperiment(experimentId);
            } finally {
                if (store != null) {
                    store.close();
                }
            }
        }
    }
}
