package org.mlflowharness.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.model.load.LoadFixtures;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.model.load.OrText;
import org.mlflowharness.model.load.SteppedResult;
import org.mlflowharness.model.load.UploadResult;

class LoadMetricsTest {

    @Test
    void readsStepsBestStepUploadsAndRatiosFromALoadSection() {
        SteppedResult ml = LoadFixtures.stepped(
                List.of(LoadFixtures.step(
                        3,
                        2.0,
                        66.0,
                        60.5,
                        null,
                        LoadFixtures.requests(10, 60, 120, 300, 300, 6.1, Map.of()),
                        LoadFixtures.integrity(1, 10))),
                OrText.of(new SteppedResult.BestStep(3, 2.0, OrText.of(66.0), 6.1)));
        UploadResult upload = LoadFixtures.uploads(
                Map.of("16MiB", 80.0), Map.of("hardened", Map.of("16MiB", 40.0)), Map.of("16MiB", 0.5));
        LoadSection load = LoadFixtures.section(Map.of("metric-logging", ml, "large-upload", upload));
        Map<String, LoadMetrics.Figure> f = LoadMetrics.of(load);
        assertThat(f)
                .containsKeys(
                        "metric-logging step 1 (3 users x 2.0/s) throughput",
                        "metric-logging step 1 (3 users x 2.0/s) p95",
                        "metric-logging step 1 (3 users x 2.0/s) p99",
                        "metric-logging step 1 (3 users x 2.0/s) acknowledged points/s",
                        "metric-logging max rate under SLO (offered)",
                        "upload direct-s3 16MiB",
                        "upload via nginx 16MiB",
                        "proxied/direct ratio 16MiB");
        assertThat(f.get("upload via nginx 16MiB").value()).isEqualTo(40.0);
        assertThat(f.get("metric-logging step 1 (3 users x 2.0/s) p99").kind()).isEqualTo(Thresholds.Kind.P99);
    }

    @Test
    void noStepMeetingTheSloIsAMaxRateOfZero() {
        LoadSection load =
                LoadFixtures.section(Map.of("metric-logging", LoadFixtures.stepped(List.of(), OrText.text("none"))));
        assertThat(LoadMetrics.of(load)
                        .get("metric-logging max rate under SLO (offered)")
                        .value())
                .isZero();
    }
}
