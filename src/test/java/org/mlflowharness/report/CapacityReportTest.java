package org.mlflowharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.report.chart.Chart;

/** The capacity report from a load run's summary: findings in words, charts with their SLO lines and knee, tables. */
class CapacityReportTest {

    /** A capacity run's summary.json: metric-logging breaks at its third step, article nginx fails at 128 MiB with 413. */
    static JsonNode fixture() {
        return SummaryFixtures.capacity();
    }

    static String text(Document d) {
        return MarkdownWriter.body(d, null);
    }

    @Test
    void findingsSayWhatTheStackSustainedWhatBrokeNextAndWhatLimitedIt() throws Exception {
        String md = text(CapacityReport.document(new CapacityReport.Run("20261127-100000-load", fixture()), null));
        assertThat(md)
                .contains(
                        "Finding: This stack sustained 4 concurrent training jobs (336 points/s offered), 329.3 metric points/s "
                                + "acknowledged (336 offered), at p95 180 ms and p99 400 ms")
                .contains(
                        "The next step (8 concurrent training jobs (672 points/s offered)) broke it: p95 latency: threshold <= 500 ms, "
                                + "measured 900.00 ms")
                .contains(
                        "At that step the machine's CPU was saturated first: 1.95 of 2 cores busy (97.5 %); cores used by mlflow 1.2, "
                                + "mariadb 0.3, the harness 0.3")
                .contains("Every acknowledged metric point")
                .contains(
                        "nginx article handled every size up to 16MiB (40 MB/s at 16MiB, 0.33 of direct-S3's rate); at 128MiB it failed: "
                                + "413 x2 after 0.4 s")
                .contains("direct-s3 handled every size up to 128MiB (180 MB/s at 128MiB)")
                .contains("This stack sustained 10 concurrent users")
                .contains("Every step met the SLO: the ramp did not reach the stack's limit")
                .contains("S3Proxy (stand-in for RustFS: says nothing about it)")
                .contains("No earlier run of the capacity profile on the native stack is kept");
        assertThat(md)
                .as("the stack, not other processes, used the CPU here")
                .doesNotContain("contention for a shared machine");
        assertThat(md)
                .as("per request type, per step")
                .contains("| get metric history | 10 users | 50 | 0 | 50 | 150 | 300 | 450 |");
        assertThat(md).as("integrity per step").contains("| 8 jobs x 4/s | 8 | 7056 | 7056 | 0 | 0 | 0 | 7056 | 0 |");
    }

    @Test
    void chartsCarryTheSloLinesAndMarkTheKnee() throws Exception {
        Document d = CapacityReport.document(new CapacityReport.Run("r", fixture()), null);
        assertThat(d.charts())
                .extracting(Chart::id)
                .containsExactly(
                        "metric-logging-throughput",
                        "metric-logging-latency",
                        "metric-logging-cpu",
                        "large-upload-mbps",
                        "large-upload-ratio",
                        "large-upload-cpu",
                        "mixed-latency",
                        "mixed-by-request",
                        "mixed-cpu");
        Chart latency = d.charts().get(1);
        assertThat(latency.marks()).as("the knee: step 3").containsExactly(new Chart.Mark(2, "knee: SLO broken"));
        assertThat(latency.thresholds()).extracting(Chart.Threshold::value).containsExactly(500.0, 1000.0);
        assertThat(latency.series()).extracting(Chart.Series::name).containsExactly("p50", "p95", "p99");
        Chart mbps = d.charts().get(3);
        assertThat(mbps.series())
                .extracting(Chart.Series::name)
                .containsExactly("direct-s3", "nginx article", "nginx hardened");
        assertThat(mbps.series().get(1).values())
                .as("no figure where article failed")
                .containsExactly(8.0, 40.0, null);
        Chart cpu = d.charts().get(2);
        assertThat(cpu.stacked()).isTrue();
        assertThat(cpu.series())
                .extracting(Chart.Series::name)
                .contains("mlflow", "harness (load generator)", "other processes on the machine");
        assertThat(cpu.thresholds().get(0).label()).isEqualTo("machine: 2 cores");
    }

    @Test
    void thePreviousComparableRunsHeadlinesStandBesideThisRuns() throws Exception {
        JsonNode before = fixture();
        ((ObjectNode) before.path("load")
                        .path("scenarios")
                        .path("metric-logging")
                        .path("steps")
                        .get(1))
                .put("metSlo", false);
        String md = text(CapacityReport.document(
                new CapacityReport.Run("20261127-110000-load", fixture()),
                new CapacityReport.Run("20261120-100000-load", before)));
        assertThat(md)
                .contains("Previous comparable run: 20261120-100000-load")
                .contains("| figure | previous run (20261120-100000-load) | this run (20261127-110000-load) |")
                .contains(
                        "| metric-logging sustained | 2 concurrent training jobs (84 points/s offered), 82.32 points/s, p95 60 ms, p99 120 ms "
                                + "| 4 concurrent training jobs (336 points/s offered), 329.3 points/s, p95 180 ms, p99 400 ms |")
                .contains(
                        "| largest upload, nginx article | 16MiB at 40 MB/s; 128MiB: 413 x2 | 16MiB at 40 MB/s; 128MiB: 413 x2 |");
    }

    @Test
    void whenOtherProcessesTookMostOfTheCpuTheFindingSaysSo() throws Exception {
        JsonNode s = fixture();
        ObjectNode machine = (ObjectNode) s.path("load")
                .path("scenarios")
                .path("metric-logging")
                .path("steps")
                .get(2)
                .path("resources")
                .path("machine");
        machine.put("otherProcessesCores", 1.5);
        assertThat(text(CapacityReport.loadSection(LoadSection.of(s.path("load")), false)))
                .contains("cores used by other processes on the machine 1.5, mlflow 1.2")
                .contains("this step measured the contention for a shared machine more than the stack's own limit");
    }

    @Test
    void aScenarioThatRanNoStepIsOneHeadlineNotRun() throws Exception {
        JsonNode s = fixture();
        ((com.fasterxml.jackson.databind.node.ArrayNode)
                        s.path("load").path("scenarios").path("mixed").path("steps"))
                .removeAll();
        assertThat(CapacityReport.headlines(s))
                .containsEntry("mixed", "not run")
                .doesNotContainKey("mixed sustained");
    }

    @Test
    void withoutProcessSamplingTheReportSaysWhy() throws Exception {
        JsonNode s = fixture();
        for (JsonNode step : s.path("load").path("scenarios").path("mixed").path("steps")) {
            ObjectNode r = (ObjectNode) step.path("resources");
            r.remove("components");
            r.remove("source");
            ((ObjectNode) r.path("machine")).remove("otherProcessesCores");
            r.put("notSampled", "this provider does not read its components' CPU and memory");
        }
        String md = text(CapacityReport.loadSection(LoadSection.of(s.path("load")), true));
        assertThat(md)
                .contains("Stack components not sampled: this provider does not read its components' CPU and memory")
                .contains("(stack components not sampled: this provider does not read");
    }

    @Test
    void markdownAndHtmlAreWrittenFromTheSameDocument(@TempDir Path dir) throws Exception {
        Document d = CapacityReport.document(new CapacityReport.Run("r", fixture()), null);
        Path md = MarkdownWriter.write(d, dir.resolve("capacity.md"));
        Path html = HtmlWriter.write(d, dir.resolve("capacity.html"));
        assertThat(Files.readString(md))
                .contains("![metric-logging: offered vs acknowledged metric points/s per step]"
                        + "(capacity-charts/metric-logging-throughput.png)");
        for (Chart c : d.charts()) {
            Path png = dir.resolve("capacity-charts/" + c.id() + ".png");
            assertThat(png).isNotEmptyFile();
            assertThat(Files.readAllBytes(png)).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        }
        String page = Files.readString(html);
        assertThat(page)
                .contains("<div class=\"chart\" id=\"chart-metric-logging-latency\"")
                .as("the library is inlined: no network needed")
                .contains("echarts")
                .doesNotContain("<script src=")
                .contains("This stack sustained 4 concurrent training jobs");
        assertThat(List.of(page.split("<script>"))).hasSize(3);
    }

    @Test
    void summaryMarkdownHasTablesNotMapDumps() throws Exception {
        String md = text(CapacityReport.loadSection(LoadSection.of(fixture().path("load")), false));
        assertThat(md)
                .doesNotContain("={")
                .doesNotContain("StackDescription[")
                .contains("| step | jobs | iterations/s each |");
    }
}
