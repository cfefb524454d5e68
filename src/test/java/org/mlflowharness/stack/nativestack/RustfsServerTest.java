package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.model.Endpoints.S3Access;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Ports;

/**
 * RustFS runs with the article's Compose settings, with only address, data directory and keys replaced; its start is
 * checked against a fake rustfs (a small Python HTTP server answering /health and /health/ready like RustFS 1.0.1).
 */
class RustfsServerTest {

    static final Path COMPOSE = Path.of("compose").toAbsolutePath();

    /**
     * Writes the environment it got to env.json in RUSTFS_VOLUMES, logs RustFS 1.0.1's warning about the article's
     * object cache variables, answers /health at once and /health/ready with 503 the first time, then 200.
     */
    static final String FAKE_RUSTFS = """
            #!/usr/bin/env python3
            import http.server, json, os
            host, port = os.environ["RUSTFS_ADDRESS"].rsplit(":", 1)
            with open(os.path.join(os.environ["RUSTFS_VOLUMES"], "env.json"), "w") as f:
                json.dump(dict(os.environ), f)
            print("2026-11-30T16:00:00.1Z  WARN rustfs::app: ignored unrecognized object cache environment variables "
                  "ignored_env_keys=RUSTFS_OBJECT_CACHE_ENABLE,RUSTFS_OBJECT_CACHE_TTL_SECS", flush=True)
            asked = {"ready": 0}
            class Health(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    if self.path == "/health":
                        code, body = 200, {"status": "ok", "service": "rustfs-endpoint", "version": "%s"}
                    elif self.path == "/health/ready":
                        asked["ready"] += 1
                        code, body = (503, {"status": "degraded", "ready": False}) if asked["ready"] == 1 else (200, {"status": "ok", "ready": True})
                    else:
                        code, body = 404, {}
                    data = json.dumps(body).encode()
                    self.send_response(code)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                def log_message(self, *args):
                    pass
            http.server.HTTPServer((host, int(port)), Health).serve_forever()
            """;

    @TempDir
    Path dir;

    private final List<ManagedProcess> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(ManagedProcess::stop);
    }

    private Path fakeRustfs(String version) throws Exception {
        Path bin = dir.resolve("bin/rustfs");
        Files.createDirectories(bin.getParent());
        Files.writeString(bin, FAKE_RUSTFS.formatted(version));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private ObjectStoreServer.Started start(RustfsServer server, S3Access s3) {
        return server.start(s3, dir, (component, command, env, ready, timeout) -> {
            ManagedProcess p =
                    ManagedProcess.start(component, command, env, dir, dir.resolve("logs/" + component + ".log"));
            started.add(p);
            p.awaitReady(ready, timeout, "see " + p.log());
            return p;
        });
    }

    private static S3Access s3() {
        return new S3Access(
                URI.create("http://127.0.0.1:" + Ports.free()),
                "harness-ak",
                "sk-secret",
                "mlflow",
                "artifacts",
                "us-east-1");
    }

    @Test
    void startsWithTheSettingsAndReportsVersionAndFindings() throws Exception {
        S3Access s3 = s3();
        ObjectStoreServer.Started rustfs = start(new RustfsServer(fakeRustfs("1.0.1"), "1.0.1"), s3);
        assertThat(rustfs.name()).isEqualTo("RustFS");
        assertThat(rustfs.version()).isEqualTo("1.0.1");
        assertThat(rustfs.standInFor()).as("the real one").isNull();
        assertThat(rustfs.findings()).hasSize(2);
        assertThat(rustfs.findings().get(0))
                .startsWith("RustFS 1.0.1: GET /health (the article's Compose healthcheck) answered 200 "
                        + "while GET /health/ready still answered 503");
        assertThat(rustfs.findings().get(1))
                .startsWith("RustFS 1.0.1 ignored part of the article's settings: ")
                .contains("RUSTFS_OBJECT_CACHE_ENABLE,RUSTFS_OBJECT_CACHE_TTL_SECS");
        @SuppressWarnings("unchecked")
        Map<String, String> env =
                new ObjectMapper().readValue(dir.resolve("rustfs/data/env.json").toFile(), Map.class);
        assertThat(env).containsAllEntriesOf(RustfsServer.environment(COMPOSE, s3, dir.resolve("rustfs/data")));
    }

    @Test
    void aCachedBuildReportingAnotherVersionFailsTheStart() throws Exception {
        assertThatThrownBy(() -> start(new RustfsServer(fakeRustfs("1.0.0"), "1.0.1"), s3()))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("reports version 1.0.0 on GET /health, not 1.0.1")
                .satisfies(e -> assertThat(((StackException) e).fix())
                        .isEqualTo("rebuild it: ./harness rustfs-build --rustfs-version 1.0.1"));
    }

    @Test
    void theComposeServicesSettingsAreUsedWithThisStacksAddressDataAndKeys() {
        S3Access s3 = new S3Access(
                URI.create("http://127.0.0.1:41234"), "harness-ak", "sk-secret", "mlflow", "artifacts", "us-east-1");
        Map<String, String> env = RustfsServer.environment(COMPOSE, s3, Path.of("/w/rustfs/data"));
        Map<String, String> compose = RustfsServer.composeEnvironment(COMPOSE.resolve("docker-compose.yml"), "rustfs");
        assertThat(compose)
                .as("the article's settings")
                .containsEntry("RUSTFS_CONSOLE_ENABLE", "false")
                .containsEntry("RUSTFS_OBJECT_CACHE_ENABLE", "true")
                .containsEntry("RUSTFS_OBJECT_CACHE_TTL_SECS", "300")
                .containsEntry("RUSTFS_ACCESS_KEY", "rustfs-mlflow");
        assertThat(env)
                .containsEntry("RUSTFS_ADDRESS", "127.0.0.1:41234")
                .containsEntry("RUSTFS_VOLUMES", "/w/rustfs/data")
                .containsEntry("RUSTFS_ACCESS_KEY", "harness-ak")
                .containsEntry("RUSTFS_SECRET_KEY", "sk-secret")
                .containsKeys(compose.keySet().toArray(String[]::new));
        compose.forEach((k, v) -> {
            if (!List.of(
                            "RUSTFS_ADDRESS",
                            "RUSTFS_VOLUMES",
                            "RUSTFS_ACCESS_KEY",
                            "RUSTFS_SECRET_KEY",
                            "RUSTFS_EXTERNAL_ADDRESS")
                    .contains(k)) {
                assertThat(env).as("every other Compose setting as it is").containsEntry(k, v);
            }
        });
        assertThat(env.values()).noneMatch(v -> v.contains("${"));
    }

    @Test
    void settingsRustfsSaysItIgnoredBecomeFindings() {
        List<String> log = List.of(
                "2026-11-30T16:00:00.000Z  INFO rustfs: starting",
                "\u001B[33m2026-11-30T16:00:00.100Z  WARN\u001B[0m rustfs::app: ignored unrecognized object cache environment variables "
                        + "ignored_env_keys=RUSTFS_OBJECT_CACHE_ENABLE,RUSTFS_OBJECT_CACHE_TTL_SECS replacement_prefix=RUSTFS_OBJECT_DATA_CACHE_",
                "2026-11-30T16:00:00.200Z  WARN rustfs: single drive mode");
        assertThat(RustfsServer.ignoredSettings(log, "1.0.1"))
                .singleElement()
                .asString()
                .startsWith("RustFS 1.0.1 ignored part of the article's settings: ")
                .contains("ignored_env_keys=RUSTFS_OBJECT_CACHE_ENABLE,RUSTFS_OBJECT_CACHE_TTL_SECS")
                .doesNotContain("\u001B");
    }

    @Test
    void rustfsJsonLogLinesBecomeTheirMessageAndFields() {
        // as RustFS 1.0.1 logged it with the article's settings (native gate, 2026-11-30)
        List<String> log =
                List.of("{\"timestamp\":\"2026-11-30T21:34:45.567038297Z\",\"level\":\"WARN\",\"message\":\"ignored "
                        + "unrecognized object cache environment variables\",\"ignored_env_keys\":\"RUSTFS_OBJECT_CACHE_ENABLE,"
                        + "RUSTFS_OBJECT_CACHE_TTL_SECS\",\"replacement_prefix\":\"RUSTFS_OBJECT_DATA_CACHE_\",\"target\":"
                        + "\"rustfs::app::object_data_cache::adapter\",\"filename\":\"/root/.cargo/registry/src/x/rustfs-1.0.1/src/app/"
                        + "object_data_cache/adapter.rs\",\"line_number\":303,\"span\":{\"name\":\"run\"},\"threadName\":\"main\","
                        + "\"threadId\":\"ThreadId(1)\"}");
        assertThat(RustfsServer.ignoredSettings(log, "1.0.1"))
                .containsExactly("RustFS 1.0.1 ignored part of the article's settings: "
                        + "ignored unrecognized object cache environment variables ignored_env_keys=RUSTFS_OBJECT_CACHE_ENABLE,"
                        + "RUSTFS_OBJECT_CACHE_TTL_SECS replacement_prefix=RUSTFS_OBJECT_DATA_CACHE_");
    }
}
