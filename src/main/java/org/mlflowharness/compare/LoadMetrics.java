package org.mlflowharness.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflowharness.compare.Thresholds.Kind;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.model.load.OrText;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.ResourceWindow.Machine;
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

    /**
     * One figure: its name (unique within a run), its kind and value, and the window it was measured over: its length
     * (null: not known) and what the machine did meanwhile (null: not read).
     */
    public record Figure(String name, Kind kind, double value, Double windowSeconds, Machine machine) {}

    /** What a figure was measured over; {@link #NONE} when the report has no resource window for it. */
    private record Window(Double seconds, Machine machine) {
        static final Window NONE = new Window(null, null);

        static Window of(ResourceWindow w) {
            return w == null ? NONE : new Window(w.seconds(), w.machine());
        }

        /** The shorter window and the busier machine of two. */
        Window and(Window o) {
            Double s = seconds == null
                    ? o.seconds
                    : o.seconds == null ? seconds : Double.valueOf(Math.min(seconds, o.seconds));
            return new Window(s, Machine.BY_OTHERS.compare(o.machine, machine) > 0 ? o.machine : machine);
        }
    }

    private LoadMetrics() {}

    public static Map<String, Figure> of(LoadSection load) {
        Map<String, Figure> out = new LinkedHashMap<>();
        Map<String, ScenarioResult> scenarios = load.scenarios() == null ? Map.of() : load.scenarios();
        for (String scenario : List.of("metric-logging", "mixed", "breakpoint")) {
            if (!(scenarios.get(scenario) instanceof SteppedResult s)) {
                continue;
            }
            List<SteppedResult.Step> steps = s.steps() == null ? List.of() : s.steps();
            Window all = null;
            for (int i = 0; i < steps.size(); i++) {
                SteppedResult.Step step = steps.get(i);
                String where = scenario + " step " + (i + 1)
                        + (scenario.equals("breakpoint")
                                ? " (" + step.rate() + " arrivals/s)"
                                : " (" + step.users() + " users x " + step.rate() + "/s)");
                Window w = Window.of(step.resources());
                all = all == null ? w : all.and(w);
                if (step.requests() != null) {
                    put(
                            out,
                            where + " throughput",
                            Kind.THROUGHPUT,
                            step.requests().throughputRps(),
                            w);
                    put(out, where + " p95", Kind.P95, (double) step.requests().p95Ms(), w);
                    put(out, where + " p99", Kind.P99, (double) step.requests().p99Ms(), w);
                }
                put(
                        out,
                        where + " acknowledged points/s",
                        Kind.POINTS_PER_SECOND,
                        step.acknowledgedPointsPerSecond(),
                        w);
            }
            if (scenario.equals("metric-logging")) {
                maxUnderSlo(
                        out,
                        "metric-logging max rate under SLO (offered)",
                        s,
                        best -> best.offeredPointsPerSecond().figure().orElse(null),
                        all);
            }
            if (scenario.equals("breakpoint")) {
                maxUnderSlo(out, "breakpoint highest arrival rate under SLO", s, SteppedResult.BestStep::rate, all);
                if (s.sizing() != null && s.sizing().sweep() != null) {
                    s.sizing()
                            .sweep()
                            .forEach(p -> put(
                                    out,
                                    "breakpoint points/s under SLO with " + p.workers() + " MLflow worker(s)",
                                    Kind.MAX_RATE_UNDER_SLO,
                                    p.sustainedPointsPerSecond(),
                                    Window.NONE));
                }
            }
        }
        if (scenarios.get("large-upload") instanceof UploadResult upload) {
            UploadResult.Destination direct =
                    upload.direct() == null ? null : upload.direct().figure().orElse(null);
            if (direct != null) {
                sizes(out, "upload direct-s3", direct);
            }
            if (upload.proxied() != null) {
                upload.proxied().values().stream()
                        .map(OrText::figure)
                        .flatMap(java.util.Optional::stream)
                        .forEach(v -> {
                            sizes(out, "upload via nginx", v);
                            if (v.proxiedToDirectRatioBySize() != null) {
                                v.proxiedToDirectRatioBySize()
                                        .forEach((size, r) -> put(
                                                out,
                                                "proxied/direct ratio " + size,
                                                Kind.PROXIED_TO_DIRECT,
                                                r,
                                                window(v, size).and(window(direct, size))));
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
                            .forEach((read, r) ->
                                    put(out, where + " " + read + " p95", Kind.P95, (double) r.p95Ms(), Window.NONE));
                }
                put(
                        out,
                        where + " logging points/s",
                        Kind.POINTS_PER_SECOND,
                        level.loggedPointsPerSecond(),
                        Window.NONE);
            }
        }
        return out;
    }

    private static void sizes(Map<String, Figure> out, String where, UploadResult.Destination series) {
        if (series.bySize() != null) {
            series.bySize()
                    .forEach((size, v) ->
                            put(out, where + " " + size, Kind.UPLOAD_MBPS, v.aggregateMBps(), window(series, size)));
        }
    }

    private static Window window(UploadResult.Destination series, String size) {
        return series == null || series.resourcesBySize() == null
                ? Window.NONE
                : Window.of(series.resourcesBySize().get(size));
    }

    /** The best step under the SLO's figure, 0 when no step met it. */
    private static void maxUnderSlo(
            Map<String, Figure> out,
            String name,
            SteppedResult s,
            java.util.function.Function<SteppedResult.BestStep, Double> figure,
            Window all) {
        OrText<SteppedResult.BestStep> best = s.highestStepMeetingSlo();
        put(
                out,
                name,
                Kind.MAX_RATE_UNDER_SLO,
                best == null || best.figure().isEmpty() ? Double.valueOf(0) : figure.apply(best.value()),
                all == null ? Window.NONE : all);
    }

    private static void put(Map<String, Figure> out, String name, Kind kind, Double value, Window w) {
        if (value != null) {
            out.put(name, new Figure(name, kind, value, w.seconds(), w.machine()));
        }
    }
}
