package org.mlflowharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.Option;
import org.mlflowharness.load.Volume;
import org.mlflowharness.upgrade.DumpFile;

/** The options of {@code seed} and of {@code upgrade --from-dump}: every bad value a one-line error before a stack starts. */
class DumpOptionsTest {

    @TempDir
    Path tmp;

    private static HarnessConfig config(Map<Option, String> given) {
        return HarnessConfig.of(given, Map.of());
    }

    @Test
    void seedsDefaultShapeIsTheIssuesMillionPoints() {
        Volume v = SeedCommand.volume(config(Map.of()));
        assertThat(v.levels()).containsExactly(1000);
        assertThat(1000 * v.pointsPerRun()).isEqualTo(1_000_000L);
        assertThat(v.writers()).isEqualTo(8);
        Volume small = SeedCommand.volume(config(
                Map.of(Option.SEED_RUNS, "20", Option.SEED_SHAPE, "runsPerExperiment=10,metricKeys=2,stepsPerKey=50")));
        assertThat(small.pointsPerRun()).isEqualTo(100);
        assertThat(small.params()).isEqualTo(10);
    }

    @Test
    void badSeedOptionsAreOneLineErrors() {
        assertThatThrownBy(() -> SeedCommand.volume(config(Map.of(Option.SEED_RUNS, "150"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a multiple of runsPerExperiment (100)");
        assertThatThrownBy(() -> SeedCommand.volume(config(Map.of(Option.SEED_RUNS, "many"))))
                .hasMessageContaining("--runs: 'many' is not a number of runs");
        assertThatThrownBy(() -> SeedCommand.volume(config(Map.of(Option.SEED_SHAPE, "params=500"))))
                .hasMessageContaining("params 1..100");
        assertThatThrownBy(() -> SeedCommand.volume(config(Map.of(Option.SEED_SHAPE, "colour=3"))))
                .hasMessageContaining("colour");
        assertThatThrownBy(() -> SeedCommand.volume(config(Map.of(Option.SEED_SHAPE, "writers"))))
                .hasMessageContaining("'writers' is not key=value");
    }

    @Test
    void dumpToIsANewSqlFileInAWritableDirectory() throws IOException {
        assertThat(SeedCommand.dumpTo(config(Map.of()))).isEmpty();
        Path ok = tmp.resolve("prod.sql.gz");
        assertThat(SeedCommand.dumpTo(config(Map.of(Option.DUMP_TO, ok.toString()))))
                .contains(ok);
        assertThatThrownBy(() -> SeedCommand.dumpTo(
                        config(Map.of(Option.DUMP_TO, tmp.resolve("x.zip").toString()))))
                .hasMessageContaining("name it .sql, or .sql.gz");
        Files.writeString(tmp.resolve("old.sql"), "x");
        assertThatThrownBy(() -> SeedCommand.dumpTo(
                        config(Map.of(Option.DUMP_TO, tmp.resolve("old.sql").toString()))))
                .hasMessageContaining("exists; remove it");
        assertThatThrownBy(() -> SeedCommand.dumpTo(config(
                        Map.of(Option.DUMP_TO, tmp.resolve("no/such/d.sql").toString()))))
                .hasMessageContaining("is not a writable directory");
    }

    @Test
    void fromDumpIsCheckedAndNamesFromsRelease() throws IOException {
        Path dump = tmp.resolve("prod.sql");
        Files.writeString(
                dump,
                "-- MySQL dump 10.13\nCREATE TABLE `alembic_version` (v int);\n"
                        + "INSERT INTO `alembic_version` VALUES ('acf3f17fdcc7');\n-- Dump completed\n");
        HarnessConfig c = config(Map.of(Option.FROM_DUMP, dump.toString(), Option.CACHE_DIR, tmp.toString()));
        Optional<DumpFile> d = UpgradeCommand.dump(c);
        assertThat(d).isPresent();
        UpgradeCommand.From from = UpgradeCommand.from(c, d);
        assertThat(from.spec()).isEqualTo("mlflow=2.9.2");
        assertThat(from.chosenBy()).contains("alembic_version acf3f17fdcc7 is the head of MLflow 2.9.2");
        HarnessConfig given = config(Map.of(Option.FROM_DUMP, dump.toString(), Option.FROM, "mlflow=2.8.1"));
        assertThat(UpgradeCommand.from(given, d).spec()).isEqualTo("mlflow=2.8.1");

        Files.writeString(
                dump,
                "-- MySQL dump 10.13\nCREATE TABLE `alembic_version` (v int);\n"
                        + "INSERT INTO `alembic_version` VALUES ('0123456789ab');\n-- Dump completed\n");
        Optional<DumpFile> unknown = UpgradeCommand.dump(c);
        assertThatThrownBy(() -> UpgradeCommand.from(c, unknown))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alembic_version 0123456789ab is the head of no MLflow release")
                .hasMessageContaining("pass --from mlflow=");
        assertThatThrownBy(() -> UpgradeCommand.dump(
                        config(Map.of(Option.FROM_DUMP, tmp.resolve("gone.sql").toString()))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gone.sql: no such file");
    }

    @Test
    void fromArtifactsIsADirectoryAndGoesWithADump() throws IOException {
        assertThat(UpgradeCommand.artifacts(config(Map.of()), false)).isEmpty();
        assertThat(UpgradeCommand.artifacts(config(Map.of(Option.FROM_ARTIFACTS, tmp.toString())), true))
                .contains(tmp);
        assertThatThrownBy(() -> UpgradeCommand.artifacts(config(Map.of(Option.FROM_ARTIFACTS, tmp.toString())), false))
                .hasMessageContaining("--from-artifacts goes with --from-dump");
        Path file = Files.writeString(tmp.resolve("f"), "x");
        assertThatThrownBy(() -> UpgradeCommand.artifacts(config(Map.of(Option.FROM_ARTIFACTS, file.toString())), true))
                .hasMessageContaining("not a directory");
    }
}
