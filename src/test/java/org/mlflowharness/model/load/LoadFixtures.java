package org.mlflowharness.model.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.load.SteppedResult.BestStep;
import org.mlflowharness.model.load.SteppedResult.Step;
import org.mlflowharness.model.load.UploadResult.Destination;
import org.mlflowharness.model.load.UploadResult.SizeResult;

/** Load sections for the harness's own tests, built from the report's records with only the figures a test needs. */
public final class LoadFixtures {

    private LoadFixtures() {
    }

    /** A load section with only its verdict, as a stage that records one without running scenarios. */
    public static LoadSection verdict(String verdict) {
        return new LoadSection(null, null, null, null, null, null, null, null, verdict);
    }

    /** A passing load section of {@code scenarios}, in the order given. */
    public static LoadSection section(Map<String, ScenarioResult> scenarios) {
        return new LoadSection("test", "a test profile", "fail", new LinkedHashMap<>(scenarios), null, -1.0, List.of(), List.of(),
                "PASSED");
    }

    public static SteppedResult stepped(List<Step> steps, OrText<BestStep> best) {
        return new SteppedResult(null, null, null, "not run", steps, best, -1.0);
    }

    /** A step that met its SLO: its users and rate, offered and acknowledged points/s, and its requests. */
    public static Step step(int users, double rate, Double offered, Double acknowledged, Requests requests) {
        return new Step(users, rate, offered, null, 0, "index.html", requests, acknowledged, null, null, List.of(), true);
    }

    /** All requests answered 200 at {@code throughputRps}, with these percentiles. */
    public static Requests requests(double throughputRps, long p95Ms, long p99Ms) {
        return new Requests(10, 10, 0, 0, Map.of(), p95Ms / 2, p95Ms, p99Ms, p99Ms, 10.0, throughputRps, Map.of());
    }

    /**
     * large-upload with the direct baseline's aggregate MB/s by size, per nginx variant its MB/s by size, and each
     * variant's ratio to direct by size.
     */
    public static UploadResult uploads(Map<String, Double> direct, Map<String, Map<String, Double>> proxied, Map<String, Double> ratios) {
        Map<String, OrText<Destination>> variants = new LinkedHashMap<>();
        proxied.forEach((variant, mbps) -> variants.put(variant, OrText.of(destination(mbps, ratios))));
        return new UploadResult(1, List.copyOf(direct.keySet()), "direct first", null, null, OrText.of(destination(direct, null)), variants,
                -1.0);
    }

    private static Destination destination(Map<String, Double> mbps, Map<String, Double> ratios) {
        Map<String, SizeResult> bySize = new LinkedHashMap<>();
        mbps.forEach((size, v) -> bySize.put(size, new SizeResult(1, 1, new UploadResult.Spread(v, v, v), v, Map.of("ok", 1))));
        return new Destination(bySize, mbps.keySet().stream().reduce((a, b) -> b).orElse("0B"), OrText.text("none"), 0, Map.of(), Map.of(),
                -1.0, null, null, null, null, null, ratios, null, List.of());
    }
}
