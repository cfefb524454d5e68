package org.mlflowharness.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflowharness.compare.Thresholds.Kind;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.model.load.OrText;
import org.mlflowharness.model.load.ScenarioResult;
import org.mlflowharness.model.load.SteppedResult;
import org.mlflowharness.model.load.UploadResult;
import org.mlflowharness.model.load.VolumeResult;

/**
 * The comparable figures of one load run, read from the {@code load} section {@link org.mlflowharness.load.run.LoadRunner}
 * returns: per step of metric-logging and mixed (same users and rate on both sides, so latencies are at equal offered
 * load) throughput, p95 and p99; the highest metric-logging step that met the SLO; per size upload MB/s of the direct
 * baseline and through nginx, and the proxied/direct ratio; per breakpoint step (same arrival rate) the same
 * figures and the highest arrival rate that met the SLO; per data-volume level (named by the runs in the store) the
 * p95 of each read and the logging rate.
 */
public final class LoadMetrics {

    /** One figure: its name (unique within a run), its kind and value. */
    public record Figure(String name, Kind kind, double value) {}

    private LoadMetrics() {}

    public static Map<String, Figure> of(LoadSection load) {
        Map<String, Figure> out = new LinkedHashMap<>();
        Map<String, ScenarioResult> scenarios = load.scenarios() == null ? Map.of() : load.scenarios();
        for (String scenario : List.of("metric-logging", "mixed", "breakpoint")) {
            if (!(scenarios.get(scenario) instanceof SteppedResult s)) {
                continue;
            }
            List<SteppedResult.Step> steps = s.steps() == null ? List.of() : s.steps();
            for (int i = 0; i < steps.size(); i++) {
                SteppedResult.Step step = steps.get(i);
                String where = scenario + " step " + (i + 1)
                        + (scenario.equals("breakpoint")
                                ? " (" + step.rate() + " arrivals/s)"
                                : " (" + step.users() + " users x " + step.rate() + "/s)");
                if (step.requests() != null) {
                    put(
                            out,
                            where + " throughput",
                            Kind.THROUGHPUT,
                            step.requests().throughputRps());
                    put(out, where + " p95", Kind.P95, (double) step.requests().p95Ms());
                    put(out, where + " p99", Kind.P99, (double) step.requests().p99Ms());
                }
                put(out, where + " acknowledged points/s", Kind.POINTS_PER_SECOND, step.acknowledgedPointsPerSecond());
            }
            if (scenario.equals("metric-logging")) {
                OrText<SteppedResult.BestStep> best = s.highestStepMeetingSlo();
                put(
                        out,
                        "metric-logging max rate under SLO (offered)",
                        Kind.MAX_RATE_UNDER_SLO,
                        best == null || best.figure().isEmpty()
                                ? Double.valueOf(0)
                                : best.value().offeredPointsPerSecond().figure().orElse(null));
            }
            if (scenario.equals("breakpoint")) {
                OrText<SteppedResult.BestStep> best = s.highestStepMeetingSlo();
                put(
                        out,
                        "breakpoint highest arrival rate under SLO",
                        Kind.MAX_RATE_UNDER_SLO,
                        best == null || best.figure().isEmpty()
                                ? 0.0
                                : best.value().rate());
            }
        }
        if (scenarios.get("large-upload") instanceof UploadResult upload) {
            if (upload.direct() != null) {
                upload.direct().figure().ifPresent(direct -> sizes(out, "upload direct-s3", direct));
            }
            if (upload.proxied() != null) {
                upload.proxied().values().stream()
                        .map(OrText::figure)
                        .flatMap(java.util.Optional::stream)
                        .forEach(v -> {
                            sizes(out, "upload via nginx", v);
                            if (v.proxiedToDirectRatioBySize() != null) {
                                v.proxiedToDirectRatioBySize()
                                        .forEach((size, r) ->
                                                put(out, "proxied/direct ratio " + size, Kind.PROXIED_TO_DIRECT, r));
                            }
                        });
            }
        }
        if (scenarios.get("data-volume") instanceof VolumeResult volume && volume.levels() != null) {
            for (VolumeResult.Level level : volume.levels()) {
                String where = "data-volume " + level.runs() + " runs";
                if (level.reads() != null && level.reads().byRequest() != null) {
                    level.reads()
                            .byRequest()
                            .forEach((read, r) -> put(out, where + " " + read + " p95", Kind.P95, (double) r.p95Ms()));
                }
                put(out, where + " logging points/s", Kind.POINTS_PER_SECOND, level.loggedPointsPerSecond());
            }
        }
        return out;
    }

    private static void sizes(Map<String, Figure> out, String where, UploadResult.Destination series) {
        if (series.bySize() != null) {
            series.bySize().forEach((size, v) -> put(out, where + " " + size, Kind.UPLOAD_MBPS, v.aggregateMBps()));
        }
    }

    private static void put(Map<String, Figure> out, String name, Kind kind, Double value) {
        if (value != null) {
            out.put(name, new Figure(name, kind, value));
        }
    }
}
