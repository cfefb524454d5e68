package org.mlflowharness.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflowharness.compare.DecisionRule.Decision;
import org.mlflowharness.compare.MetricComparison.Rounds;
import org.mlflowharness.compare.MetricComparison.Verdict;
import org.mlflowharness.model.load.ResourceWindow.Machine;

/** The decision rule on recorded round data: the issue's false regressions, real gate rounds, a seeded slowdown. */
class DecisionRuleTest {

    /** Rounds measured on a saturated 2-core machine with other processes using {@code others} cores each. */
    private static Rounds rounds(List<Double> values, List<Double> others) {
        return new Rounds(
                values,
                others,
                others.stream()
                        .map(o -> new Machine(2, 2.0, 100.0, o).busyByOthers())
                        .toList(),
                2);
    }

    private static Rounds quiet(Double... values) {
        return rounds(List.of(values), Collections.nCopies(values.length, 0.0));
    }

    private static Decision decide(Rounds a, Rounds b, boolean higherIsBetter, double threshold) {
        return DecisionRule.decide(a, b, higherIsBetter, threshold, 4, null);
    }

    @Test
    void theIssuesFalseThroughputRegressionFromTwoRoundsPerSideIsInconclusiveNotARegression() {
        // compare 3.17.2 vs 3.17.2, mixed step 1 throughput: -21.6 % with a spread of 17.2 % (2 rounds per side)
        Decision d = decide(quiet(24.8, 25.2), quiet(17.92, 21.28), true, 10);
        assertThat(d.changePct()).isEqualTo(-21.6);
        assertThat(d.verdict()).isNotEqualTo(Verdict.REGRESSION).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(d.reason()).isEqualTo("too few rounds (2+2; the rule needs 4 per side)");
    }

    @Test
    void theIssuesFalseP95RegressionFromTwoRoundsPerSideIsInconclusiveNotARegression() {
        // mixed step 1 p95: +61.1 % with a spread of 17.5 % (2 rounds per side)
        Decision d = decide(quiet(248.0, 296.0), quiet(418.2, 458.2), false, 20);
        assertThat(d.changePct()).isEqualTo(61.1);
        assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void theSameFiguresWhenTheCandidateRanOnABusierMachineAreInconclusiveMachineBusy() {
        // the gate's figures: other processes took 0.65 to 0.97 of the 2 cores in the candidate's rounds
        Rounds a = rounds(List.of(24.8, 25.2, 25.0, 24.9), List.of(0.0, 0.1, 0.0, 0.2));
        Rounds b = rounds(List.of(17.92, 21.28, 19.0, 20.1), List.of(0.65, 0.97, 0.8, 0.7));
        Decision d = decide(a, b, true, 10);
        assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(d.reason())
                .isEqualTo("machine busy: the candidate ran on a busier machine (other processes: baseline rounds "
                        + "0.05, candidate rounds 0.75 cores (median))");
    }

    /** Rounds with the scheduler's figures: per round the cores others used and the stack's time lost to them. */
    private static Rounds scheduled(List<Double> values, List<Double> others, List<Double> lostPct) {
        List<Boolean> busy = new java.util.ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Machine m = new Machine(2, 2.0, 100.0, others.get(i), 0.05, lostPct.get(i) * 2, null, null);
            busy.add(m.busyByOthers());
        }
        return new Rounds(values, others, lostPct, busy, 2);
    }

    @Test
    void withTheSchedulersFiguresTheSideThatLostMoreTimeToOthersIsInconclusiveNotARegression() {
        // the candidate's rounds ran beside two CPU burners: its stack lost 25 to 49 % of its runnable time to them
        // (the gate beside burners, 2026-12-03: 49 %, 62 %, 29 %, 55 %), the baseline's 1 to 4 %
        Rounds a = scheduled(
                List.of(240.0, 250.0, 246.0, 238.0), List.of(0.2, 0.3, 0.25, 0.2), List.of(1.0, 4.0, 2.0, 3.0));
        Rounds b = scheduled(
                List.of(420.0, 455.0, 398.0, 470.0), List.of(1.3, 1.4, 1.2, 1.36), List.of(49.0, 29.0, 25.0, 31.0));
        Decision d = decide(a, b, false, 20);
        assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(d.reason())
                .startsWith(
                        "machine busy: the candidate ran on a busier machine (other processes: baseline rounds 0.23,"
                                + " candidate rounds 1.33 cores (median); the stack or the injector waited for a CPU they "
                                + "held 3 % and 30 % of its runnable time)");
    }

    @Test
    void aChangeTowardsTheQuieterSideIsInconclusiveTooWhenTheSidesWereBusyUnalike() {
        // self-comparison 3.17.2 vs 3.17.2 with burners beside the baseline (2026-12-03): "proxied/direct ratio
        // 1MiB" came out -44 % [-61, -4] for the quieter candidate: the harness-heavy direct transfer was slowed
        // more on the busy side, which raised that side's ratio. Busyness moves a ratio either way.
        Rounds a = scheduled(
                List.of(0.92, 1.10, 0.88, 1.05), List.of(1.6, 1.7, 1.5, 1.65), List.of(60.0, 70.0, 65.0, 68.0));
        Rounds b = scheduled(
                List.of(0.55, 0.62, 0.50, 0.60), List.of(0.9, 1.0, 0.95, 0.9), List.of(30.0, 36.0, 34.0, 35.0));
        Decision d = decide(a, b, true, 20);
        assertThat(d.changePct()).isLessThan(-20);
        assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(d.reason()).startsWith("machine busy: the baseline ran on a busier machine");
    }

    @Test
    void aMeasurableChangeWhoseWholeIntervalIsInsideTheThresholdIsNoSignificantChangeHoweverBusy() {
        // recorded self-comparisons 3.17.2 vs 3.17.2 with two CPU burners beside one side (2026-12-03): throughput
        // +1.2 % [0.2, 2.1] and -0.8 % [-1.3, -0.4] against a 10 % threshold were "inconclusive: machine busy"
        Rounds metricLoggingA = scheduled(
                List.of(12.49, 12.65, 12.73, 12.55), List.of(1.51, 1.61, 1.68, 1.61), List.of(50.8, 60.7, 61.6, 48.9));
        Rounds metricLoggingB = scheduled(
                List.of(12.67, 12.75, 12.77, 12.76), List.of(1.15, 0.04, 0.08, 0.03), List.of(35.4, 1.2, 1.3, 0.7));
        Decision up = decide(metricLoggingA, metricLoggingB, true, 10);
        assertThat(up.interval().containsZero()).isFalse();
        assertThat(up.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
        assertThat(up.reason())
                .startsWith("inside the threshold: the whole interval lies within +/-10 %, measured on unalike busy"
                        + " sides (other processes: baseline rounds 1.61, candidate rounds 0.06 cores (median)");
        Rounds mixedA = scheduled(
                List.of(25.18, 25.25, 25.27, 25.27), List.of(0.01, 0.01, 0.02, 0.02), List.of(0.3, 0.3, 0.5, 0.6));
        Rounds mixedB = scheduled(
                List.of(24.93, 25.03, 25.15, 25.09), List.of(1.31, 1.37, 1.43, 1.47), List.of(54.0, 49.8, 56.5, 60.7));
        assertThat(decide(mixedA, mixedB, true, 10).verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
        // the same change against a 0.5 % threshold reaches beyond it: then the busy candidate makes it inconclusive
        assertThat(decide(mixedA, mixedB, true, 0.5).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void othersUsingMoreCpuBesideOneSideWithoutSlowingItDoNotHideASeededSlowdown() {
        // others used 0.6 more cores beside the candidate, but its stack barely waited for them: the CPU-share rule
        // alone would call the rounds imbalanced; the scheduler's figures say they were not
        Rounds a = scheduled(
                List.of(452.0, 389.0, 610.0, 470.0), List.of(0.3, 0.2, 0.3, 0.25), List.of(1.0, 2.0, 1.0, 1.0));
        Rounds b = scheduled(
                List.of(2990.0, 3120.0, 2950.0, 3300.0), List.of(0.9, 0.85, 0.9, 0.95), List.of(3.0, 2.0, 4.0, 3.0));
        assertThat(decide(a, b, false, 20).verdict()).isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void aMachineBusyAlikeForBothSidesDoesNotHideASeededSlowdown() {
        // every round saturated by other processes (1.1 to 1.4 of 2 cores), the candidate 2.5 s slower per request
        Rounds a = rounds(List.of(452.0, 389.0, 610.0, 470.0), List.of(1.36, 1.2, 1.15, 1.3));
        Rounds b = rounds(List.of(2990.0, 3120.0, 2950.0, 3300.0), List.of(1.25, 1.1, 1.4, 1.3));
        Decision d = decide(a, b, false, 20);
        assertThat(d.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(d.reason()).startsWith("8 busy round(s) kept: other processes: baseline rounds 1.25");
    }

    @Test
    void aSignificantRiseWhoseIntervalReachesBelowTheThresholdIsNotARegression() {
        Decision d = decide(quiet(100.0, 110.0, 95.0, 105.0), quiet(125.0, 130.0, 112.0, 128.0), false, 20);
        assertThat(d.changePct()).isGreaterThan(20);
        assertThat(d.interval().lowPct()).isBetween(0.0, 20.0);
        assertThat(d.verdict()).isEqualTo(Verdict.WORSE_WITHIN_THRESHOLD);
    }

    @Test
    void realGateRoundsOfOneVersionAreNoSignificantChange() {
        // mixed step 1 (5 users x 1.0/s) p95 in ms of eight gates of MLflow 3.17.2 on this machine (2026-12-03),
        // split in recorded order into two "sides": the same stack, whose rounds range from 103 to 329 ms
        Decision p95 = decide(quiet(241.0, 107.0, 265.0, 126.0), quiet(298.0, 106.0, 103.0, 329.0), false, 20);
        assertThat(p95.changePct()).isEqualTo(10.1);
        assertThat(p95.interval().containsZero()).isTrue();
        assertThat(p95.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
        // and its throughput (req/s)
        Decision rps = decide(quiet(24.76, 25.31, 24.88, 25.02), quiet(24.84, 25.46, 24.63, 25.4), true, 10);
        assertThat(rps.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
    }

    @Test
    void recordedSelfComparisonBesideACpuBurnerIsNoSignificantChange() {
        // compare 3.17.2 vs 3.17.2, 2026-12-03 13:14, a CPU burner (one core, 100 s on / 80 s off) beside it: p99 of
        // metric-logging step 1 fell by half and p95 of mixed step 1 rose by 17 %, both noise
        Rounds a = rounds(List.of(623.0, 980.0, 168.0, 383.0), List.of(1.53, 1.68, 1.72, 1.73));
        Rounds b = rounds(List.of(190.0, 141.0, 465.0, 263.0), List.of(1.63, 1.74, 1.6, 1.7));
        Decision p99 = decide(a, b, false, 20);
        assertThat(p99.changePct()).isEqualTo(-55.0);
        assertThat(p99.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
        Decision p95 = decide(
                rounds(List.of(207.0, 409.0, 223.0, 183.0), List.of(1.11, 1.5, 1.18, 1.46)),
                rounds(List.of(220.0, 179.0, 285.0, 304.0), List.of(1.22, 1.49, 1.37, 1.39)),
                false,
                20);
        assertThat(p95.changePct()).isEqualTo(17.4);
        assertThat(p95.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
    }

    @Test
    void aSeededSlowdownIsARegressionOfItsSizeWithinTheInterval() {
        // nginx-slow adds 2.5 s to every tracking request: p95 of the same rounds plus 2500 ms
        Rounds a = quiet(241.0, 107.0, 265.0, 126.0);
        Rounds b = quiet(2798.0, 2606.0, 2603.0, 2829.0);
        Decision d = decide(a, b, false, 20);
        assertThat(d.verdict()).isEqualTo(Verdict.REGRESSION);
        double expected = 2500 / DecisionRule.median(a.values()) * 100;
        assertThat(expected).isBetween(d.interval().lowPct(), d.interval().highPct());
    }

    @Test
    void recordedNginxSlowRoundsOnABusyMachineAreARegressionOfTheSeededSize() {
        // compare 3.17.2 vs 3.17.2 with fault=nginx-slow, 2026-12-03 12:46, rounds A B B A A B B A: metric-logging
        // step 1 (3 users x 2.0/s) p95 in ms and the other processes' cores of each round (machine 100 % busy but in
        // the last baseline round, 69 %). The slowed candidate idles, so the neighbours fill the machine in its rounds.
        Rounds a = new Rounds(
                List.of(130.0, 516.0, 298.0, 113.0),
                List.of(1.57, 1.73, 1.7, 1.02),
                List.of(true, true, true, false),
                2);
        Rounds b = new Rounds(
                List.of(2691.0, 2753.0, 2881.0, 2648.0),
                List.of(1.92, 1.9, 1.93, 1.91),
                List.of(true, true, true, true),
                2);
        Decision d = decide(a, b, false, 20);
        assertThat(d.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(d.reason()).startsWith("7 busy round(s) kept");
        double seeded = 2500 / DecisionRule.median(a.values()) * 100; // 2.5 s on a 214 ms median
        assertThat(seeded).isBetween(d.interval().lowPct(), d.interval().highPct());
    }

    @Test
    void busyRoundsAreLeftOutWhenEnoughQuietOnesRemain() {
        Rounds a = rounds(List.of(100.0, 101.0, 99.0, 100.0, 102.0), List.of(0.0, 0.0, 0.0, 0.0, 0.0));
        Rounds b = rounds(List.of(150.0, 151.0, 149.0, 152.0, 400.0), List.of(0.0, 0.0, 0.0, 0.0, 1.5));
        Decision d = decide(a, b, false, 20);
        assertThat(d.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(d.candidateRounds()).isEqualTo(4);
        assertThat(d.reason()).isEqualTo("1 busy round(s) left out");
    }

    @Test
    void aSignificantChangeInTheGoodDirectionIsBetterAndASmallBadOneWithinTheThreshold() {
        assertThat(decide(quiet(100.0, 101.0, 99.0, 100.0), quiet(50.0, 51.0, 49.0, 50.0), false, 20)
                        .verdict())
                .isEqualTo(Verdict.BETTER);
        assertThat(decide(quiet(100.0, 101.0, 99.0, 100.0), quiet(94.0, 95.0, 93.0, 94.0), true, 10)
                        .verdict())
                .isEqualTo(Verdict.WORSE_WITHIN_THRESHOLD);
        assertThat(decide(quiet(100.0, 101.0, 99.0, 100.0), quiet(80.0, 81.0, 79.0, 80.0), true, 10)
                        .verdict())
                .isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void aChangeBelowTheCalibratedDetectableChangeIsNoSignificantChange() {
        Decision d = DecisionRule.decide(
                quiet(100.0, 101.0, 99.0, 100.0), quiet(94.0, 95.0, 93.0, 94.0), true, 10.0, 4, 0.10);
        assertThat(d.detectablePct()).isEqualTo(19.8);
        assertThat(d.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
        assertThat(d.reason()).isEqualTo("below the calibrated detectable change of 19.8 %");
    }

    @Test
    void shortWindowsNeedMoreRoundsAndTheDetectableChangeShrinksWithRounds() {
        assertThat(DecisionRule.roundsNeeded(12.0)).isEqualTo(4);
        assertThat(DecisionRule.roundsNeeded(null)).isEqualTo(4);
        assertThat(DecisionRule.roundsNeeded(60.0)).isEqualTo(3);
        assertThat(DecisionRule.detectablePct(0.1, 4)).isCloseTo(19.8, org.assertj.core.data.Offset.offset(0.05));
        assertThat(DecisionRule.detectablePct(0.1, 8)).isLessThan(DecisionRule.detectablePct(0.1, 4));
        assertThat(DecisionRule.roundsToDetect(0.1, 10, 10)).isEqualTo(-1);
        assertThat(DecisionRule.roundsToDetect(0.05, 10, 10)).isEqualTo(4);
    }

    @Test
    void theRuleAsTheReportStatesItGivesTheBusyMachineThresholds() {
        assertThat(DecisionRule.TEXT)
                .contains("lost >= 10 % of its runnable time waiting for a CPU held by other processes")
                .contains("other processes >= 25 % of the cores")
                .doesNotContain("% %");
    }

    @Test
    void theIntervalIsReproducible() {
        List<Double> a = List.of(100.0, 90.0, 110.0, 105.0);
        List<Double> b = List.of(120.0, 95.0, 130.0, 100.0);
        assertThat(DecisionRule.interval(a, b)).isEqualTo(DecisionRule.interval(a, b));
    }
}
