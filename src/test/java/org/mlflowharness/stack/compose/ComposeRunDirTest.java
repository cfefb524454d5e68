package org.mlflowharness.stack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.model.Fault;

/** The files a compose run renders: its .env and the override of a deliberate fault. */
class ComposeRunDirTest {

    @Test
    void dotEnvKeepsTheExampleAndFillsInTheRunsValues() {
        String example = "# versions\nMLFLOW_VERSION=3.17.2\nS3_BUCKET=mlflow\n";
        assertThat(ComposeRunDir.dotEnv(example, Map.of("MLFLOW_VERSION", "3.5.0", "NGINX_PORT", "0")))
                .isEqualTo("# versions\nMLFLOW_VERSION=3.5.0\nS3_BUCKET=mlflow\nNGINX_PORT=0\n");
    }

    @Test
    void composeFaultsBreakExactlyTheirServiceAndOthersNone() {
        assertThat(ComposeRunDir.faultOverride(Fault.BUCKET_JOB_FAILS))
                .get()
                .asString()
                .contains("rustfs-init:")
                .contains("exit 3")
                .doesNotContain("db:");
        assertThat(ComposeRunDir.faultOverride(Fault.DB_NEVER_HEALTHY))
                .get()
                .asString()
                .contains("  db:")
                .contains("healthcheck:")
                .doesNotContain("rustfs-init");
        for (Fault f : Fault.values()) {
            if (!f.composeOnly()) {
                assertThat(ComposeRunDir.faultOverride(f)).as(f.id()).isEmpty();
            }
        }
    }

    @Test
    void theOverridesComeAfterTheArticlesFile() {
        assertThat(ComposeRunDir.files(false, Fault.NONE)).containsExactly("docker-compose.yml");
        assertThat(ComposeRunDir.files(true, Fault.DB_NEVER_HEALTHY))
                .containsExactly("docker-compose.yml", ComposeRunDir.OFFLINE_FILE, ComposeRunDir.FAULT_FILE);
    }
}
