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
 * alike.
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

    /** Every metric seen in any round, compared; a metric missing in a round is "n/a" (a side could not run it). */
    public List<MetricComparison> compare(Thresholds thresholds) {
        Set<String> names = new LinkedHashSet<>();
        baseline.forEach(r -> names.addAll(r.keySet()));
        candidate.forEach(r -> names.addAll(r.keySet()));
        List<MetricComparison> out = new ArrayList<>();
        for (String name : names) {
            Figure any = find(name);
            out.add(MetricComparison.of(
                    name,
                    any.kind().unit,
                    any.kind().higherIsBetter,
                    values(baseline, name),
                    values(candidate, name),
                    thresholds.of(any.kind())));
        }
        return out;
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

    private static List<Double> values(List<Map<String, Figure>> rounds, String name) {
        List<Double> v = new ArrayList<>();
        rounds.forEach(r -> v.add(r.containsKey(name) ? r.get(name).value() : null));
        return v;
    }
}
