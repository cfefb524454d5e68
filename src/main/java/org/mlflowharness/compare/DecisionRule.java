package org.mlflowharness.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.mlflowharness.model.load.ResourceWindow;

/**
 * How {@code compare} decides, per metric, from the interleaved rounds of both sides, knowing its own uncertainty.
 *
 * <ol>
 *   <li><b>Enough rounds</b>: a figure measured over a short window (under {@value #SHORT_WINDOW_SECONDS} s: a smoke
 *       step, a batch of uploads) needs {@value #ROUNDS_SHORT} rounds per side, a longer one {@value #ROUNDS_LONG}.
 *       With fewer, a change the interval calls significant is "inconclusive: too few rounds", never a regression.
 *   <li><b>Machine busy</b>: a round measured while processes outside the stack and the harness kept the machine
 *       busy ({@link ResourceWindow.Machine#busyByOthers}: the stack's processes or the injector lost at least
 *       {@link ResourceWindow.Machine#OUTSIDE_WAIT_PCT} % of their runnable time waiting for a CPU those processes
 *       held, as the kernel's scheduler counts it) is left out when enough quiet rounds per side remain. A busy
 *       machine that weighs on both sides alike is what the interleaving and the interval are for; one that weighs on
 *       one side is not: when one side's stack or injector lost {@link ResourceWindow.Machine#OUTSIDE_WAIT_PCT}
 *       points more of its runnable time to other processes than the other's (without the scheduler's figures: other
 *       processes used {@link ResourceWindow.Machine#BUSY_SHARE_OF_CORES} of the cores more; medians over its rounds),
 *       a significant change is "inconclusive: machine busy", never a regression (nor an improvement), whichever side
 *       was busier: a busy machine does not move every metric one way (a proxied/direct ratio of two transfers rises
 *       when the harness-heavy direct transfer is slowed more). A change whose whole interval lies inside the
 *       metric's threshold on both sides of 0 is "no significant change" then: too small to matter either way.
 *   <li><b>Interval</b>: a {@value #CONFIDENCE_PCT} % percentile bootstrap confidence interval over rounds (each side's
 *       rounds resampled with replacement, {@value #RESAMPLES} times, fixed seed) of the relative difference of the
 *       medians, {@code (candidate - baseline) / baseline}. An interval that contains 0 is "no significant change";
 *       so is a change smaller than the calibrated minimum detectable change, when {@code compare --calibrate} measured
 *       one. Otherwise the change is significant: "better" in the good direction; in the bad direction a REGRESSION when
 *       the whole interval lies beyond the metric's threshold (the least the rounds say it got worse exceeds it), else
 *       "worse, not surely beyond the threshold".
 * </ol>
 *
 * The minimum detectable change at the noise seen is {@code (1.96 + 0.84) * cv * sqrt(2 / n)}: what a two-sided 5 %
 * test finds with 80 % power at {@code n} rounds per side, {@code cv} being the rounds' coefficient of variation (from
 * calibration, or pooled from both sides' own rounds).
 */
public final class DecisionRule {

    static final double SHORT_WINDOW_SECONDS = 30;
    static final int ROUNDS_SHORT = 4;
    static final int ROUNDS_LONG = 3;
    static final int RESAMPLES = 4000;
    static final int CONFIDENCE_PCT = 95;
    private static final double Z_DETECT = 1.96 + 0.84;

    /** The rule in one line, as the report states it. */
    public static final String TEXT = CONFIDENCE_PCT + " % bootstrap interval over rounds of the change of medians; "
            + "significant when it excludes 0; a regression when the whole interval is beyond the threshold in the bad "
            + "direction; busy rounds (the stack or the injector lost >= "
            + pct(ResourceWindow.Machine.OUTSIDE_WAIT_PCT)
            + " of its runnable time waiting for a CPU held by other processes; without the scheduler's figures, "
            + "other processes >= " + pct(100 * ResourceWindow.Machine.BUSY_SHARE_OF_CORES)
            + " of the cores on a saturated machine) left out when enough quiet ones remain; inconclusive when one "
            + "side lost " + Math.round(ResourceWindow.Machine.OUTSIDE_WAIT_PCT)
            + " points more of its time to them than the other (or ran "
            + "with other processes using " + pct(100 * ResourceWindow.Machine.BUSY_SHARE_OF_CORES)
            + " of the cores more), unless the whole interval lies inside +/- the threshold";

    private DecisionRule() {}

    /** Rounds per side a figure needs, by the length of the window it was measured over (null: short). */
    public static int roundsNeeded(Double windowSeconds) {
        return windowSeconds != null && windowSeconds >= SHORT_WINDOW_SECONDS ? ROUNDS_LONG : ROUNDS_SHORT;
    }

    /** A confidence interval of the relative change, in percent. */
    public record Interval(double lowPct, double highPct) {
        boolean containsZero() {
            return lowPct <= 0 && highPct >= 0;
        }
    }

    /** The decision: verdict, why (null when plain), the change and its interval, the rounds used per side. */
    public record Decision(
            MetricComparison.Verdict verdict,
            String reason,
            Double changePct,
            Interval interval,
            Double detectablePct,
            int baselineRounds,
            int candidateRounds,
            int roundsNeeded) {}

    /**
     * Decides one metric. The values must be finite (the caller deals with missing rounds); {@code calibratedCv} is
     * the coefficient of variation measured by calibration, or null.
     */
    public static Decision decide(
            MetricComparison.Rounds baseline,
            MetricComparison.Rounds candidate,
            boolean higherIsBetter,
            Double thresholdPct,
            int needed,
            Double calibratedCv) {
        MetricComparison.Rounds qa = quiet(baseline);
        MetricComparison.Rounds qb = quiet(candidate);
        int busyRounds = baseline.values().size()
                - qa.values().size()
                + candidate.values().size()
                - qb.values().size();
        boolean leaveOut =
                busyRounds > 0 && qa.values().size() >= needed && qb.values().size() >= needed;
        MetricComparison.Rounds ua = leaveOut ? qa : baseline;
        MetricComparison.Rounds ub = leaveOut ? qb : candidate;
        int na = ua.values().size();
        int nb = ub.values().size();
        double change = relativeChange(ua.values(), ub.values());
        Interval ci = interval(ua.values(), ub.values());
        Double cv = calibratedCv != null ? calibratedCv : pooledCv(ua.values(), ub.values());
        Double detectable = cv == null ? null : round1(detectablePct(cv, Math.min(na, nb)));
        boolean significant = !ci.containsZero() && (calibratedCv == null || Math.abs(change) >= detectable);
        boolean bad = higherIsBetter != change > 0;
        Double waitA = medianOrNull(ua.outsideWaitPct());
        Double waitB = medianOrNull(ub.outsideWaitPct());
        Double othersA = medianOrNull(ua.otherCores());
        Double othersB = medianOrNull(ub.otherCores());
        String others = "other processes: baseline rounds " + num(othersA) + ", candidate rounds " + num(othersB)
                + " cores (median)"
                + (waitA == null || waitB == null
                        ? ""
                        : "; the stack or the injector waited for a CPU they held " + pct(waitA) + " and " + pct(waitB)
                                + " of its runnable time");
        // how much busier the candidate's machine was than the baseline's (negative: the baseline's was)
        Double busierCandidate;
        double imbalance;
        if (waitA != null && waitB != null) {
            busierCandidate = waitB - waitA;
            imbalance = ResourceWindow.Machine.OUTSIDE_WAIT_PCT;
        } else {
            int cores = Math.max(baseline.cores(), candidate.cores());
            busierCandidate = cores > 0 && othersA != null && othersB != null ? othersB - othersA : null;
            imbalance = ResourceWindow.Machine.BUSY_SHARE_OF_CORES * cores;
        }
        boolean imbalanced = busierCandidate != null && Math.abs(busierCandidate) >= imbalance;
        String reason = leaveOut
                ? busyRounds + " busy round(s) left out"
                : busyRounds > 0 ? busyRounds + " busy round(s) kept: " + others : null;
        MetricComparison.Verdict verdict;
        if (!significant) {
            verdict = MetricComparison.Verdict.NO_SIGNIFICANT_CHANGE;
            if (!ci.containsZero()) {
                reason = "below the calibrated detectable change of " + detectable + " %";
            }
        } else if (imbalanced && insideThreshold(ci, thresholdPct)) {
            // measurable, but smaller than any change the threshold cares about, in either direction: unalike busy
            // sides cannot make it matter, nor tell which way it really went
            verdict = MetricComparison.Verdict.NO_SIGNIFICANT_CHANGE;
            reason = "inside the threshold: the whole interval lies within +/-" + plain(thresholdPct)
                    + " %, measured on unalike busy sides (" + others + ")";
        } else if (imbalanced) {
            verdict = MetricComparison.Verdict.INCONCLUSIVE;
            reason = "machine busy: the " + (busierCandidate > 0 ? "candidate" : "baseline")
                    + " ran on a busier machine (" + others + ")";
        } else if (na < needed || nb < needed) {
            verdict = MetricComparison.Verdict.INCONCLUSIVE;
            reason = "too few rounds (" + na + "+" + nb + "; the rule needs " + needed + " per side)";
        } else if (!bad) {
            verdict = MetricComparison.Verdict.BETTER;
        } else if (thresholdPct != null && nearEnd(ci, higherIsBetter) > thresholdPct) {
            verdict = MetricComparison.Verdict.REGRESSION;
        } else {
            verdict = MetricComparison.Verdict.WORSE_WITHIN_THRESHOLD;
        }
        return new Decision(verdict, reason, round1(change), ci, detectable, na, nb, needed);
    }

    /** True when the whole interval lies closer to no change than {@code thresholdPct}, on both sides of it. */
    static boolean insideThreshold(Interval ci, Double thresholdPct) {
        return thresholdPct != null && Math.abs(ci.lowPct()) < thresholdPct && Math.abs(ci.highPct()) < thresholdPct;
    }

    /** How much worse the interval's end nearest to no change is, in percent (the least the data say it got worse). */
    private static double nearEnd(Interval ci, boolean higherIsBetter) {
        return higherIsBetter ? -ci.highPct() : ci.lowPct();
    }

    private static MetricComparison.Rounds quiet(MetricComparison.Rounds s) {
        List<Double> v = new ArrayList<>();
        List<Double> o = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        List<Boolean> busy = new ArrayList<>();
        for (int i = 0; i < s.values().size(); i++) {
            if (!s.busy().get(i)) {
                v.add(s.values().get(i));
                o.add(s.otherCores().get(i));
                w.add(s.outsideWaitPct().get(i));
                busy.add(false);
            }
        }
        return new MetricComparison.Rounds(v, o, w, busy, s.cores());
    }

    private static Double medianOrNull(List<Double> v) {
        List<Double> known = v.stream().filter(java.util.Objects::nonNull).toList();
        return known.isEmpty() ? null : round2(median(known));
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** {@code (median(b) - median(a)) / median(a)} in percent. */
    static double relativeChange(List<Double> a, List<Double> b) {
        double ma = median(a);
        return (median(b) - ma) / ma * 100;
    }

    /** The percentile bootstrap interval of the relative change of medians (seeded: the same rounds, the same interval). */
    static Interval interval(List<Double> a, List<Double> b) {
        SplittableRandom random = new SplittableRandom(23);
        double[] changes = new double[RESAMPLES];
        double[] ra = new double[a.size()];
        double[] rb = new double[b.size()];
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < ra.length; i++) {
                ra[i] = a.get(random.nextInt(ra.length));
            }
            for (int i = 0; i < rb.length; i++) {
                rb[i] = b.get(random.nextInt(rb.length));
            }
            double ma = median(ra);
            changes[r] = ma == 0 ? 0 : (median(rb) - ma) / ma * 100;
        }
        java.util.Arrays.sort(changes);
        double tail = (100 - CONFIDENCE_PCT) / 200.0;
        return new Interval(
                round1(changes[(int) Math.floor(tail * (RESAMPLES - 1))]),
                round1(changes[(int) Math.ceil((1 - tail) * (RESAMPLES - 1))]));
    }

    /** The smallest change in percent a comparison of {@code n} rounds per side detects at coefficient of variation {@code cv}. */
    static double detectablePct(double cv, int n) {
        return n <= 0 ? Double.POSITIVE_INFINITY : Z_DETECT * cv * Math.sqrt(2.0 / n) * 100;
    }

    /** The coefficient of variation of one set of rounds (sample SD / mean); null for fewer than 2 or a zero mean. */
    public static Double cv(List<Double> v) {
        if (v.size() < 2) {
            return null;
        }
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        if (mean == 0) {
            return null;
        }
        double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        return Math.sqrt(ss / (v.size() - 1)) / Math.abs(mean);
    }

    /** Both sides' coefficients of variation pooled (root mean square), or null when neither has two rounds. */
    static Double pooledCv(List<Double> a, List<Double> b) {
        Double ca = cv(a);
        Double cb = cv(b);
        if (ca == null || cb == null) {
            return ca != null ? ca : cb;
        }
        return Math.sqrt((ca * ca + cb * cb) / 2);
    }

    /** The rounds per side at which {@code cv} lets a change of {@code pct} be detected, or -1 beyond {@code max}. */
    public static int roundsToDetect(double cv, double pct, int max) {
        for (int n = 2; n <= max; n++) {
            if (detectablePct(cv, n) <= pct) {
                return n;
            }
        }
        return -1;
    }

    static double median(List<Double> v) {
        return median(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f %%", v);
    }

    /** 10.0 as "10", 12.5 as "12.5". */
    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String num(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
