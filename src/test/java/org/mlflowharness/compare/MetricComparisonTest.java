package org.mlflowharness.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.compare.MetricComparison.Verdict;

class MetricComparisonTest {

    @Test
    void medianAndSpread() {
        assertThat(MetricComparison.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(MetricComparison.median(List.of(4.0, 2.0))).isEqualTo(3.0);
        assertThat(MetricComparison.median(List.of())).isNull();
        assertThat(MetricComparison.spreadPct(List.of(90.0, 110.0))).isEqualTo(20.0);
        assertThat(MetricComparison.spreadPct(List.of(100.0))).isZero();
    }

    @Test
    void aChangeWithinTheRunToRunSpreadIsNoSignificantChange() {
        // baseline moved 100 -> 120 between its own rounds (spread 18.2 %); the candidate is 10 % lower: noise
        MetricComparison m =
                MetricComparison.of("throughput", "req/s", true, List.of(100.0, 120.0), List.of(99.0, 99.0), 10.0);
        assertThat(m.baseline()).isEqualTo(110.0);
        assertThat(m.changePct()).isEqualTo(-10.0);
        assertThat(m.spreadPct()).isEqualTo(18.2);
        assertThat(m.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
    }

    @Test
    void theSameStackTwiceIsNoSignificantChange() {
        MetricComparison m =
                MetricComparison.of("p95", "ms", false, List.of(200.0, 260.0), List.of(230.0, 250.0), 20.0);
        assertThat(m.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
    }

    @Test
    void aSignificantDropBeyondTheThresholdIsARegression() {
        MetricComparison m =
                MetricComparison.of("throughput", "req/s", true, List.of(100.0, 102.0), List.of(80.0, 82.0), 10.0);
        assertThat(m.changePct()).isEqualTo(-19.8);
        assertThat(m.spreadPct()).isEqualTo(2.5);
        assertThat(m.verdict()).isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void aSignificantDropWithinTheThresholdIsReportedButNotARegression() {
        MetricComparison m =
                MetricComparison.of("throughput", "req/s", true, List.of(100.0, 101.0), List.of(94.0, 95.0), 10.0);
        assertThat(m.verdict()).isEqualTo(Verdict.WORSE_WITHIN_THRESHOLD);
    }

    @Test
    void latenciesRegressUpwardsAndImproveDownwards() {
        assertThat(MetricComparison.of("p99", "ms", false, List.of(100.0, 100.0), List.of(130.0, 131.0), 20.0)
                        .verdict())
                .isEqualTo(Verdict.REGRESSION);
        assertThat(MetricComparison.of("p99", "ms", false, List.of(100.0, 100.0), List.of(50.0, 51.0), 20.0)
                        .verdict())
                .isEqualTo(Verdict.BETTER);
        assertThat(MetricComparison.of("MB/s", "MB/s", true, List.of(100.0, 100.0), List.of(150.0, 151.0), 10.0)
                        .verdict())
                .isEqualTo(Verdict.BETTER);
    }

    @Test
    void aMetricMissingInARoundOrAZeroBaselineIsNotComparable() {
        assertThat(MetricComparison.of("x", "ms", false, Arrays.asList(1.0, null), List.of(1.0, 1.0), 20.0)
                        .verdict())
                .isEqualTo(Verdict.NOT_COMPARABLE);
        assertThat(MetricComparison.of("x", "req/s", true, List.of(0.0, 0.0), List.of(1.0, 1.0), 20.0)
                        .verdict())
                .isEqualTo(Verdict.NOT_COMPARABLE);
    }

    @Test
    void roundsInterleaveABBA() {
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            order.append(PerformanceRounds.baselineRunsAt(i) ? 'A' : 'B');
        }
        assertThat(order).hasToString("ABBAABBA");
    }

    @Test
    void roundsAreComparedPerMetricWithTheThresholdOfItsKind() {
        Thresholds t = Thresholds.of(
                Map.of(
                        "throughputDownPct",
                        10,
                        "pointsPerSecondDownPct",
                        10,
                        "maxRateUnderSloDownPct",
                        10,
                        "p95UpPct",
                        20,
                        "p99UpPct",
                        20,
                        "uploadMBpsDownPct",
                        10,
                        "proxiedToDirectRatioDownPct",
                        10),
                "test");
        PerformanceRounds rounds = new PerformanceRounds();
        rounds.add(true, Map.of("m p95", new LoadMetrics.Figure("m p95", Thresholds.Kind.P95, 100)));
        rounds.add(false, Map.of("m p95", new LoadMetrics.Figure("m p95", Thresholds.Kind.P95, 150)));
        rounds.add(false, Map.of("m p95", new LoadMetrics.Figure("m p95", Thresholds.Kind.P95, 152)));
        rounds.add(true, Map.of("m p95", new LoadMetrics.Figure("m p95", Thresholds.Kind.P95, 101)));
        List<MetricComparison> c = rounds.compare(t);
        assertThat(c).singleElement().satisfies(m -> {
            assertThat(m.thresholdPct()).isEqualTo(20.0);
            assertThat(m.unit()).isEqualTo("ms");
            assertThat(m.baselineRounds()).containsExactly(100.0, 101.0);
            assertThat(m.verdict()).isEqualTo(Verdict.REGRESSION);
        });
    }
}
