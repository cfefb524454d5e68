package org.mlflowharness.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** MLflow's start logs against MySQL, as they were (3.17.2 on MySQL 9.7.4), read into one line each. */
class MigrationFailureTest {

    private static List<String> log(String name) throws IOException {
        return Files.readAllLines(Path.of("src/test/resources/mlflow-logs").resolve(name));
    }

    @Test
    void theTriggerRefusedUnderBinaryLoggingNamesCodeTriggerRevisionAndFix() throws IOException {
        MigrationFailure.Diagnosis d = MigrationFailure.diagnose(log("mysql-1419.log"), Optional.of("bf29a5ff90ea"))
                .orElseThrow();
        assertThat(d.problem())
                .contains("MySQL")
                .contains("error 1419")
                .contains("trigger prevent_secrets_aad_mutation")
                .contains("1bd49d398cd23 (add_secrets_tables)")
                .contains("at revision bf29a5ff90ea")
                .doesNotContain("Traceback");
        assertThat(d.fix()).contains("log_bin_trust_function_creators=ON");
    }

    @Test
    void theReRunOfAHalfAppliedMigrationIsNamedStuck() throws IOException {
        MigrationFailure.Diagnosis d = MigrationFailure.diagnose(
                        log("mysql-1050-rerun.log"), Optional.of("bf29a5ff90ea"))
                .orElseThrow();
        assertThat(d.problem())
                .contains("stuck at revision bf29a5ff90ea")
                .contains("error 1050")
                .contains("Table 'secrets' already exists");
        assertThat(d.fix()).contains("backup");
    }

    @Test
    void theReRunAfterAnInterruptedMigrationIsStuckOnTheTableItHadCreated() throws IOException {
        // 2.9.2 -> 3.17.2 on MySQL 9.7.4, killed as 0584bdc529eb -> 400f98739977 started, then run again
        MigrationFailure.Diagnosis d = MigrationFailure.diagnose(
                        log("mysql-1050-after-interrupt.log"), Optional.of("0584bdc529eb"))
                .orElseThrow();
        assertThat(d.problem())
                .contains("stuck at revision 0584bdc529eb")
                .contains("400f98739977")
                .contains("Table 'logged_models' already exists");
    }

    @Test
    void withoutTheDatabasesRevisionAlembicsRunningLineGivesIt() {
        MigrationFailure.Diagnosis d = MigrationFailure.diagnose(
                        List.of(
                                "INFO  [alembic.runtime.migration] Running upgrade bf29a5ff90ea -> 1bd49d398cd23, add secrets",
                                "pymysql.err.OperationalError: (1419, 'You do not have the SUPER privilege')"),
                        Optional.empty())
                .orElseThrow();
        assertThat(d.problem()).contains("at revision bf29a5ff90ea");
    }

    @Test
    void aLoginTheDriverCannotDoNamesThePlugin() {
        assertThat(MigrationFailure.diagnose(
                                List.of("RuntimeError: 'cryptography' package is required for sha256_password or"
                                        + " caching_sha2_password auth methods"),
                                Optional.empty())
                        .orElseThrow()
                        .problem())
                .contains("caching_sha2_password");
    }

    @Test
    void theRealLatin1UpgradeFrom292NamesTheForeignKeyTheMigrationAndTheConversion() throws IOException {
        // mlflow db upgrade of 3.17.2 on MySQL 9.7.4, schema made latin1 by MLflow 2.9.2, default then utf8mb4
        MigrationFailure.Diagnosis d = MigrationFailure.diagnose(
                        log("mysql-3780-latin1.log"), Optional.of("0584bdc529eb"))
                .orElseThrow();
        assertThat(d.problem())
                .contains("error 3780")
                .contains("foreign key fk_logged_model_metrics_run_id (logged_model_metrics.run_id -> run_uuid)")
                .contains("in migration 400f98739977 (add_logged_model_tables)")
                .contains("at revision 0584bdc529eb")
                .doesNotContain("Traceback");
        assertThat(d.fix()).contains("CONVERT TO CHARACTER SET utf8mb4");
    }

    @Test
    void theRealLatin1UpgradeOnMariaDbNamesTheTableAndTheMigration() throws IOException {
        // the same on MariaDB 10.11.19 (binary logging on): 1005 with errno 150
        MigrationFailure.Diagnosis d = MigrationFailure.diagnose(
                        log("mariadb-1005-latin1.log"), Optional.of("0584bdc529eb"))
                .orElseThrow();
        assertThat(d.problem())
                .contains("error 1005")
                .contains("foreign key of table logged_model_metrics")
                .contains("400f98739977")
                .contains("at revision 0584bdc529eb");
    }

    @Test
    void aForeignKeyRefusedForItsCollationNamesTheColumnsTheMigrationAndTheConversion() {
        MigrationFailure.Diagnosis d = MigrationFailure.diagnose(
                        List.of(
                                "INFO  [alembic.runtime.migration] Running upgrade 0584bdc529eb -> 400f98739977,"
                                        + " add logged model tables",
                                "sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (3780, \"Referencing"
                                        + " column 'run_id' and referenced column 'run_uuid' in foreign key constraint"
                                        + " 'fk_logged_model_metrics_run_id' are incompatible.\")",
                                "[SQL: ",
                                "CREATE TABLE logged_model_metrics ("),
                        Optional.of("0584bdc529eb"))
                .orElseThrow();
        assertThat(d.problem())
                .contains("error 3780")
                .contains("fk_logged_model_metrics_run_id (logged_model_metrics.run_id -> run_uuid)")
                .contains("0584bdc529eb -> 400f98739977 (add logged model tables)")
                .contains("at revision 0584bdc529eb");
        assertThat(d.fix()).contains("CONVERT TO CHARACTER SET utf8mb4").contains("restore the backup");
        MigrationFailure.Diagnosis maria = MigrationFailure.diagnose(
                        List.of(
                                "Running upgrade 0584bdc529eb -> 400f98739977, add logged model tables",
                                "(1005, 'Can\\'t create table `mlflow`.`logged_model_metrics` (errno: 150 \"Foreign"
                                        + " key constraint is incorrectly formed\")')"),
                        Optional.empty())
                .orElseThrow();
        assertThat(maria.problem())
                .contains("error 1005")
                .contains("a foreign key of table logged_model_metrics")
                .contains("at revision 0584bdc529eb");
    }

    @Test
    void otherFailuresAreLeftAsTheyAre() {
        assertThat(MigrationFailure.diagnose(List.of("Traceback", "ImportError: no module"), Optional.empty()))
                .isEmpty();
        assertThat(MigrationFailure.diagnose(List.of("(1050, \"Table 'x' already exists\")"), Optional.empty()))
                .as("a 1050 outside a migration")
                .isEmpty();
    }
}
