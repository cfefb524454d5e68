package org.mlflowharness.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.response.Response;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlflowharness.client.ArtifactClient;
import org.mlflowharness.client.ArtifactClient.ArtifactFile;
import org.mlflowharness.client.ArtifactClient.Download;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.client.ObjectStore.StoredObject;
import org.mlflowharness.suites.support.ScratchRun;
import org.mlflowharness.suites.support.StackSuite;

/**
 * Proxied artifacts through nginx: what goes in comes out byte for byte (SHA-256), lands in the bucket at the key the
 * run's artifact URI implies, and leaves the bucket when deleted through MLflow. Bodies are streamed both ways:
 * the 64 MiB case never needs 64 MiB of heap.
 */
@StackSuite
@Order(1)
@Tag("artifacts")
@DisplayName("artifacts: upload, list, download, delete through nginx; the bucket holds exactly that")
class ArtifactSuite {

    static final long MIB = 1024 * 1024;

    /** A file to round-trip: where it goes in the run's artifacts and how big it is. */
    record Case(String label, String path, long size) {
        long seed() {
            return path.hashCode() * 31L + size;
        }

        String fileName() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        String parent() {
            int slash = path.lastIndexOf('/');
            return slash < 0 ? "" : path.substring(0, slash);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("0 B", "empty.bin", 0),
                new Case("1 B", "one-byte.bin", 1),
                new Case("1 MiB + 1 B", "one-mib-plus-one.bin", MIB + 1),
                new Case("64 MiB", "sixty-four-mib.bin", 64 * MIB),
                new Case("nested 3 levels", "level1/level2/level3/nested.bin", 4097),
                new Case("spaces", "dir with spaces/file name with spaces.txt", 100),
                new Case("non-ASCII", "naïve/ünïcödé 日本語 🙂.bin", 1000),
                new Case("reserved characters", "symbols/a+b=c&d;e,f@g'h(i)!~$.txt", 10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("PUT, list, GET and DELETE through nginx give back the same bytes and forget the file")
    void roundTripThroughNginx(Case c, MlflowClient mlflow) {
        try (ScratchRun run = ScratchRun.create(mlflow, "artifacts")) {
            assertThat(run.artifactUri())
                    .as("artifact_uri of a new run on a --serve-artifacts server")
                    .isEqualTo("mlflow-artifacts:/" + run.experimentId() + "/" + run.runId() + "/artifacts");
            String sha = upload(mlflow, run, c);

            assertThat(mlflow.artifacts().list(run.path(c.parent())))
                    .as("listing of '%s' after uploading %s", c.parent(), c.path())
                    .containsExactly(new ArtifactFile(c.fileName(), false, c.size()));
            Download d = mlflow.artifacts().download(run.path(c.path()));
            assertThat(d.status()).as("GET %s status", c.path()).isEqualTo(200);
            assertThat(d.size()).as("bytes downloaded of %s", c.path()).isEqualTo(c.size());
            assertThat(d.sha256())
                    .as("SHA-256 of %s downloaded through nginx vs uploaded", c.path())
                    .isEqualTo(sha);

            mlflow.artifacts().delete(run.path(c.path()));
            assertThat(mlflow.artifacts().list(run.path(c.parent())))
                    .as("listing of '%s' after DELETE of %s", c.parent(), c.path())
                    .isEmpty();
            Download gone = mlflow.artifacts().download(run.path(c.path()));
            // MLflow 3.17.2 answers 500 INTERNAL_ERROR (boto3 HeadObject 404) for a missing artifact, not 404.
            assertThat(gone.status())
                    .as("GET %s after DELETE (MLflow answers 500 for a missing object, 404 would be right)", c.path())
                    .isIn(404, 500);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName(
            "an upload lands in the bucket at the key the run's artifact URI implies, same bytes; DELETE removes it")
    void storeHoldsWhatMlflowWrote(Case c, MlflowClient mlflow) {
        assumeTrue(
                mlflow.endpoints().s3Access().isPresent(),
                "no direct S3 access to the artifact store (external stack without --s3-endpoint): cannot look into the bucket");
        try (ScratchRun run = ScratchRun.create(mlflow, "artifacts-store")) {
            ObjectStore store = run.store().orElseThrow();
            String key = run.key(c.path());
            assertThat(run.dir())
                    .as("artifact directory from artifact_uri %s", run.artifactUri())
                    .isEqualTo(run.experimentId() + "/" + run.runId() + "/artifacts");
            String sha = upload(mlflow, run, c);

            assertThat(store.keys(run.key("")))
                    .as("keys under the run's artifact prefix %s", run.key(""))
                    .containsExactly(key);
            StoredObject stored = store.read(key);
            assertThat(stored.size())
                    .as("size of s3://%s/%s", store.access().bucket(), key)
                    .isEqualTo(c.size());
            assertThat(stored.sha256())
                    .as(
                            "SHA-256 of s3://%s/%s vs uploaded through nginx",
                            store.access().bucket(), key)
                    .isEqualTo(sha);

            mlflow.artifacts().delete(run.path(c.path()));
            assertThat(store.size(key))
                    .as("s3://%s/%s after DELETE through MLflow", store.access().bucket(), key)
                    .isEmpty();
        }
    }

    @Test
    @DisplayName(
            "nested directories list level by level, on both listing APIs, and a directory DELETE removes its subtree")
    void nestedDirectories(MlflowClient mlflow) {
        try (ScratchRun run = ScratchRun.create(mlflow, "artifacts-tree")) {
            Map<String, Long> files = Map.of(
                    "root.txt", 3L,
                    "a/top.txt", 5L,
                    "a/b/sibling.txt", 7L,
                    "a/b/c/deep.bin", 11L);
            files.forEach((path, size) -> {
                try (DeterministicContent.Stream in = DeterministicContent.open(size, path.hashCode())) {
                    mlflow.artifacts().upload(run.path(path), in, size);
                }
            });

            assertThat(mlflow.artifacts().list(run.dir()))
                    .as("proxied listing of the run's root")
                    .containsExactlyInAnyOrder(dir("a"), new ArtifactFile("root.txt", false, 3L));
            assertThat(mlflow.artifacts().list(run.path("a")))
                    .as("proxied listing of a")
                    .containsExactlyInAnyOrder(dir("b"), new ArtifactFile("top.txt", false, 5L));
            assertThat(mlflow.artifacts().list(run.path("a/b")))
                    .as("proxied listing of a/b")
                    .containsExactlyInAnyOrder(dir("c"), new ArtifactFile("sibling.txt", false, 7L));
            assertThat(mlflow.artifacts().list(run.path("a/b/c")))
                    .as("proxied listing of a/b/c")
                    .containsExactly(new ArtifactFile("deep.bin", false, 11L));

            // The tracking API's listing names paths relative to the run's root.
            Response r = mlflow.spec()
                    .queryParam("run_id", run.runId())
                    .queryParam("path", "a/b")
                    .get(MlflowClient.API + "/artifacts/list");
            assertThat(r.statusCode()).as("GET artifacts/list?path=a/b").isEqualTo(200);
            assertThat(r.jsonPath().getString("root_uri")).as("root_uri").isEqualTo(run.artifactUri());
            assertThat(r.jsonPath().getList("files.path", String.class))
                    .as("tracking API listing of a/b")
                    .containsExactlyInAnyOrder("a/b/c", "a/b/sibling.txt");

            mlflow.artifacts().delete(run.path("a"));
            assertThat(mlflow.artifacts().list(run.dir()))
                    .as("run's root after DELETE of directory a")
                    .containsExactly(new ArtifactFile("root.txt", false, 3L));
            run.store()
                    .ifPresent(store -> assertThat(store.keys(run.key("a/")))
                            .as("keys under %s after DELETE of a", run.key("a/"))
                            .isEmpty());
        }
    }

    @Test
    @DisplayName("an object written straight into a run's prefix in the bucket is listed and served by MLflow")
    void objectWrittenDirectlyIsServed(MlflowClient mlflow) {
        assumeTrue(
                mlflow.endpoints().s3Access().isPresent(),
                "no direct S3 access to the artifact store (external stack without --s3-endpoint): cannot write into the bucket");
        try (ScratchRun run = ScratchRun.create(mlflow, "artifacts-direct")) {
            ObjectStore store = run.store().orElseThrow();
            String path = "direct/written by S3 ü.bin";
            long size = MIB + 1;
            String sha;
            try (DeterministicContent.Stream in = DeterministicContent.open(size, 99)) {
                store.put(run.key(path), in, size);
                sha = in.sha256Hex();
            }
            assertThat(mlflow.artifacts().list(run.path("direct")))
                    .as("MLflow's listing of an object it did not write")
                    .containsExactly(new ArtifactFile("written by S3 ü.bin", false, size));
            Download d = mlflow.artifacts().download(run.path(path));
            assertThat(d.status())
                    .as("GET through nginx of an object written directly")
                    .isEqualTo(200);
            assertThat(d.size()).as("bytes downloaded").isEqualTo(size);
            assertThat(d.sha256())
                    .as("SHA-256 through MLflow vs written to the bucket")
                    .isEqualTo(sha);

            mlflow.artifacts().delete(run.path(path));
            assertThat(store.size(run.key(path)))
                    .as("object written directly, after DELETE through MLflow")
                    .isEmpty();
        }
    }

    @Test
    @DisplayName(
            "path segments are percent-encoded as UTF-8: the names come back exactly, never decoded twice or split")
    void encodingOfNames() {
        assertThat(ArtifactClient.encodePath("dir with space/naïve 日本/a+b=c&d"))
                .as("encoding of a path with spaces, non-ASCII and reserved characters")
                .isEqualTo("dir%20with%20space/na%C3%AFve%20%E6%97%A5%E6%9C%AC/a%2Bb%3Dc%26d");
        assertThat(ArtifactClient.encode("a/b?c#d%"))
                .as("encoding of a query value")
                .isEqualTo("a%2Fb%3Fc%23d%25");
    }

    private static ArtifactFile dir(String name) {
        return new ArtifactFile(name, true, null);
    }

    /** Streams the case's content up through nginx; returns the SHA-256 computed while it was sent. */
    private static String upload(MlflowClient mlflow, ScratchRun run, Case c) {
        try (DeterministicContent.Stream in = DeterministicContent.open(c.size(), c.seed())) {
            mlflow.artifacts().upload(run.path(c.path()), in, c.size());
            assertThat(in.available()).as("bytes of %s not sent", c.path()).isZero();
            return in.sha256Hex();
        }
    }
}
