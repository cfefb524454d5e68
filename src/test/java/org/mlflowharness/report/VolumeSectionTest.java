package org.mlflowharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.compare.LoadMetrics;
import org.mlflowharness.model.load.LoadFixtures;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.model.load.VolumeResult;

class VolumeSectionTest {

    private static final String SEARCH = "search runs (filter, order-by)";

    private final VolumeResult volume = LoadFixtures.volume(List.of(
            LoadFixtures.volumeLevel(0, Map.of(SEARCH, 12L, "metric history (long run)", 80L), 600),
            LoadFixtures.volumeLevel(
                    1000,
                    Map.of(SEARCH, 1400L, "metric history (long run)", 95L),
                    450,
                    "p95 latency: threshold <= 1000 ms, measured 1400.00 ms")));

    @Test
    void theFindingGivesEachReadAndTheLoggingFromTheSmallestToTheLargestVolume() {
        String finding = VolumeSection.finding(volume.levels());
        assertThat(finding)
                .contains("from 0 runs (0 points) to 1000 runs (1M points)")
                .contains(SEARCH + " p95 12 -> 1400 ms")
                .contains("logging 600 -> 450 points/s")
                .contains("the fill added 1000000 metric points in 10 s")
                .contains("SLO broken at 1000 runs (1M points)");
    }

    @Test
    void theSectionHasATableRowPerLevelAndChartsAgainstVolume() {
        Document d = new Document("t");
        VolumeSection.section(d, volume, true);
        assertThat(d.charts()).extracting(c -> c.id()).contains("data-volume-reads", "data-volume-logging");
        Document.Table levels = d.blocks().stream()
                .filter(b -> b instanceof Document.Table)
                .map(b -> (Document.Table) b)
                .findFirst()
                .orElseThrow();
        assertThat(levels.header()).contains("runs", "metric points", SEARCH + " p50 / p95 ms", "logging points/s");
        assertThat(levels.rows()).hasSize(2);
        assertThat(levels.rows().get(1)).contains("1000", "1000000", "700 / 1400");
    }

    @Test
    void aVolumeRunReadsBackFromJsonAndCompares() {
        LoadSection load = LoadFixtures.section(Map.of("data-volume", volume));
        LoadSection back = LoadSection.of(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(load));
        assertThat(back.scenarios().get("data-volume")).isEqualTo(volume);
        assertThat(LoadMetrics.of(back))
                .containsKeys("data-volume 1000 runs " + SEARCH + " p95", "data-volume 0 runs logging points/s");
        assertThat(LoadMetrics.of(back)
                        .get("data-volume 1000 runs " + SEARCH + " p95")
                        .value())
                .isEqualTo(1400.0);
    }
}
