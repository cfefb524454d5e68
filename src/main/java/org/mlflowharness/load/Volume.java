package org.mlflowharness.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data-volume scenario of a profile: the shape of the runs the store is pre-filled with and the volume levels (runs
 * in the fill) at which reads and logging are measured. The fill is made of whole experiments of
 * {@code runsPerExperiment} runs; each run gets {@code params} params, {@code tags} tags and {@code metricKeys} metrics of
 * {@code stepsPerKey} steps, logged by {@code writers} parallel clients.
 *
 * @param historySteps steps of the one long metric history whose read is measured at every level
 * @param artifacts    small artifacts of the run whose listing is measured
 * @param keepFill     the fill stays in the store for the next run (its experiments' names identify it)
 * @param maxMinutes   bound on the scenario, fill included (added to the profile's bound when it runs)
 */
public record Volume(
        int writers,
        int runsPerExperiment,
        int params,
        int tags,
        int metricKeys,
        int stepsPerKey,
        List<Integer> levels,
        int historySteps,
        int artifacts,
        boolean keepFill,
        double maxMinutes) {

    static final List<String> KEYS = List.of(
            "writers",
            "runsPerExperiment",
            "params",
            "tags",
            "metricKeys",
            "stepsPerKey",
            "levels",
            "historySteps",
            "artifacts",
            "keepFill",
            "maxMinutes",
            "users",
            "rate",
            "durationSeconds",
            "batchSize",
            "slo");

    /** Metric points in one run of the fill. */
    public long pointsPerRun() {
        return (long) metricKeys * stepsPerKey;
    }

    /**
     * The name that identifies a fill of this shape (the level is the number of its experiments present), e.g.
     * {@code volume-100r-10p-5t-10x100}: a later run with the same shape reuses the experiments already there.
     */
    public String fillId() {
        return String.format(
                Locale.ROOT, "volume-%dr-%dp-%dt-%dx%d", runsPerExperiment, params, tags, metricKeys, stepsPerKey);
    }

    /** Parses the scenario's section; every figure is checked, with the key named in the message. */
    @SuppressWarnings("unchecked")
    static Profile.Settings settings(String where, Map<String, Object> m) {
        Profile.requireKnownKeys(m, where, KEYS);
        List<Integer> levels = new ArrayList<>();
        if (!(m.get("levels") instanceof List<?> l) || l.isEmpty()) {
            throw new IllegalArgumentException(
                    where + ": 'levels' is required: the runs in the store at each measured level, e.g. [0, 1000]");
        }
        Volume v = new Volume(
                intOf(m, "writers", 8),
                intOf(m, "runsPerExperiment", 100),
                intOf(m, "params", 10),
                intOf(m, "tags", 5),
                intOf(m, "metricKeys", 10),
                intOf(m, "stepsPerKey", 100),
                levels,
                intOf(m, "historySteps", 10_000),
                intOf(m, "artifacts", 20),
                Boolean.parseBoolean(String.valueOf(m.getOrDefault("keepFill", true))),
                ((Number) m.getOrDefault("maxMinutes", 30)).doubleValue());
        int last = -1;
        for (Object o : l) {
            int runs = ((Number) o).intValue();
            if (runs <= last || runs % v.runsPerExperiment() != 0) {
                throw new IllegalArgumentException(
                        where + ": 'levels' must ascend and be multiples of runsPerExperiment (" + v.runsPerExperiment()
                                + "); got " + l);
            }
            levels.add(runs);
            last = runs;
        }
        if (v.writers() < 1
                || v.writers() > 64
                || v.runsPerExperiment() < 1
                || v.params() < 1
                || v.params() > 100
                || v.tags() > 100
                || v.metricKeys() < 1
                || v.stepsPerKey() < 1
                || v.historySteps() < 1
                || v.maxMinutes() <= 0) {
            throw new IllegalArgumentException(where + ": writers 1..64, runsPerExperiment >= 1, params 1..100, tags "
                    + "0..100, metricKeys >= 1, stepsPerKey >= 1, historySteps >= 1 and maxMinutes > 0 are required");
        }
        return Profile.common(
                where,
                m,
                null,
                new Volume(
                        v.writers(),
                        v.runsPerExperiment(),
                        v.params(),
                        v.tags(),
                        v.metricKeys(),
                        v.stepsPerKey(),
                        List.copyOf(levels),
                        v.historySteps(),
                        v.artifacts(),
                        v.keepFill(),
                        v.maxMinutes()));
    }

    /**
     * The shape {@code ./harness seed} fills a store with: {@code key=value,...} with this scenario's keys (every key
     * checked as in a profile), one level at {@code runs}.
     */
    public static Volume ofShape(String spec, int runs) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.strip().split("=", 2);
            if (kv.length < 2) {
                throw new IllegalArgumentException("--shape: '" + part.strip() + "' is not key=value (keys "
                        + KEYS.subList(0, 6) + ", maxMinutes)");
            }
            String v = kv[1].strip();
            try {
                m.put(kv[0].strip(), v.contains(".") ? (Object) Double.valueOf(v) : (Object) Integer.valueOf(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--shape: '" + kv[0].strip() + "' must be a number, got '" + v + "'");
            }
        }
        int perExperiment = ((Number) m.getOrDefault("runsPerExperiment", 100)).intValue();
        if (perExperiment < 1 || runs % perExperiment != 0) {
            throw new IllegalArgumentException("--runs " + runs + " is not a multiple of runsPerExperiment ("
                    + perExperiment + "): the store is filled in whole experiments");
        }
        m.put("levels", List.of(runs));
        return settings("--shape", m).volume();
    }

    private static int intOf(Map<String, Object> m, String key, int dflt) {
        Object o = m.getOrDefault(key, dflt);
        if (!(o instanceof Number n)) {
            throw new IllegalArgumentException("'" + key + "' must be a number, got '" + o + "'");
        }
        return n.intValue();
    }
}
