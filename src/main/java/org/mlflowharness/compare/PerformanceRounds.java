package org.mlflowharness.compare;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlflowharness.compare.LoadMetrics.Figure;

/**
 * The figures of the interleaved rounds of both sides, and their comparison metric by metric. The order is A B B A,
 * then again for more rounds (A B B A A B B A ...), so that a drift of the machine's load over time weighs on both sides
 * alike. Each figure keeps the machine's load over the window it was measured in, for the rule's busy rounds.
 */
public final class PerformanceRounds {

    private final List<Map<String, Figure>> baseline = new ArrayList<>();
    private final List<Map<String, Figure>> candidate = new ArrayList<>();

    /** Which side runs in round {@code i} (0-based) of {@code 2 * rounds}: A B B A A B B A ... */
    public static boolean baselineRunsAt(int i) {
        return i % 4 == 0 || i % 4 == 3;
    }

    public void add(boolean isBaseline, Map<String, Figure> figures) {
        (isBaseline ? baseline : candidate).add(figures);
    }

    /**
     * The noise floor one side's rounds show per metric (compare --calibrate: the baseline against itself): its rounds,
     * their coefficient of variation, the change the rule can detect at {@code roundsPerSide} and how many rounds per
     * side it would take to detect the metric's threshold (-1: more than 10).
     */
    public record Noise(
            String metric,
            String unit,
            List<Double> rounds,
            double cvPct,
            double detectablePct,
            int roundsPerSide,
            double thresholdPct,
            int roundsForThreshold) {}

    /** The noise of the baseline's rounds, per metric with at least two (quiet) rounds. */
    public List<Noise> noise(Thresholds thresholds, int roundsPerSide) {
        List<Noise> out = new ArrayList<>();
        for (String name : names()) {
            Figure any = find(name);
            List<Double> quiet = new ArrayList<>();
            baseline.stream()
                    .map(r -> r.get(name))
                    .filter(f ->
                            f != null && (f.machine() == null || !f.machine().busyByOthers()))
                    .forEach(f -> quiet.add(f.value()));
            Double cv = DecisionRule.cv(quiet);
            if (cv == null) {
                continue;
            }
            double threshold = thresholds.of(any.kind());
            out.add(new Noise(
                    name,
                    any.kind().unit,
                    quiet,
                    DecisionRule.round1(100 * cv),
                    DecisionRule.round1(DecisionRule.detectablePct(cv, roundsPerSide)),
                    roundsPerSide,
                    threshold,
                    DecisionRule.roundsToDetect(cv, threshold, 10)));
        }
        return out;
    }

    /**
     * Every metric seen in any round, compared by {@link DecisionRule}; a metric missing in a round is "n/a" (a side
     * could not run it). {@code calibration} (may be empty) gives the noise measured beforehand per metric.
     */
    public List<MetricComparison> compare(Thresholds thresholds, List<Noise> calibration) {
        List<MetricComparison> out = new ArrayList<>();
        for (String name : names()) {
            Figure any = find(name);
            Double cv = calibration.stream()
                    .filter(n -> n.metric().equals(name))
                    .findFirst()
                    .map(n -> n.cvPct() / 100)
                    .orElse(null);
            out.add(MetricComparison.of(
                    name,
                    any.kind().unit,
                    any.kind().higherIsBetter,
                    rounds(baseline, name),
                    rounds(candidate, name),
                    thresholds.of(any.kind()),
                    DecisionRule.roundsNeeded(any.windowSeconds()),
                    cv));
        }
        return out;
    }

    private Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        baseline.forEach(r -> names.addAll(r.keySet()));
        candidate.forEach(r -> names.addAll(r.keySet()));
        return names;
    }

    private Figure find(String name) {
        for (List<Map<String, Figure>> side : List.of(baseline, candidate)) {
            for (Map<String, Figure> r : side) {
                if (r.containsKey(name)) {
                    return r.get(name);
                }
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static MetricComparison.Rounds rounds(List<Map<String, Figure>> rounds, String name) {
        List<Double> v = new ArrayList<>();
        List<Double> others = new ArrayList<>();
        List<Double> waits = new ArrayList<>();
        List<Boolean> busy = new ArrayList<>();
        int cores = 0;
        for (Map<String, Figure> r : rounds) {
            Figure f = r.get(name);
            v.add(f == null ? null : f.value());
            others.add(f == null || f.machine() == null ? null : f.machine().otherProcessesCores());
            waits.add(f == null || f.machine() == null ? null : f.machine().outsideWaitPct());
            busy.add(f != null && f.machine() != null && f.machine().busyByOthers());
            cores = Math.max(
                    cores, f == null || f.machine() == null ? 0 : f.machine().cores());
        }
        return new MetricComparison.Rounds(v, others, waits, busy, cores);
    }
}
