package org.mlflowharness.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.load.Volume;
import org.mlflowharness.load.VolumeFill;

class SeedReportTest {

    @TempDir
    Path tmp;

    private SeedReport report(Map<String, Long> rows) {
        SeedReport r = new SeedReport(Volume.ofShape("runsPerExperiment=10,metricKeys=2,stepsPerKey=5", 20), 20);
        r.fill = new VolumeFill.Outcome(List.of("1", "2"), 20, 200, 0, 20, 200, 60, 2.0, null);
        r.rowsPerTable = new TreeMap<>(rows);
        return r;
    }

    private DumpFile dump() throws IOException {
        Path p = tmp.resolve("seeded.sql");
        Files.writeString(
                p,
                "-- MySQL dump 10.13\nCREATE TABLE `alembic_version` (v int);\n"
                        + "INSERT INTO `alembic_version` VALUES ('acf3f17fdcc7');\nCREATE TABLE `metrics` (k int);\n"
                        + "INSERT INTO `metrics` VALUES (1),(2),(3);\nCREATE TABLE `runs` (k int);\n-- Dump completed\n");
        return DumpFile.read(p);
    }

    @Test
    void aDumpHoldingTheDatabasesRowsPasses() throws IOException {
        SeedReport r = report(Map.of("metrics", 3L, "runs", 0L));
        r.dumped(dump(), 0.5);
        assertThat(r.failure()).isNull();
        assertThat(r.pointsWanted).isEqualTo(200);
        assertThat(r.markdown()).contains("equal for every table", "100 points/s");
    }

    @Test
    void aDumpMissingRowsOrTablesFailsNamingThem() throws IOException {
        SeedReport r = report(Map.of("metrics", 4L, "params", 1L));
        r.dumped(dump(), 0.5);
        assertThat(r.failure())
                .contains("metrics: database 4 rows, dump 3 rows")
                .contains("params: database 1 rows, dump no such table");
    }

    @Test
    void aFillCutShortFails() {
        SeedReport r = report(Map.of());
        r.fill = new VolumeFill.Outcome(List.of(), 0, 0, 0, 5, 50, 10, 1.0, "fill cut at the scenario's time bound");
        assertThat(r.failure()).contains("fill cut", "maxMinutes");
    }
}
