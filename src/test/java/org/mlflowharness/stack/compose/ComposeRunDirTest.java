package org.mlflowharness.stack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
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
    void theArticleExactDatabaseTurnsTheMarkedDeviationOffAndOnlyThat() {
        HarnessConfig healthy = HarnessConfig.of(Map.of(Option.STACK, "compose"), Map.of());
        HarnessConfig exact =
                HarnessConfig.of(Map.of(Option.STACK, "compose", Option.FAULT, "db-article-exact"), Map.of());
        assertThat(ComposeRunDir.env(healthy)).containsEntry("MYSQL_TRUST_FUNCTION_CREATORS", "ON");
        assertThat(ComposeRunDir.env(exact)).containsEntry("MYSQL_TRUST_FUNCTION_CREATORS", "OFF");
        assertThat(ComposeRunDir.files(true, Fault.DB_ARTICLE_EXACT))
                .as("an environment setting, no override file")
                .containsExactly("docker-compose.yml", ComposeRunDir.OFFLINE_FILE);
    }

    @Test
    void theDbServiceMarksTheDeviationAndTheOfflineImageKeepsTheMysqlImagesContract() throws IOException {
        String compose = Files.readString(Path.of("compose/docker-compose.yml"));
        assertThat(compose)
                .contains("--log-bin-trust-function-creators=${MYSQL_TRUST_FUNCTION_CREATORS:-ON}")
                .contains("DEVIATION: log_bin_trust_function_creators=ON");
        String entrypoint = Files.readString(Path.of("compose/offline/mysql/docker-entrypoint.sh"));
        assertThat(entrypoint)
                .contains("mysqld --initialize-insecure")
                .contains("--skip-networking")
                .contains("GRANT ALL ON \\`$MYSQL_DATABASE\\`.* TO '$MYSQL_USER'@'%'")
                .contains("MYSQL_ROOT_PASSWORD")
                .as("MariaDB's commands only where its server is installed (the stand-in's image)")
                .contains("if command -v mariadbd >/dev/null; then");
        assertThat(Files.isExecutable(Path.of("compose/offline/mysql/docker-entrypoint.sh")))
                .isTrue();
        assertThat(Files.readString(Path.of("compose/offline/mysql/Dockerfile")))
                .contains("/var/lib/mysql-files")
                .as("the real MySQL image installs no MariaDB")
                .doesNotContainIgnoringCase("mariadb");
    }

    @Test
    void theReportSaysWhenTheServerIsNotTheVersionTheComposeFilePins() {
        assertThat(ComposeDescription.pinNote("8.4.3", "8.4")).isEmpty();
        assertThat(ComposeDescription.pinNote("9.7.4-2", "8.4"))
                .isEqualTo("; the Compose file pins mysql:8.4, this server is 9.7.4-2");
    }

    @Test
    void theOverridesComeAfterTheArticlesFile() {
        assertThat(ComposeRunDir.files(false, Fault.NONE)).containsExactly("docker-compose.yml");
        assertThat(ComposeRunDir.files(true, Fault.DB_NEVER_HEALTHY))
                .containsExactly("docker-compose.yml", ComposeRunDir.OFFLINE_FILE, ComposeRunDir.FAULT_FILE);
    }
}
