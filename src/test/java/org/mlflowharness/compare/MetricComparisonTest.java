package org.mlflowharness.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.compare.MetricComparison.Rounds;
import org.mlflowharness.compare.MetricComparison.Verdict;
import org.mlflowharness.model.load.ResourceWindow.Machine;

class MetricComparisonTest {

    private static MetricComparison compare(boolean higherIsBetter, List<Double> a, List<Double> b, double threshold) {
        return MetricComparison.of(
                "m", higherIsBetter ? "req/s" : "ms", higherIsBetter, Rounds.of(a), Rounds.of(b), threshold, 4, null);
    }

    @Test
    void aMetricMissingInARoundOrAZeroBaselineIsNotComparable() {
        MetricComparison missing = compare(false, Arrays.asList(1.0, null, 1.0, 1.0), List.of(1.0, 1.0, 1.0, 1.0), 20);
        assertThat(missing.verdict()).isEqualTo(Verdict.NOT_COMPARABLE);
        assertThat(missing.reason()).isEqualTo("a round did not measure it");
        assertThat(compare(true, List.of(0.0, 0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0, 1.0), 20)
                        .verdict())
                .isEqualTo(Verdict.NOT_COMPARABLE);
    }

    @Test
    void theReportCarriesMediansChangeIntervalAndRoundsUsed() {
        MetricComparison m =
                compare(false, List.of(100.0, 102.0, 101.0, 99.0), List.of(150.0, 152.0, 149.0, 151.0), 20);
        assertThat(m.baseline()).isEqualTo(100.5);
        assertThat(m.candidate()).isEqualTo(150.5);
        assertThat(m.changePct()).isEqualTo(49.8);
        assertThat(m.intervalLowPct()).isLessThanOrEqualTo(m.changePct());
        assertThat(m.intervalHighPct()).isGreaterThanOrEqualTo(m.changePct());
        assertThat(m.roundsUsed()).isEqualTo("4+4 (rule: 4 per side)");
        assertThat(m.verdict()).isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void roundsInterleaveABBA() {
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            order.append(PerformanceRounds.baselineRunsAt(i) ? 'A' : 'B');
        }
        assertThat(order).hasToString("ABBAABBA");
    }

    private static Thresholds thresholds() {
        return Thresholds.of(
                Map.of(
                        "throughputDownPct", 10,
                        "pointsPerSecondDownPct", 10,
                        "maxRateUnderSloDownPct", 10,
                        "p95UpPct", 20,
                        "p99UpPct", 20,
                        "uploadMBpsDownPct", 10,
                        "proxiedToDirectRatioDownPct", 10),
                "test");
    }

    private static Map<String, LoadMetrics.Figure> p95(double v, Double otherCores) {
        return Map.of(
                "m p95",
                new LoadMetrics.Figure(
                        "m p95",
                        Thresholds.Kind.P95,
                        v,
                        12.0,
                        otherCores == null ? null : new Machine(2, 2.0, 100.0, otherCores)));
    }

    @Test
    void roundsAreComparedPerMetricWithTheThresholdOfItsKindAndTheRoundsTheirWindowNeeds() {
        PerformanceRounds rounds = new PerformanceRounds();
        double[] a = {100, 101, 99, 100};
        double[] b = {150, 152, 151, 149};
        for (int i = 0; i < 8; i++) {
            boolean isA = PerformanceRounds.baselineRunsAt(i);
            rounds.add(isA, p95(isA ? a[i / 2] : b[i / 2], 0.1));
        }
        List<MetricComparison> c = rounds.compare(thresholds(), List.of());
        assertThat(c).singleElement().satisfies(m -> {
            assertThat(m.thresholdPct()).isEqualTo(20.0);
            assertThat(m.unit()).isEqualTo("ms");
            assertThat(m.baselineRounds()).hasSize(4);
            assertThat(m.baselineOtherCores()).containsOnly(0.1);
            assertThat(m.roundsUsed()).isEqualTo("4+4 (rule: 4 per side)");
            assertThat(m.verdict()).isEqualTo(Verdict.REGRESSION);
        });
    }

    @Test
    void aRoundOnABusyMachineIsTaggedFromItsWindowAndCalibrationGivesTheNoiseFloor() {
        PerformanceRounds self = new PerformanceRounds();
        self.add(true, p95(100, 0.0));
        self.add(true, p95(110, 0.0));
        self.add(true, p95(90, 0.0));
        self.add(true, p95(400, 1.2)); // busy: left out of the noise
        List<PerformanceRounds.Noise> noise = self.noise(thresholds(), 4);
        assertThat(noise).singleElement().satisfies(n -> {
            assertThat(n.rounds()).containsExactly(100.0, 110.0, 90.0);
            assertThat(n.cvPct()).isEqualTo(10.0);
            assertThat(n.detectablePct()).isEqualTo(19.8);
            assertThat(n.roundsForThreshold()).isEqualTo(4);
        });
    }
}
