package org.mlflowharness.compare;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * One performance metric compared between baseline and candidate from repeated, interleaved rounds, decided by
 * {@link DecisionRule}: each side's value is the median of its rounds, the change is {@code (candidate - baseline) /
 * baseline} in percent with its bootstrap interval, and the report says which rounds the decision used and why a
 * metric is inconclusive.
 *
 * @param baselineOtherCores per baseline round, the cores processes outside the stack and the harness used (null:
 *                           not read)
 * @param baselineOutsideWaitPct per baseline round, the share of their runnable time the stack or the injector waited
 *                           for a CPU held by those processes ({@code ResourceWindow.Machine#outsideWaitPct}; null: not
 *                           read)
 * @param higherIsBetter     true for throughput, MB/s, ratios and rates; false for latencies
 * @param intervalLowPct     the low end of the change's confidence interval (null when not comparable)
 * @param detectablePct      the smallest change this machine's noise lets the rule detect at the rounds used
 * @param roundsUsed         rounds per side the decision used, e.g. "4+4 (rule: 4 per side)"
 * @param thresholdPct       the regression threshold for this metric, or null when none applies
 * @param reason             why the verdict is what it is, when that is not plain (inconclusive, busy rounds left out)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricComparison(
        String metric,
        String unit,
        boolean higherIsBetter,
        List<Double> baselineRounds,
        List<Double> candidateRounds,
        List<Double> baselineOtherCores,
        List<Double> candidateOtherCores,
        List<Double> baselineOutsideWaitPct,
        List<Double> candidateOutsideWaitPct,
        Double baseline,
        Double candidate,
        Double changePct,
        Double intervalLowPct,
        Double intervalHighPct,
        Double detectablePct,
        String roundsUsed,
        Double thresholdPct,
        Verdict verdict,
        String reason) {

    public enum Verdict {
        NO_SIGNIFICANT_CHANGE("no significant change"),
        BETTER("better"),
        WORSE_WITHIN_THRESHOLD("worse, not surely beyond the threshold"),
        REGRESSION("REGRESSION"),
        INCONCLUSIVE("inconclusive"),
        NOT_COMPARABLE("n/a");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * One side's rounds: per round the value (null: not measured), the cores other processes used and the share of
     * their runnable time the stack or the injector waited for a CPU those held (null: not read), and whether they kept
     * the machine busy; the machine's cores (0: not known).
     */
    public record Rounds(
            List<Double> values, List<Double> otherCores, List<Double> outsideWaitPct, List<Boolean> busy, int cores) {
        /** Rounds without the scheduler's figures. */
        public Rounds(List<Double> values, List<Double> otherCores, List<Boolean> busy, int cores) {
            this(values, otherCores, java.util.Collections.nCopies(values.size(), null), busy, cores);
        }

        /** Rounds without machine figures. */
        public static Rounds of(List<Double> values) {
            List<Double> none = new ArrayList<>();
            List<Boolean> quiet = new ArrayList<>();
            values.forEach(v -> {
                none.add(null);
                quiet.add(false);
            });
            return new Rounds(values, none, quiet, 0);
        }
    }

    /**
     * Compares one metric. A round without a value (a side could not run it) or a zero baseline makes it "n/a".
     *
     * @param needed       rounds per side the rule needs for this metric ({@link DecisionRule#roundsNeeded})
     * @param calibratedCv the noise calibration measured for it (coefficient of variation), or null
     */
    public static MetricComparison of(
            String metric,
            String unit,
            boolean higherIsBetter,
            Rounds baselineRounds,
            Rounds candidateRounds,
            Double thresholdPct,
            int needed,
            Double calibratedCv) {
        List<Double> a = baselineRounds.values();
        List<Double> b = candidateRounds.values();
        boolean complete = !a.isEmpty()
                && !b.isEmpty()
                && a.stream().allMatch(v -> v != null && Double.isFinite(v))
                && b.stream().allMatch(v -> v != null && Double.isFinite(v));
        Double base = complete ? DecisionRule.median(a) : null;
        Double cand = complete ? DecisionRule.median(b) : null;
        if (!complete || base == 0) {
            return new MetricComparison(
                    metric,
                    unit,
                    higherIsBetter,
                    a,
                    b,
                    baselineRounds.otherCores(),
                    candidateRounds.otherCores(),
                    baselineRounds.outsideWaitPct(),
                    candidateRounds.outsideWaitPct(),
                    base,
                    cand,
                    null,
                    null,
                    null,
                    null,
                    null,
                    thresholdPct,
                    Verdict.NOT_COMPARABLE,
                    complete ? "the baseline's median is 0" : "a round did not measure it");
        }
        DecisionRule.Decision d = DecisionRule.decide(
                baselineRounds, candidateRounds, higherIsBetter, thresholdPct, needed, calibratedCv);
        return new MetricComparison(
                metric,
                unit,
                higherIsBetter,
                a,
                b,
                baselineRounds.otherCores(),
                candidateRounds.otherCores(),
                baselineRounds.outsideWaitPct(),
                candidateRounds.outsideWaitPct(),
                base,
                cand,
                d.changePct(),
                d.interval().lowPct(),
                d.interval().highPct(),
                d.detectablePct(),
                d.baselineRounds() + "+" + d.candidateRounds() + " (rule: " + d.roundsNeeded() + " per side)",
                thresholdPct,
                d.verdict(),
                d.reason());
    }
}
