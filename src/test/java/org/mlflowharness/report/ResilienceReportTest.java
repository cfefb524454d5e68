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
import org.mlflowharness.report.chart.Charts;

/** The resilience scenario in the capacity report: per fault a finding, a timeline chart with its moments marked; integrity. */
class ResilienceReportTest {

    /** A passing `load resilience --profile smoke` run on the native stack (five faults), trimmed. */
    static JsonNode fixture() {
        return SummaryFixtures.resilience();
    }

    private static JsonNode fault(JsonNode summary, int i) {
        return summary.path("load")
                .path("scenarios")
                .path("resilience")
                .path("faults")
                .get(i);
    }

    @Test
    void oneTimelineChartPerFaultWithRequestsErrorsAndTheFaultsMomentsMarked() throws Exception {
        Document d = CapacityReport.document(new CapacityReport.Run("20261130-170945-416-load", fixture()), null);
        assertThat(d.charts())
                .extracting(Chart::id)
                .containsExactly(
                        "resilience-restart-database",
                        "resilience-restart-object-store",
                        "resilience-restart-tracking",
                        "resilience-reload-proxy",
                        "resilience-restart-proxy");
        Chart db = d.charts().get(0);
        assertThat(db.title()).isEqualTo("restart database: requests and errors per second");
        assertThat(db.categories()).hasSize(35).startsWith("-5", "-4").endsWith("29");
        assertThat(db.series()).extracting(Chart.Series::name).containsExactly("requests/s", "errors/s");
        assertThat(db.series().get(0).values().subList(4, 8))
                .as("requests at -1..+2 s")
                .containsExactly(6.0, 2.0, 3.0, 2.0);
        assertThat(db.series().get(1).values().subList(4, 8))
                .as("errors at -1..+2 s")
                .containsExactly(0.0, 2.0, 1.0, 1.0);
        assertThat(db.marks())
                .containsExactly(
                        new Chart.Mark(5, "fault starts"),
                        new Chart.Mark(10, "outage ends +5 s"),
                        new Chart.Mark(11, "ready +6.2 s"),
                        new Chart.Mark(19, "serving again +14.3 s"));
        assertThat(d.charts().get(3).marks())
                .as("a reload has no outage; ready within the fault's first second")
                .containsExactly(
                        new Chart.Mark(5, "fault starts, ready +0.1 s"), new Chart.Mark(11, "serving again +6.2 s"));
        assertThat(d.charts().get(4).marks())
                .as("moments in one second share one line")
                .containsExactly(
                        new Chart.Mark(5, "fault starts"),
                        new Chart.Mark(8, "outage ends +3 s, ready +3.4 s, serving again +3.8 s"));
        assertThat(Charts.echartsOption(db)).contains("{\"xAxis\":11,\"name\":\"ready +6.2 s\"");
    }

    @Test
    void findingsSayPerFaultWhatFailedWhenAndWhenTheStackServedAgain() throws Exception {
        String md = CapacityReportTest.text(
                CapacityReport.loadSection(LoadSection.of(fixture().path("load")), false));
        assertThat(md)
                .contains(
                        "Finding: restart database: 11 of the 129 requests until the next fault failed, from +1 s to +6.2 s "
                                + "(503 x11); MariaDB (database) was ready after 6.2 s, the stack served again after 14.3 s.")
                .contains(
                        "Finding: restart tracking: 934 of the 1037 requests until the next fault failed, from +0.2 s to +104 s (502 x934); "
                                + "MLflow (tracking) was ready after 106 s, the stack served again after 122.5 s.")
                .contains(
                        "Finding: reload proxy: none of the 68 requests until the next fault failed; nginx (proxy) was ready after 0.1 s")
                .contains(
                        "Finding: Integrity held through every fault (the pass/fail figure): every acknowledged metric point (1581) was "
                                + "stored exactly once; every acknowledged upload (43 of 153 sent) was stored intact. 5 metric point(s) were stored "
                                + "although their request failed")
                .contains("In all 1551 requests, 979 failed (63.12 %), 0 of them before the first fault.");
        assertThat(md)
                .as("the per-fault table")
                .contains("| restart database | 10 (10) | 5 | 129 | 11 | 1 | 6.2 | 503 x11 | 6.2 | 14.3 |")
                .contains("| reload proxy | 202.5 (100) | 0 | 68 | 0 | none | none | - | 0.1 | 6.2 |")
                .doesNotContain("ran no step");
    }

    @Test
    void lostAcknowledgedWritesAndAnUnrecoveredFaultAreSaidPlainly() throws Exception {
        JsonNode s = fixture();
        JsonNode integrity = s.path("load").path("scenarios").path("resilience").path("integrity");
        ((ObjectNode) integrity.path("metricPoints")).put("lost", 12);
        ((ObjectNode) integrity.path("uploads")).put("acknowledgedButNotStoredIntact", 2);
        ObjectNode db = (ObjectNode) fault(s, 0);
        db.put("componentReadyAfterSeconds", "not ready");
        db.put("servesAgainAfterSeconds", "not within 420 s");
        ((ObjectNode) db.path("timeline").path("marks")).putNull("readyAt").putNull("servesAgainAt");
        Document d = CapacityReport.loadSection(LoadSection.of(s.path("load")), true);
        assertThat(CapacityReportTest.text(d))
                .contains("Finding: INTEGRITY BROKEN (the pass/fail figure): 12 of 1581 acknowledged metric "
                        + "points were lost and 0 duplicated; 2 of 43 acknowledged uploads were not stored intact")
                .contains("MariaDB (database) was not ready again, the stack did not serve again (not within 420 s).");
        assertThat(d.charts().get(0).marks())
                .extracting(Chart.Mark::label)
                .containsExactly("fault starts", "outage ends +5 s");
        assertThat(CapacityReport.headlines(s))
                .containsEntry("resilience restart database", "11 of 129 failed, serving again: not within 420 s")
                .containsEntry(
                        "resilience integrity",
                        "12 lost, 0 duplicated of 1581 acknowledged points; 2 acknowledged uploads not intact");
    }

    @Test
    void aLongTimelineLabelsAboutTwentySecondsInHtmlAndPng(@TempDir Path dir) throws Exception {
        Document d = CapacityReport.document(new CapacityReport.Run("r", fixture()), null);
        Chart tracking = d.charts().get(2);
        assertThat(tracking.categories()).hasSize(138);
        assertThat(Charts.echartsOption(tracking)).contains("\"interval\":6");
        assertThat(Charts.echartsOption(d.charts().get(0))).contains("\"interval\":0");
        Path md = MarkdownWriter.write(d, dir.resolve("capacity.md"));
        Path html = HtmlWriter.write(d, dir.resolve("capacity.html"));
        for (Chart c : d.charts()) {
            assertThat(Files.readAllBytes(dir.resolve("capacity-charts/" + c.id() + ".png")))
                    .startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            assertThat(Files.readString(md)).contains("](capacity-charts/" + c.id() + ".png)");
            assertThat(Files.readString(html)).contains("<div class=\"chart\" id=\"chart-" + c.id() + "\"");
        }
        assertThat(List.of(Files.readString(html), Files.readString(md)))
                .allSatisfy(
                        t -> assertThat(t)
                                .contains(
                                        "restart object-store: 2 of the 142 requests until the next fault failed, from +10.7 s to +11 s (500 x1, 502 x1)"));
    }
}
