package org.mlflowharness.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflowharness.compare.MetricComparison.Rounds;

class ComparisonReportTest {

    private static MetricComparison metric(String name, List<Double> a, List<Double> b, int needed) {
        return MetricComparison.of(name, "ms", false, Rounds.of(a), Rounds.of(b), 20.0, needed, null);
    }

    @Test
    void onlyInconclusiveMetricsMakeAnInconclusiveComparisonNotAFailure() {
        ComparisonReport r = new ComparisonReport();
        r.baseline = "mlflow=3.17.2";
        r.candidate = "mlflow=3.17.2";
        r.profile = "smoke";
        r.performance = List.of(
                metric("mixed step 1 p95", List.of(248.0, 296.0), List.of(418.2, 458.2), 4),
                metric("mixed step 1 p99", List.of(300.0, 320.0), List.of(310.0, 305.0), 4));
        assertThat(r.failure()).isNull();
        assertThat(r.inconclusive())
                .startsWith("comparison: 1 of 2 metric(s) inconclusive, no regression: mixed step 1 p95 +61.1 % (95 % "
                        + "interval")
                .endsWith("too few rounds (2+2; the rule needs 4 per side)");
        assertThat(r.markdown()).contains("| 95 % interval |").contains("inconclusive: too few rounds");
    }

    @Test
    void aRegressionFailsWithItsIntervalAndRounds() {
        ComparisonReport r = new ComparisonReport();
        r.performance = List.of(metric(
                "mixed step 1 p95", List.of(241.0, 107.0, 265.0, 126.0), List.of(2798.0, 2606.0, 2603.0, 2829.0), 4));
        assertThat(r.failure())
                .startsWith(
                        "comparison: 1 regression(s): mixed step 1 p95 +1372.5 % (95 % interval +919.6 .. +2425.2 %")
                .endsWith(", threshold 20.0 %, rounds 4+4 (rule: 4 per side))");
        assertThat(r.inconclusive()).isNull();
    }
}
