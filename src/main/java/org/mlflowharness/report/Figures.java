package org.mlflowharness.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.mlflowharness.model.load.OrText;
import org.mlflowharness.model.load.SloLimits;

/** Small helpers of the capacity report: figures for people, SLO and outcome texts, JSON arrays as lists. */
public final class Figures {

    private Figures() {}

    static String sloText(SloLimits slo) {
        if (slo == null) {
            return "none";
        }
        List<String> p = new ArrayList<>();
        add(p, "p95Ms", slo.p95Ms());
        add(p, "p99Ms", slo.p99Ms());
        add(p, "errorPct", slo.errorPct());
        add(p, "maxLostWrites", slo.maxLostWrites());
        add(p, "minMBps", slo.minMBps());
        add(p, "minRatio", slo.minRatio());
        return p.isEmpty() ? "none" : String.join(", ", p);
    }

    private static void add(List<String> p, String name, Object limit) {
        if (limit != null) {
            p.add(name + " " + limit);
        }
    }

    static String outcomes(Map<String, Integer> outcomes) {
        List<String> p = new ArrayList<>();
        if (outcomes != null) {
            outcomes.forEach((k, n) -> p.add(k + " x" + n));
        }
        return String.join(", ", p);
    }

    static <T> List<Double> values(List<T> items, Function<T, ? extends Number> f) {
        return items.stream()
                .map(i -> {
                    Number n = f.apply(i);
                    return n == null ? null : n.doubleValue();
                })
                .toList();
    }

    static double orZero(Number n) {
        return n == null ? 0 : n.doubleValue();
    }

    static String orDash(Object n) {
        return n == null ? "-" : n instanceof Number x ? fmt(x.doubleValue()) : String.valueOf(n);
    }

    /** A figure, or its text ("none", "n/a", ...) as it is. */
    static String orText(OrText<? extends Number> n, String missing) {
        return n == null ? missing : n.figure().map(v -> fmt(v.doubleValue())).orElse(n.text());
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l;
    }

    static <T> List<T> listOf(List<T> items) {
        return items == null ? List.of() : items;
    }

    /** A figure for people: no trailing zeros, at most two decimals (one above 100); NaN as n/a. */
    public static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "n/a";
        }
        String s = String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%.1f" : "%.2f", d);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
