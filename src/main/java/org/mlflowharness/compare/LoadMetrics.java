package org.mlflowharness.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflowharness.compare.Thresholds.Kind;

/**
 * The comparable figures of one load run, read from the {@code load} section {@link org.mlflowharness.load.run.LoadRunner}
 * returns: per step of metric-logging and mixed (same users and rate on both sides, so latencies are at equal offered
 * load) throughput, p95 and p99; the highest metric-logging step that met the SLO; per size upload MB/s of the direct
 * baseline and through nginx, and the proxied/direct ratio.
 */
public final class LoadMetrics {

    /** One figure: its name (unique within a run), its kind and value. */
    public record Figure(String name, Kind kind, double value) {
    }

    private LoadMetrics() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Figure> of(Map<String, Object> load) {
        Map<String, Figure> out = new LinkedHashMap<>();
        Map<String, Object> scenarios = (Map<String, Object>) load.getOrDefault("scenarios", Map.of());
        for (String scenario : List.of("metric-logging", "mixed")) {
            Map<String, Object> s = (Map<String, Object>) scenarios.get(scenario);
            if (s == null) {
                continue;
            }
            List<Map<String, Object>> steps = (List<Map<String, Object>>) s.getOrDefault("steps", List.of());
            for (int i = 0; i < steps.size(); i++) {
                Map<String, Object> step = steps.get(i);
                Map<String, Object> req = (Map<String, Object>) step.getOrDefault("requests", Map.of());
                String where = scenario + " step " + (i + 1) + " (" + step.get("users") + " users x " + step.get("rate") + "/s)";
                put(out, where + " throughput", Kind.THROUGHPUT, req.get("throughputRps"));
                put(out, where + " p95", Kind.P95, req.get("p95Ms"));
                put(out, where + " p99", Kind.P99, req.get("p99Ms"));
                put(out, where + " acknowledged points/s", Kind.POINTS_PER_SECOND, step.get("acknowledgedPointsPerSecond"));
            }
            if (scenario.equals("metric-logging") && s.get("highestStepMeetingSlo") instanceof Map<?, ?> best) {
                put(out, "metric-logging max rate under SLO (offered)", Kind.MAX_RATE_UNDER_SLO, best.get("offeredPointsPerSecond"));
            } else if (scenario.equals("metric-logging")) {
                put(out, "metric-logging max rate under SLO (offered)", Kind.MAX_RATE_UNDER_SLO, 0);
            }
        }
        Map<String, Object> upload = (Map<String, Object>) scenarios.get("large-upload");
        if (upload != null) {
            if (upload.get("direct") instanceof Map<?, ?> direct) {
                sizes(out, "upload direct-s3", (Map<String, Object>) direct);
            }
            if (upload.get("proxied") instanceof Map<?, ?> proxied) {
                proxied.forEach((variant, v) -> {
                    if (v instanceof Map<?, ?> m) {
                        sizes(out, "upload via nginx", (Map<String, Object>) m);
                        if (m.get("proxiedToDirectRatioBySize") instanceof Map<?, ?> ratios) {
                            ratios.forEach((size, r) -> put(out, "proxied/direct ratio " + size, Kind.PROXIED_TO_DIRECT, r));
                        }
                    }
                });
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void sizes(Map<String, Figure> out, String where, Map<String, Object> series) {
        if (series.get("bySize") instanceof Map<?, ?> bySize) {
            bySize.forEach((size, v) -> put(out, where + " " + size, Kind.UPLOAD_MBPS, ((Map<String, Object>) v).get("aggregateMBps")));
        }
    }

    private static void put(Map<String, Figure> out, String name, Kind kind, Object value) {
        if (value instanceof Number n) {
            out.put(name, new Figure(name, kind, n.doubleValue()));
        }
    }
}
