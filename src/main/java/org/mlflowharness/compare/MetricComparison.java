package org.mlflowharness.compare;

import java.util.List;

/**
 * One performance metric compared between baseline and candidate from repeated, interleaved rounds.
 *
 * <p>The maths, kept here and unit-tested: each side's value is the median of its rounds; the change is
 * {@code (candidate - baseline) / baseline} in percent; the run-to-run spread is the larger of the two sides' relative
 * ranges, {@code (max - min) / median} in percent, i.e. how far the same stack moved between its own rounds on this
 * machine. A change no larger than the spread is "no significant change": it is within what the noise alone produced.
 * A significant change in the bad direction is a regression only when it also exceeds the metric's threshold (data in
 * {@code scenarios/compare-thresholds.yaml}); smaller ones are reported as "worse, within the threshold".
 *
 * @param higherIsBetter true for throughput, MB/s, ratios and rates; false for latencies
 * @param thresholdPct   the regression threshold for this metric, or null when none applies
 */
public record MetricComparison(
        String metric,
        String unit,
        boolean higherIsBetter,
        List<Double> baselineRounds,
        List<Double> candidateRounds,
        Double baseline,
        Double candidate,
        Double changePct,
        Double spreadPct,
        Double thresholdPct,
        Verdict verdict) {

    public enum Verdict {
        NO_SIGNIFICANT_CHANGE("no significant change"),
        BETTER("better"),
        WORSE_WITHIN_THRESHOLD("worse, within the threshold"),
        REGRESSION("REGRESSION"),
        NOT_COMPARABLE("n/a");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public static MetricComparison of(
            String metric,
            String unit,
            boolean higherIsBetter,
            List<Double> baselineRounds,
            List<Double> candidateRounds,
            Double thresholdPct) {
        List<Double> a = baselineRounds.stream()
                .filter(v -> v != null && Double.isFinite(v))
                .toList();
        List<Double> b = candidateRounds.stream()
                .filter(v -> v != null && Double.isFinite(v))
                .toList();
        Double base = median(a);
        Double cand = median(b);
        if (base == null
                || cand == null
                || a.size() < baselineRounds.size()
                || b.size() < candidateRounds.size()
                || base == 0) {
            return new MetricComparison(
                    metric,
                    unit,
                    higherIsBetter,
                    baselineRounds,
                    candidateRounds,
                    base,
                    cand,
                    null,
                    null,
                    thresholdPct,
                    Verdict.NOT_COMPARABLE);
        }
        double change = round1((cand - base) / base * 100);
        double spread = round1(Math.max(spreadPct(a), spreadPct(b)));
        Verdict verdict;
        if (Math.abs(change) <= spread) {
            verdict = Verdict.NO_SIGNIFICANT_CHANGE;
        } else if (higherIsBetter == change > 0) {
            verdict = Verdict.BETTER;
        } else if (thresholdPct != null && Math.abs(change) > thresholdPct) {
            verdict = Verdict.REGRESSION;
        } else {
            verdict = Verdict.WORSE_WITHIN_THRESHOLD;
        }
        return new MetricComparison(
                metric,
                unit,
                higherIsBetter,
                baselineRounds,
                candidateRounds,
                base,
                cand,
                change,
                spread,
                thresholdPct,
                verdict);
    }

    /** The median; null for no values. */
    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The relative range of one side's rounds, in percent of their median; 0 for a single round or a zero median. */
    static double spreadPct(List<Double> values) {
        Double m = median(values);
        if (values.size() < 2 || m == null || m == 0) {
            return 0;
        }
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        return (max - min) / Math.abs(m) * 100;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
