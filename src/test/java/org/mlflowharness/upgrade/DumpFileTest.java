package org.mlflowharness.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpFileTest {

    /** The shape of what mysqldump 9.x writes with the harness's flags (--databases, extended inserts). */
    static final String MYSQLDUMP = "-- MySQL dump 10.13  Distrib 9.7.0, for Linux (x86_64)\n"
            + "--\n-- Host: 127.0.0.1    Database: mlflow_prod\n"
            + "/*!40101 SET NAMES utf8mb4 */;\n"
            + "SET @MYSQLDUMP_TEMP_LOG_BIN = @@SESSION.SQL_LOG_BIN;\n"
            + "SET @@SESSION.SQL_LOG_BIN= 0;\n"
            + "SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ 'a1b2:1-42';\n"
            + "/*!40000 DROP DATABASE IF EXISTS `mlflow_prod`*/;\n"
            + "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `mlflow_prod` /*!40100 DEFAULT CHARACTER SET utf8mb3 */"
            + " /*!80016 DEFAULT ENCRYPTION='N' */;\n"
            + "USE `mlflow_prod`;\n"
            + "DROP TABLE IF EXISTS `alembic_version`;\n"
            + "CREATE TABLE `alembic_version` (\n  `version_num` varchar(32) NOT NULL\n) ENGINE=InnoDB;\n"
            + "INSERT INTO `alembic_version` VALUES ('acf3f17fdcc7');\n"
            + "CREATE TABLE `params` (\n  `key` varchar(250) NOT NULL\n) ENGINE=InnoDB;\n"
            + "INSERT INTO `params` VALUES ('a','it''s (1),(2)','r1'),('b','back\\\\slash \\' ),(','r1'),('c','ü','r2');\n"
            + "CREATE TABLE `metrics` (\n  `key` varchar(250) NOT NULL\n) ENGINE=InnoDB;\n"
            + "/*!50003 CREATE*/ /*!50017 DEFINER=`admin`@`%`*/ /*!50003 TRIGGER `t` BEFORE INSERT ON `metrics` FOR EACH"
            + " ROW SET NEW.step = NEW.step */;;\n"
            + "-- Dump completed on 2026-12-03 15:00:00\n";

    /** mariadb-dump 11 puts each row of an extended insert on its own line. */
    static final String MARIADB_DUMP = "/*M!999999\\- enable the sandbox mode */ \n"
            + "-- MariaDB dump 10.19-11.8.3-MariaDB, for debian-linux-gnu (x86_64)\n"
            + "CREATE TABLE `alembic_version` (\n  `version_num` varchar(32) NOT NULL\n);\n"
            + "INSERT INTO `alembic_version` VALUES\n('dc11669786a5');\n"
            + "CREATE TABLE `metrics` (\n  `key` varchar(250) NOT NULL\n);\n"
            + "INSERT INTO `metrics` VALUES\n('m',0.5,1,0,0,'r1'),\n('m',0.25,2,1,0,'r1'),\n('n',1,3,0,0,'r2');\n"
            + "-- Dump completed on 2026-12-03 15:00:00\n\n";

    @TempDir
    Path tmp;

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private Path gzip(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void readsAMysqldump() throws IOException {
        DumpFile d = DumpFile.read(write("prod.sql", MYSQLDUMP));
        assertThat(d.revision()).isEqualTo("acf3f17fdcc7");
        assertThat(d.header()).startsWith("MySQL dump 10.13");
        assertThat(d.database()).contains("mlflow_prod");
        assertThat(d.gzip()).isFalse();
        assertThat(d.charsetClause())
                .contains("/*!40100 DEFAULT CHARACTER SET utf8mb3 */ /*!80016 DEFAULT ENCRYPTION='N' */");
        // quoted parentheses, doubled and escaped quotes do not count as rows
        assertThat(d.tables())
                .containsEntry("params", 3L)
                .containsEntry("alembic_version", 1L)
                .containsEntry("metrics", 0L);
    }

    @Test
    void readsAGzippedMariadbDumpWithOneRowPerLine() throws IOException {
        DumpFile d = DumpFile.read(gzip("prod.sql.gz", MARIADB_DUMP));
        assertThat(d.gzip()).isTrue();
        assertThat(d.revision()).isEqualTo("dc11669786a5");
        assertThat(d.header()).startsWith("MariaDB dump");
        assertThat(d.database()).isEmpty();
        assertThat(d.tables()).containsEntry("metrics", 3L);
    }

    @Test
    void badInputIsAOneLineErrorNamingTheFile() throws IOException {
        assertThatThrownBy(() -> DumpFile.read(tmp.resolve("missing.sql.gz")))
                .isInstanceOf(DumpFile.NotADump.class)
                .hasMessageContaining("missing.sql.gz: no such file");
        assertThatThrownBy(() -> DumpFile.read(write("notes.txt", "hello\nworld\n")))
                .hasMessageContaining("not an SQL dump (its first line is 'hello')");
        assertThatThrownBy(() -> DumpFile.read(write("empty.sql", "")))
                .hasMessageContaining("not a mysqldump or mariadb-dump file");
        assertThatThrownBy(() -> DumpFile.read(
                        write("cut.sql", MYSQLDUMP.substring(0, MYSQLDUMP.indexOf("CREATE TABLE `params`")))))
                .hasMessageContaining("incomplete: it ends without the dump tool's '-- Dump completed' line");
        assertThatThrownBy(() -> DumpFile.read(
                        write("other.sql", "-- MySQL dump 10.13\nCREATE TABLE `x` (a int);\n-- Dump completed\n")))
                .hasMessageContaining("no alembic_version table");
        assertThatThrownBy(() -> DumpFile.read(write(
                        "nodata.sql",
                        "-- MySQL dump 10.13\nCREATE TABLE `alembic_version` (v int);\n-- Dump completed\n")))
                .hasMessageContaining("alembic_version holds 0 rows");
        assertThatThrownBy(() -> DumpFile.read(write("two.sql", MYSQLDUMP + "USE `other`;\n")))
                .hasMessageContaining("several databases [mlflow_prod, other]");
        byte[] gz = Files.readAllBytes(gzip("x.sql.gz", MYSQLDUMP));
        Path cut = tmp.resolve("cut.sql.gz");
        Files.write(cut, java.util.Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> DumpFile.read(cut)).hasMessageContaining("damaged gzip file");
        for (String m : java.util.List.of("missing.sql.gz", "notes.txt")) {
            try {
                DumpFile.read(tmp.resolve(m));
            } catch (DumpFile.NotADump e) {
                assertThat(e.getMessage()).doesNotContain("\n");
            }
        }
    }

    @Test
    void theRestoreScriptTargetsTheStacksDatabaseWithoutPrivilegedStatements() throws IOException {
        DumpFile d = DumpFile.read(gzip("prod.sql.gz", MYSQLDUMP));
        Path out = tmp.resolve("restore.sql");
        assertThat(d.writeRestorable(out, "mlflow"))
                .contains(
                        "1 DEFINER clauses left out",
                        "2 CREATE DATABASE/USE statements left out",
                        "1 DROP DATABASE statements left out",
                        "3 statements on GTIDs or the session's binary log left out",
                        "database `mlflow_prod` restored as `mlflow`");
        String sql = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(sql)
                .startsWith("DROP DATABASE IF EXISTS `mlflow`;\nCREATE DATABASE `mlflow` /*!40100 DEFAULT CHARACTER SET"
                        + " utf8mb3 */ /*!80016 DEFAULT ENCRYPTION='N' */;\nUSE `mlflow`;\n")
                .doesNotContain("mlflow_prod`", "DEFINER", "GTID_PURGED", "SQL_LOG_BIN")
                .contains("/*!50003 CREATE*/ /*!50003 TRIGGER `t`")
                .contains("('c','ü','r2')"); // the data's bytes as they were
    }

    @Test
    void countsRowTuplesOutsideQuotes() {
        assertThat(DumpFile.rows("INSERT INTO `t` VALUES (1,'a'),(2,'(x),(y)'),(3,'\\')')"))
                .isEqualTo(3);
        assertThat(DumpFile.rows("INSERT INTO `t` (`a`, `b`) VALUES (1,2);")).isEqualTo(1);
        assertThat(DumpFile.rows("INSERT INTO `t` VALUES")).isZero();
        assertThat(DumpFile.rows("(1,'it''s'),")).isEqualTo(1);
    }
}
