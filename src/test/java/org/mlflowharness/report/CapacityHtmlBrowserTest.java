package org.mlflowharness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.report.chart.Chart;

/**
 * capacity.html opened from disk in a real browser (headless Chromium, network off): every chart is drawn, with its
 * series and data points, as SVG shapes. The pages and their screenshots stay in target/capacity-browser-test/ to look at.
 * Skipped, saying so, where Chromium is not installed (.ci/run installs it).
 */
class CapacityHtmlBrowserTest {

    @Test
    void everyChartIsDrawnWithItsDataInChromium() throws Exception {
        drawsEveryChart("capacity", CapacityReportTest.fixture(), 6000);
    }

    @Test
    void everyResilienceTimelineIsDrawnWithItsMarksInChromium() throws Exception {
        Document doc = drawsEveryChart("resilience", ResilienceReportTest.fixture(), 4000);
        assertThat(doc.charts()).hasSize(5);
    }

    private static Document drawsEveryChart(String name, com.fasterxml.jackson.databind.JsonNode summary, int height)
            throws Exception {
        assumeTrue(
                BrowserCheck.chromium().isPresent(),
                "chromium is not installed (apt-get install chromium): capacity.html not opened in a browser");
        Path dir = Path.of("target/capacity-browser-test/" + name);
        Dirs.deleteRecursively(dir);
        Files.createDirectories(dir);
        Document doc = CapacityReport.document(new CapacityReport.Run("20261127-100000-000-load", summary), null);
        Path html = HtmlWriter.write(doc, dir.resolve("capacity.html"));

        BrowserCheck.Result shown = BrowserCheck.check(html, dir.resolve("capacity.png"), 1280, height);

        assertThat(shown.chartsRendered())
                .as("charts the page reports drawn")
                .isEqualTo(doc.charts().size());
        assertThat(shown.charts())
                .extracting(BrowserCheck.DrawnChart::id)
                .containsExactlyElementsOf(doc.charts().stream().map(Chart::id).toList());
        for (int i = 0; i < doc.charts().size(); i++) {
            Chart c = doc.charts().get(i);
            BrowserCheck.DrawnChart drawn = shown.charts().get(i);
            long points = c.series().stream()
                    .mapToLong(s -> s.values().stream().filter(v -> v != null).count())
                    .sum();
            assertThat(drawn.series())
                    .as(c.id() + " series")
                    .isEqualTo(c.series().size());
            assertThat(drawn.points()).as(c.id() + " data points ECharts holds").isEqualTo(points);
            assertThat(drawn.svgShapes()).as(c.id() + " SVG shapes drawn").isGreaterThanOrEqualTo((int) points);
        }
        assertThat(Files.readAllBytes(shown.screenshot()))
                .as("a PNG screenshot")
                .startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        return doc;
    }
}
