package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.Endpoints.S3Access;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Readiness;
import org.mlflowharness.stack.MigrationFailure;

/**
 * The native stack's tracking server: {@code mlflow server} from a version's virtualenv on a loopback port, in front
 * of the database and the object store, with worker timeouts that survive a busy 2-core machine.
 */
final class MlflowServer {

    /** From SIGTERM to SIGKILL: measured, the web workers exit in under 1 s, the idle job consumers take up to 10 s. */
    static final Duration STOP_GRACE = Duration.ofSeconds(3);

    /** gunicorn's worker timeout (2.x) and uvicorn's worker health-check timeout (3.x) given to MLflow. */
    static final int WORKER_TIMEOUT_SECONDS = 300;

    private final Path dir;
    private final Path cacheDir;
    private final Fault fault;
    /** Web workers given with --workers at the next start; null: MLflow's default. */
    private volatile Integer workers;

    /** The temporary directory ({@code TMPDIR}) of the MLflow started in work directory {@code dir}. */
    static Path tempDir(Path dir) {
        return dir.resolve("mlflow-tmp");
    }

    /**
     * @param dir the stack's work directory: MLflow's temp files go to {@link #tempDir}
     * @param cacheDir where the virtualenvs are (their resolution goes into the description)
     */
    MlflowServer(Path dir, Path cacheDir, Fault fault) {
        this.dir = dir;
        this.cacheDir = cacheDir;
        this.fault = fault;
    }

    /** The next start runs {@code n} web workers ({@code --workers n}); null: MLflow's default, as at the first start. */
    void workers(Integer n) {
        this.workers = n;
    }

    /** A ready tracking server: where it answers, its process, the version it reports and how that was found. */
    record Started(URI base, ManagedProcess process, String version, String versionSource) {}

    /** MLflow {@code version} (executable {@code mlflow}) on {@code port}; the version source names the venv's resolution. */
    Started start(String version, Path mlflow, DatabaseAccess db, S3Access s3, int port, NativeProcesses processes) {
        List<String> command = new ArrayList<>(List.of(
                mlflow.toString(),
                "server",
                "--backend-store-uri",
                db.sqlAlchemyUri(),
                "--artifacts-destination",
                "s3://" + s3.bucket() + "/" + s3.artifactRoot(),
                fault == Fault.MLFLOW_NO_SERVE_ARTIFACTS ? "--no-serve-artifacts" : "--serve-artifacts",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port)));
        Integer n = workers;
        if (n != null) {
            command.addAll(List.of("--workers", String.valueOf(n)));
        }
        boolean uvicornHealthcheck = !servedByGunicorn(version) && MlflowReleases.uvicornHasWorkerHealthcheck(mlflow);
        if (servedByGunicorn(version)) {
            // gunicorn kills a worker that has not answered its arbiter for 30 s; four workers importing MLflow at once
            // on a busy 2-core machine take longer than that, and are killed in a loop (seen with 2.9.2). Uploads too.
            command.addAll(List.of("--gunicorn-opts", "--timeout " + WORKER_TIMEOUT_SECONDS));
        } else if (uvicornHealthcheck) {
            // uvicorn's supervisor kills a worker that does not answer its health check within 5 s, also while it is
            // still importing MLflow (over a minute on a busy 2-core machine): restarted and killed in a loop (seen
            // with 3.16.1).
            command.addAll(List.of("--uvicorn-opts", "--timeout-worker-healthcheck " + WORKER_TIMEOUT_SECONDS));
        }
        try {
            Files.createDirectories(tempDir(dir));
        } catch (IOException e) {
            throw new StackException(
                    "mlflow", "cannot create its temp dir: " + e.getMessage(), "pass a writable --work-dir");
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        // Four workers importing MLflow at once took over 4 minutes on a 2-core machine running other stacks.
        ManagedProcess p;
        try {
            p = processes.launchReady(
                    "tracking",
                    "mlflow",
                    command,
                    Map.of(
                            "MLFLOW_S3_ENDPOINT_URL",
                            s3.endpoint().toString(),
                            "AWS_ACCESS_KEY_ID",
                            s3.accessKey(),
                            "AWS_SECRET_ACCESS_KEY",
                            s3.secretKey(),
                            "AWS_DEFAULT_REGION",
                            s3.region(),
                            "MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE",
                            "path",
                            "TMPDIR",
                            tempDir(dir).toString()),
                    Readiness.http(base.resolve("/health"), 200),
                    Duration.ofSeconds(600),
                    "see " + dir.resolve("logs/mlflow.log"),
                    null);
        } catch (StackException e) {
            throw diagnosed(e, db);
        }
        // Its web workers exit within a second of SIGTERM; MLflow 3's job consumers (huey) sleep up to 10 s between
        // polls and only then see the stop. MLflow keeps no state of its own (the database and the store do).
        p.withStopGrace(STOP_GRACE);
        String reported = httpText(base.resolve("/version"), p).trim();
        return new Started(
                base,
                p,
                reported,
                "GET /version; installed by " + Toolchain.mlflowResolution(cacheDir, version)
                        + (servedByGunicorn(version)
                                ? "; served by gunicorn --timeout " + WORKER_TIMEOUT_SECONDS
                                : uvicornHealthcheck
                                        ? "; served by uvicorn --timeout-worker-healthcheck " + WORKER_TIMEOUT_SECONDS
                                        : "")
                        + (n == null ? "" : "; --workers " + n));
    }

    /** A start failure with the database's reason as its headline when MLflow's log shows one (not its traceback). */
    private StackException diagnosed(StackException e, DatabaseAccess db) {
        Path log = dir.resolve("logs/mlflow.log");
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException io) {
            return e;
        }
        return MigrationFailure.diagnose(lines, MigrationFailure.schemaRevision(db))
                .map(d -> new StackException("mlflow", d.problem() + " (log: " + log + ")", d.fix(), e.logTail(), e))
                .orElse(e);
    }

    /** MLflow before 3.0 serves with gunicorn (3.x with uvicorn unless --gunicorn-opts is given). */
    static boolean servedByGunicorn(String version) {
        return version.matches("[0-2]\\..*");
    }

    private static String httpText(URI uri, ManagedProcess p) {
        try {
            return Readiness.HTTP
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw p.failure("GET " + uri + " failed: " + e.getMessage(), "see " + p.log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw p.failure("interrupted", "", e);
        }
    }
}
