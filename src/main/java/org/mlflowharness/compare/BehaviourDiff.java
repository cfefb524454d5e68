package org.mlflowharness.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.mlflowharness.report.CheckOutcome;

/**
 * Checks whose outcome or observed behaviour differs between baseline and candidate: the same suites ran on both, so
 * every check is matched by suite and name. A check that passed on the baseline and fails on the candidate is a
 * regression; every other difference (an observed limit, status code, NaN/Inf answer, a check only one side has, one
 * that now passes) is listed for a person to judge. Run-specific parts of check names and texts (MLflow's 32-hex ids,
 * UUIDs, the harness's unique names, IPv4 addresses, ports) are masked before comparing, so only behaviour differs.
 */
public final class BehaviourDiff {

    /**
     * One differing check.
     *
     * @param kind "REGRESSION" (passed -> failed), "fixed" (failed -> passed), "outcome differs", "observed value differs",
     *             "only on baseline", "only on candidate"
     */
    public record Difference(String suite, String check, String kind, String baseline, String candidate) {}

    private BehaviourDiff() {}

    public static List<Difference> of(List<CheckOutcome> baseline, List<CheckOutcome> candidate) {
        Map<String, CheckOutcome> a = index(baseline);
        Map<String, CheckOutcome> b = index(candidate);
        List<Difference> out = new ArrayList<>();
        for (String key : new TreeSet<>(union(a, b))) {
            CheckOutcome x = a.get(key);
            CheckOutcome y = b.get(key);
            if (x == null || y == null) {
                CheckOutcome one = x == null ? y : x;
                out.add(new Difference(
                        one.suite(),
                        one.test(),
                        x == null ? "only on candidate" : "only on baseline",
                        x == null ? "-" : describe(x),
                        y == null ? "-" : describe(y)));
                continue;
            }
            if (!x.outcome().equals(y.outcome())) {
                String kind = x.outcome().equals("passed") && y.outcome().equals("failed")
                        ? "REGRESSION"
                        : x.outcome().equals("failed") && y.outcome().equals("passed") ? "fixed" : "outcome differs";
                out.add(new Difference(x.suite(), x.test(), kind, describe(x), describe(y)));
                continue;
            }
            Map<String, String> ox = masked(x.observed());
            Map<String, String> oy = masked(y.observed());
            if (!ox.equals(oy)) {
                for (String k : new TreeSet<>(union(ox, oy))) {
                    if (!Objects.equals(ox.get(k), oy.get(k))) {
                        out.add(new Difference(
                                x.suite(),
                                x.test() + " [" + k + "]",
                                "observed value differs",
                                String.valueOf(x.observed().getOrDefault(k, "-")),
                                String.valueOf(y.observed().getOrDefault(k, "-"))));
                    }
                }
            }
        }
        return out;
    }

    public static long regressions(List<Difference> diffs) {
        return diffs.stream().filter(d -> d.kind().equals("REGRESSION")).count();
    }

    private static String describe(CheckOutcome c) {
        String observed = c.observed().isEmpty() ? "" : " " + c.observed();
        String reason = c.reason() == null
                ? ""
                : ": " + (c.reason().length() > 300 ? c.reason().substring(0, 300) + "..." : c.reason());
        return c.outcome() + reason + observed;
    }

    private static Map<String, CheckOutcome> index(List<CheckOutcome> checks) {
        Map<String, CheckOutcome> m = new LinkedHashMap<>();
        checks.forEach(c -> m.put(c.suite() + " > " + mask(c.test()), c));
        return m;
    }

    private static Map<String, String> masked(Map<String, String> observed) {
        Map<String, String> m = new LinkedHashMap<>();
        observed.forEach((k, v) -> m.put(k, mask(v)));
        return m;
    }

    /**
     * Masks what differs between any two runs: 32-hex ids, UUIDs (artifact and object paths), harness-made names with
     * their time and random parts, IPv4 addresses (the client suite's network namespaces), ports.
     */
    static String mask(String s) {
        return s == null
                ? null
                : s.replaceAll("\\b[0-9a-f]{32}\\b", "<id>")
                        .replaceAll("\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b", "<uuid>")
                        .replaceAll("-\\d{13}-[0-9a-f]{5}\\b", "-<unique>")
                        .replaceAll("\\b\\d{1,3}(\\.\\d{1,3}){3}\\b", "<ip>")
                        .replaceAll(":\\d{4,5}\\b", ":<port>");
    }

    private static <T> java.util.Set<String> union(Map<String, T> x, Map<String, T> y) {
        java.util.Set<String> u = new TreeSet<>(x.keySet());
        u.addAll(y.keySet());
        return u;
    }
}
