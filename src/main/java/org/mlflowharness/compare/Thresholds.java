package org.mlflowharness.compare;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * Regression thresholds per kind of metric, as data ({@code scenarios/compare-thresholds.yaml}): a significant change
 * in the bad direction larger than this many percent is a regression. Unknown keys and missing kinds fail fast.
 */
public record Thresholds(Map<Kind, Double> pct) {

    /** Kinds of performance metric, each with its key in the thresholds file and its good direction. */
    public enum Kind {
        THROUGHPUT("throughputDownPct", true, "req/s"),
        POINTS_PER_SECOND("pointsPerSecondDownPct", true, "points/s"),
        MAX_RATE_UNDER_SLO("maxRateUnderSloDownPct", true, "points/s"),
        P95("p95UpPct", false, "ms"),
        P99("p99UpPct", false, "ms"),
        UPLOAD_MBPS("uploadMBpsDownPct", true, "MB/s"),
        PROXIED_TO_DIRECT("proxiedToDirectRatioDownPct", true, "ratio");

        final String key;
        final boolean higherIsBetter;
        final String unit;

        Kind(String key, boolean higherIsBetter, String unit) {
            this.key = key;
            this.higherIsBetter = higherIsBetter;
            this.unit = unit;
        }
    }

    public static final String FILE = "compare-thresholds.yaml";

    public double of(Kind kind) {
        return pct.get(kind);
    }

    public static Thresholds load(Path scenariosDir) {
        Path file = scenariosDir.resolve(FILE);
        try (Reader r = Files.newBufferedReader(file)) {
            Object parsed = new Yaml().load(r);
            if (!(parsed instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(file + ": expected a map of threshold keys to percentages");
            }
            return of(map, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    static Thresholds of(Map<?, ?> map, String where) {
        Map<Kind, Double> pct = new EnumMap<>(Kind.class);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Kind kind = java.util.Arrays.stream(Kind.values())
                    .filter(k -> k.key.equals(String.valueOf(e.getKey())))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            where + ": unknown key '" + e.getKey() + "'; known: " + keys()));
            if (!(e.getValue() instanceof Number n) || n.doubleValue() < 0) {
                throw new IllegalArgumentException(
                        where + ": " + e.getKey() + " must be a percentage >= 0, not " + e.getValue());
            }
            pct.put(kind, n.doubleValue());
        }
        for (Kind k : Kind.values()) {
            if (!pct.containsKey(k)) {
                throw new IllegalArgumentException(
                        where + ": missing " + k.key + " (all of " + keys() + " are required)");
            }
        }
        return new Thresholds(pct);
    }

    private static String keys() {
        return String.join(
                ", ", java.util.Arrays.stream(Kind.values()).map(k -> k.key).toList());
    }
}
