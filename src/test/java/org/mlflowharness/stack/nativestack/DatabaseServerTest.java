package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlflowharness.model.DatabaseConditions;
import org.mlflowharness.model.DatabaseKind;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.StackException;

/** Which database runs, and how MySQL is set up: the image's contract, its defaults, and the marked deviations. */
class DatabaseServerTest {

    @Test
    void autoIsMysqlWhenItCanBeHadElseTheStandIn() {
        assertThat(MysqlRootfs.choose(DatabaseKind.AUTO, Optional.empty())).isEqualTo(DatabaseKind.MYSQL);
        assertThat(MysqlRootfs.choose(DatabaseKind.AUTO, Optional.of("no mirror")))
                .isEqualTo(DatabaseKind.MARIADB);
        assertThat(MysqlRootfs.choose(DatabaseKind.MARIADB, Optional.empty())).isEqualTo(DatabaseKind.MARIADB);
        assertThat(MysqlRootfs.standInNote("no mirror"))
                .contains("stand-in")
                .contains("no mirror")
                .contains("--database mysql");
    }

    @Test
    void mysqlAskedForButNotAvailableIsAnErrorNamingWhyAndTheFix() {
        assertThatThrownBy(() -> MysqlRootfs.choose(DatabaseKind.MYSQL, Optional.of("debootstrap is missing")))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("debootstrap is missing")
                .satisfies(e -> assertThat(((StackException) e).fix()).contains("apt-get install debootstrap"));
    }

    @Test
    void theImagesContractOneSchemaAndOneUserWithAllOnItOnly() {
        assertThat(MysqlServer.initSql("pw", Fault.NONE, DatabaseConditions.DEFAULT))
                .contains("CREATE DATABASE IF NOT EXISTS `mlflow` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;")
                .contains("CREATE USER IF NOT EXISTS 'mlflow'@'%' IDENTIFIED BY 'pw';")
                .contains("GRANT ALL ON `mlflow`.* TO 'mlflow'@'%';")
                .doesNotContain("*.*")
                .as("MySQL's own authentication plugin")
                .doesNotContain("IDENTIFIED WITH");
        assertThat(MysqlServer.initSql("pw", Fault.DB_CASE_INSENSITIVE, DatabaseConditions.DEFAULT))
                .as("the server's default collation")
                .contains("CREATE DATABASE IF NOT EXISTS `mlflow`;");
    }

    @Test
    void theDeviationsAndTheFaultsThatUndoThem() {
        assertThat(MysqlServer.serverOptions(Fault.NONE, DatabaseConditions.DEFAULT))
                .contains("--log-bin-trust-function-creators=ON", "--collation-server=utf8mb4_bin")
                .noneMatch(o -> o.contains("log-bin=") || o.contains("skip-log-bin") || o.contains("max-connections"));
        assertThat(MysqlServer.serverOptions(Fault.DB_ARTICLE_EXACT, DatabaseConditions.DEFAULT))
                .noneMatch(o -> o.contains("trust-function-creators"));
        assertThat(MysqlServer.serverOptions(Fault.DB_CASE_INSENSITIVE, DatabaseConditions.DEFAULT))
                .noneMatch(o -> o.contains("collation"));
    }

    @Test
    void productionShapedConditionsLegacyCharsetAndLeastPrivilege() {
        var latin1 = new DatabaseConditions(DatabaseConditions.LegacyCharset.LATIN1, false, false);
        assertThat(MysqlServer.initSql("pw", Fault.NONE, latin1))
                .contains("CREATE DATABASE IF NOT EXISTS `mlflow` CHARACTER SET latin1 COLLATE latin1_swedish_ci;")
                .contains("GRANT ALL ON `mlflow`.* TO 'mlflow'@'%';");
        var utf8mb3 = new DatabaseConditions(DatabaseConditions.LegacyCharset.UTF8MB3, false, false);
        assertThat(MysqlServer.initSql("pw", Fault.DB_CASE_INSENSITIVE, utf8mb3))
                .contains("CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci;");
        var least = new DatabaseConditions(DatabaseConditions.LegacyCharset.NONE, true, true);
        assertThat(MysqlServer.serverOptions(Fault.NONE, least))
                .as("no waiver for triggers, binary logging left at MySQL's default (on)")
                .noneMatch(o -> o.contains("trust-function-creators") || o.contains("log-bin"));
        assertThat(least.describe()).anyMatch(d -> d.contains("log_bin_trust_function_creators OFF"));
        assertThat(DatabaseConditions.DEFAULT.isDefault()).isTrue();
        assertThat(least.isDefault()).isFalse();
    }
}
