package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.stack.Endpoints.S3Access;

/** RustFS runs with the article's Compose settings, with only address, data directory and keys replaced. */
class RustfsServerTest {

    static final Path COMPOSE = Path.of("compose").toAbsolutePath();

    @Test
    void theComposeServicesSettingsAreUsedWithThisStacksAddressDataAndKeys() {
        S3Access s3 = new S3Access(URI.create("http://127.0.0.1:41234"), "harness-ak", "sk-secret", "mlflow", "artifacts", "us-east-1");
        Map<String, String> env = RustfsServer.environment(COMPOSE, s3, Path.of("/w/rustfs/data"));
        Map<String, String> compose = RustfsServer.composeEnvironment(COMPOSE.resolve("docker-compose.yml"), "rustfs");
        assertThat(compose).as("the article's settings").containsEntry("RUSTFS_CONSOLE_ENABLE", "false")
                .containsEntry("RUSTFS_OBJECT_CACHE_ENABLE", "true").containsEntry("RUSTFS_OBJECT_CACHE_TTL_SECS", "300")
                .containsEntry("RUSTFS_ACCESS_KEY", "rustfs-mlflow");
        assertThat(env).containsEntry("RUSTFS_ADDRESS", "127.0.0.1:41234").containsEntry("RUSTFS_VOLUMES", "/w/rustfs/data")
                .containsEntry("RUSTFS_ACCESS_KEY", "harness-ak").containsEntry("RUSTFS_SECRET_KEY", "sk-secret")
                .containsKeys(compose.keySet().toArray(String[]::new));
        compose.forEach((k, v) -> {
            if (!List.of("RUSTFS_ADDRESS", "RUSTFS_VOLUMES", "RUSTFS_ACCESS_KEY", "RUSTFS_SECRET_KEY", "RUSTFS_EXTERNAL_ADDRESS").contains(k)) {
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
        assertThat(RustfsServer.ignoredSettings(log, "1.0.1")).singleElement().asString()
                .startsWith("RustFS 1.0.1 ignored part of the article's settings: ")
                .contains("ignored_env_keys=RUSTFS_OBJECT_CACHE_ENABLE,RUSTFS_OBJECT_CACHE_TTL_SECS").doesNotContain("\u001B");
    }
}
