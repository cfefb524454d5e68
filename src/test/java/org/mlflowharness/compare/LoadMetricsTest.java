package org.mlflowharness.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadMetricsTest {

    @Test
    void readsStepsBestStepUploadsAndRatiosFromALoadSection() {
        Map<String, Object> load = Map.of("scenarios", Map.of(
                "metric-logging", Map.of(
                        "steps", List.of(Map.of("users", 3, "rate", 2.0, "acknowledgedPointsPerSecond", 60.5,
                                "requests", Map.of("throughputRps", 6.1, "p95Ms", 120, "p99Ms", 300))),
                        "highestStepMeetingSlo", Map.of("users", 3, "rate", 2.0, "offeredPointsPerSecond", 66.0)),
                "large-upload", Map.of(
                        "direct", Map.of("bySize", Map.of("16MiB", Map.of("aggregateMBps", 80.0))),
                        "proxied", Map.of("hardened", Map.of("bySize", Map.of("16MiB", Map.of("aggregateMBps", 40.0)),
                                "proxiedToDirectRatioBySize", Map.of("16MiB", 0.5))))));
        Map<String, LoadMetrics.Figure> f = LoadMetrics.of(load);
        assertThat(f).containsKeys("metric-logging step 1 (3 users x 2.0/s) throughput", "metric-logging step 1 (3 users x 2.0/s) p95",
                "metric-logging step 1 (3 users x 2.0/s) p99", "metric-logging step 1 (3 users x 2.0/s) acknowledged points/s",
                "metric-logging max rate under SLO (offered)", "upload direct-s3 16MiB", "upload via nginx 16MiB", "proxied/direct ratio 16MiB");
        assertThat(f.get("upload via nginx 16MiB").value()).isEqualTo(40.0);
        assertThat(f.get("metric-logging step 1 (3 users x 2.0/s) p99").kind()).isEqualTo(Thresholds.Kind.P99);
    }

    @Test
    void noStepMeetingTheSloIsAMaxRateOfZero() {
        Map<String, Object> load = Map.of("scenarios", Map.of("metric-logging", Map.of("steps", List.of(), "highestStepMeetingSlo", "none")));
        assertThat(LoadMetrics.of(load).get("metric-logging max rate under SLO (offered)").value()).isZero();
    }
}
