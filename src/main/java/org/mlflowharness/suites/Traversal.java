package org.mlflowharness.suites;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.mlflowharness.client.ArtifactClient;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;
import org.mlflowharness.suites.support.ScratchRun;

/**
 * The traversal fixture of {@link SecuritySuite}: how a traversal is spelled ({@link Form}), on which artifact route it
 * goes ({@link Route}), what it aims at ({@link Target}), and the runs, canaries and model version it is aimed from and
 * at ({@link Fixture}).
 */
final class Traversal {

    /** The start of /etc/passwd: a body that carries it returned the server host's file. */
    static final String PASSWD_MARKER = "root:x:0:0";

    /**
     * The exact non-4xx answers MLflow 3.17.2 gives to {@code ..%00/} segments in a query-string path (nginx rejects
     * %00 in the request path with 400 before MLflow sees it): an empty listing, or 500 from the failed S3 download.
     */
    static final Map<Route, Integer> KNOWN_NUL_ANSWER = Map.of(
            Route.ARTIFACT_LIST,
            200,
            Route.TRACKING_LIST,
            200,
            Route.GET_ARTIFACT,
            500,
            Route.MODEL_VERSION_GET_ARTIFACT,
            500);

    private Traversal() {}

    /** Every route that takes an artifact path, and where the path goes in it. */
    enum Route {
        ARTIFACT_GET("GET"),
        ARTIFACT_PUT("PUT"),
        ARTIFACT_DELETE("DELETE"),
        ARTIFACT_LIST("GET"),
        TRACKING_LIST("GET"),
        GET_ARTIFACT("GET"),
        MODEL_VERSION_GET_ARTIFACT("GET");

        final String method;

        Route(String method) {
            this.method = method;
        }

        /** The request target for a path that is relative to the run's artifact directory (or absolute). */
        String target(Fixture f, String payload, boolean absolute) {
            String runRelative = absolute ? payload : f.run.dir() + "/" + payload;
            return switch (this) {
                case ARTIFACT_GET, ARTIFACT_PUT, ARTIFACT_DELETE -> MlflowClient.ARTIFACTS + "/" + runRelative;
                case ARTIFACT_LIST -> MlflowClient.ARTIFACTS + "?path=" + runRelative;
                case TRACKING_LIST -> MlflowClient.API + "/artifacts/list?run_id=" + f.run.runId() + "&path=" + payload;
                case GET_ARTIFACT -> "/get-artifact?path=" + payload + "&run_uuid=" + f.run.runId();
                case MODEL_VERSION_GET_ARTIFACT ->
                    "/model-versions/get-artifact?path=" + payload + "&name=" + ArtifactClient.encode(f.model)
                            + "&version=1";
            };
        }
    }

    /** How a traversal "up N levels, then to path" is spelled. */
    enum Form {
        PLAIN,
        DOTS_ENCODED,
        SLASHES_ENCODED,
        ALL_ENCODED,
        DOUBLE_ENCODED,
        ABSOLUTE,
        ABSOLUTE_ENCODED,
        NUL_SUFFIX,
        NUL_IN_DOTS;

        String spell(int up, String path) {
            return switch (this) {
                case PLAIN -> "../".repeat(up) + path;
                case DOTS_ENCODED -> "%2e%2e/".repeat(up) + path;
                case SLASHES_ENCODED -> ("..%2f".repeat(up) + path).replace("/", "%2f");
                case ALL_ENCODED -> ("%2e%2e%2f".repeat(up) + path.replace("/", "%2f"));
                case DOUBLE_ENCODED -> ("%252e%252e%252f".repeat(up) + path.replace("/", "%252f"));
                case ABSOLUTE -> "/" + path;
                case ABSOLUTE_ENCODED -> "%2f" + path.replace("/", "%2f");
                case NUL_SUFFIX -> "../".repeat(up) + path + "%00.txt";
                case NUL_IN_DOTS -> "..%00/".repeat(up) + path;
            };
        }

        boolean absolute() {
            return this == ABSOLUTE || this == ABSOLUTE_ENCODED;
        }
    }

    /** What a traversal aims at: a file the server host has, another run's artifact, an object outside the artifact root. */
    record Target(String name, int up, String path, String absolutePath, String marker) {}

    /** A run to attack from, a canary in another experiment's run, a model version, and (with S3) a canary outside the root. */
    static final class Fixture implements AutoCloseable {
        final MlflowClient mlflow;
        final ScratchRun run;
        final ScratchRun other;
        final String model;
        final String canary = "harness-canary-" + UUID.randomUUID();
        final String bucketCanaryKey = "harness-canary-" + UUID.randomUUID() + ".txt";
        final List<Target> targets = new ArrayList<>();
        boolean modelCreated;

        Fixture(MlflowClient mlflow, boolean withModel) {
            this.mlflow = mlflow;
            this.run = ScratchRun.create(mlflow, "security");
            this.other = ScratchRun.create(mlflow, "security-victim");
            this.model = Names.unique("security-model");
            byte[] bytes = canary.getBytes(StandardCharsets.UTF_8);
            mlflow.artifacts().upload(other.path("canary.txt"), new java.io.ByteArrayInputStream(bytes), bytes.length);
            targets.add(new Target("/etc/passwd", 12, "etc/passwd", "etc/passwd", PASSWD_MARKER));
            String victim = other.dir() + "/canary.txt";
            targets.add(new Target("another experiment's artifact", 3, victim, victim, canary));
            run.store().ifPresent(store -> {
                store.put(bucketCanaryKey, new java.io.ByteArrayInputStream(bytes), bytes.length);
                String root = store.access().artifactRoot();
                int depth = root.isEmpty() ? 0 : root.split("/").length;
                targets.add(new Target(
                        "object outside the artifact root", 3 + depth, bucketCanaryKey, bucketCanaryKey, canary));
            });
            if (withModel) {
                mlflow.post("/registered-models/create", Map.of("name", model));
                modelCreated = true;
                mlflow.post(
                        "/model-versions/create",
                        Map.of("name", model, "source", run.artifactUri(), "run_id", run.runId()));
            }
        }

        /** The canaries are intact, and no PUT landed outside the run's prefix. */
        void checkCanaries(SoftAssertions soft) {
            soft.assertThat(mlflow.artifacts()
                            .download(other.path("canary.txt"))
                            .size())
                    .as("victim canary still there")
                    .isEqualTo(canary.length());
            run.store().ifPresent(store -> {
                soft.assertThat(store.size(bucketCanaryKey))
                        .as("canary outside the root still there")
                        .isPresent();
                soft.assertThat(store.keys("etc/"))
                        .as("objects written at etc/ in the bucket")
                        .isEmpty();
                soft.assertThat(store.keys(store.access().artifactRoot() + "/etc/"))
                        .as("objects written at <root>/etc/")
                        .isEmpty();
            });
        }

        @Override
        public void close() {
            try {
                if (modelCreated) {
                    mlflow.spec()
                            .contentType("application/json")
                            .body(Map.of("name", model))
                            .delete(MlflowClient.API + "/registered-models/delete");
                }
                run.store().ifPresent(store -> store.delete(bucketCanaryKey));
            } finally {
                try {
                    other.close();
                } finally {
                    run.close();
                }
            }
        }
    }
}
