package org.mlflowharness.report;

import static org.mlflowharness.report.Figures.fmt;
import static org.mlflowharness.report.Figures.list;
import static org.mlflowharness.report.Figures.listOf;
import static org.mlflowharness.report.Figures.orZero;
import static org.mlflowharness.report.Figures.outcomes;
import static org.mlflowharness.report.SteppedSection.kneeIndex;
import static org.mlflowharness.report.SteppedSection.stepWords;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.model.load.Requests;
import org.mlflowharness.model.load.ResilienceResult;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.ScenarioResult;
import org.mlflowharness.model.load.SteppedResult;
import org.mlflowharness.model.load.SteppedResult.Step;
import org.mlflowharness.model.load.UploadResult;
import org.mlflowharness.model.load.UploadResult.Destination;
import org.mlflowharness.model.load.UploadResult.FirstFailure;
import org.mlflowharness.model.load.UploadResult.SizeResult;
import org.mlflowharness.model.load.VolumeResult;

/**
 * The capacity report of a load run, built from its summary.json content (the same data every format gets): the stack
 * and profile, then per scenario a finding in plain words (what the stack sustained, what broke next, what limited
 * it; for resilience, per fault, what failed and when it served again: {@link ResilienceReport}), charts, and tables of every step: latency and throughput, uploads per size and destination, integrity counts,
 * CPU and memory of each stack process and of the harness. With the previous comparable run (same profile, same
 * provider), its headline figures stand beside this run's.
 */
public final class CapacityReport {

    static final String METRIC_LOGGING = "metric-logging";
    static final String BREAKPOINT = "breakpoint";
    static final String DIRECT_S3 = "direct-s3";
    /** A machine busier than this share of its cores during a step counts as CPU-saturated. */
    static final double SATURATED_PCT = 85;

    private CapacityReport() {}

    /** A run kept in the history: its directory name and its summary. */
    public record Run(String name, JsonNode summary) {}

    /** The whole capacity report of {@code run}; {@code previous} (may be null) is the previous comparable run. */
    public static Document document(Run run, Run previous) {
        JsonNode s = run.summary();
        LoadSection load = LoadSection.of(s.path("load"));
        Document d = new Document("Capacity report: " + load.profile() + " profile, " + run.name());
        d.paragraph("Command: " + s.path("command").asText() + ". Verdict: "
                + s.path("verdict").asText()
                + (s.hasNonNull("reason") ? " (" + s.path("reason").asText() + ")" : "") + ". Started "
                + s.path("started").asText()
                + ", took " + fmt(s.path("durationSeconds").asDouble()) + " s.");
        d.paragraph("Profile: " + load.profile() + " (" + load.description() + "); on an SLO breach: " + load.onBreach()
                + ".");
        noise(load).ifPresent(d::paragraph);
        d.heading(2, "Stack under test");
        stack(d, s.path("stack"));
        d.heading(2, "Compared with the previous comparable run");
        comparison(d, run, previous);
        d.append(loadSection(load, true));
        return d;
    }

    /** Per scenario: findings and tables, with charts when {@code charts} (summary.md leaves them out). */
    public static Document loadSection(LoadSection load, boolean charts) {
        Document d = new Document("Load");
        scenarios(load).forEach((kind, sc) -> {
            d.heading(2, kind);
            if (sc instanceof UploadResult u) {
                UploadSection.section(d, kind, u, charts);
            } else if (sc instanceof ResilienceResult r) {
                ResilienceReport.section(d, r, charts);
            } else if (sc instanceof VolumeResult v) {
                VolumeSection.section(d, v, charts);
            } else if (sc instanceof SteppedResult st) {
                SteppedSection.section(d, kind, st, charts);
            } else if (sc instanceof ScenarioResult.NotCompleted e) {
                d.paragraph("Finding: " + kind + " could not complete: " + e.error() + ".");
            }
        });
        d.heading(2, "Notes");
        LoadSection.Sampling resources = load.resources();
        if (resources != null && resources.notSampled() != null) {
            d.paragraph("Resources: " + resources.notSampled() + ".");
        } else if (resources != null) {
            d.paragraph("Resources: sampled every second from " + resources.source()
                    + ". CPU is in cores (1.0 = one core fully busy), averaged over each step; RSS is the peak of the sum over a "
                    + "component's processes (shared pages counted once per process).");
        }
        d.bullets(listOf(load.notRun()).stream().map(n -> "Not run: " + n).toList());
        d.bullets(listOf(load.failures()).stream().map(f -> "Failed: " + f).toList());
        return d;
    }

    private static Map<String, ScenarioResult> scenarios(LoadSection load) {
        return load == null || load.scenarios() == null ? Map.of() : load.scenarios();
    }

    /** A note on noise when other processes used a noticeable share of the machine during the measured steps. */
    private static Optional<String> noise(LoadSection load) {
        List<Double> other = new ArrayList<>();
        for (ScenarioResult sc : scenarios(load).values()) {
            List<ResourceWindow> windows = new ArrayList<>();
            if (sc instanceof SteppedResult st) {
                listOf(st.steps()).forEach(step -> windows.add(step.resources()));
            } else if (sc instanceof UploadResult u) {
                UploadSection.destinations(u)
                        .values()
                        .forEach(v -> windows.addAll(
                                v.resourcesBySize() == null
                                        ? List.of()
                                        : v.resourcesBySize().values()));
            }
            windows.stream()
                    .filter(w -> w != null && w.machine() != null && w.machine().otherProcessesCores() != null)
                    .forEach(w -> other.add(w.machine().otherProcessesCores()));
        }
        if (other.isEmpty()) {
            return Optional.empty();
        }
        double avg = other.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double max = other.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return Optional.of("Other processes on this machine (not the stack, not the harness) used " + fmt(avg)
                + " cores on average and up to " + fmt(max) + " during the measured steps"
                + (max >= 0.3 ? ": the machine was shared, so these figures are noisy; compare runs with care." : "."));
    }

    // ---- stack, comparison, headlines -----------------------------------------------------------------------------

    private static void stack(Document d, JsonNode stack) {
        if (stack.isMissingNode() || stack.isNull()) {
            d.paragraph("No stack came up.");
            return;
        }
        d.paragraph("Provider: " + stack.path("provider").asText() + "; nginx variant of the stack: "
                + stack.path("nginxVariant").asText()
                + (stack.hasNonNull("fault")
                        ? "; DELIBERATE FAULT: " + stack.path("fault").asText()
                        : "") + ".");
        d.table(
                List.of("role", "component", "version", "reported by"),
                list(stack.path("components")).stream()
                        .map(c -> List.of(
                                c.path("role").asText(),
                                c.path("name").asText()
                                        + (c.hasNonNull("standInFor")
                                                ? " (stand-in for "
                                                        + c.path("standInFor").asText() + ": says nothing about it)"
                                                : ""),
                                c.path("version").asText(),
                                c.path("versionSource").asText()))
                        .toList());
    }

    private static void comparison(Document d, Run run, Run previous) {
        if (previous == null) {
            d.paragraph("No earlier run of the "
                    + LoadSection.of(run.summary().path("load")).profile() + " profile on the "
                    + run.summary().path("stack").path("provider").asText("same")
                    + " stack is kept under reports/runs/.");
            return;
        }
        Map<String, String> now = headlines(run.summary());
        Map<String, String> before = headlines(previous.summary());
        Set<String> keys = new LinkedHashSet<>(now.keySet());
        keys.addAll(before.keySet());
        d.paragraph("Previous comparable run: " + previous.name() + " ("
                + previous.summary().path("command").asText() + ", "
                + previous.summary().path("verdict").asText() + "; " + versions(previous.summary()) + "). This run: "
                + versions(run.summary()) + ".");
        d.table(
                List.of("figure", "previous run (" + previous.name() + ")", "this run (" + run.name() + ")"),
                keys.stream()
                        .map(k -> List.of(k, before.getOrDefault(k, "-"), now.getOrDefault(k, "-")))
                        .toList());
    }

    private static String versions(JsonNode summary) {
        return String.join(
                ", ",
                list(summary.path("stack").path("components")).stream()
                        .map(c -> c.path("name").asText() + " "
                                + c.path("version").asText())
                        .toList());
    }

    /**
     * A run's headline figures, label to value: suite counts for a gate; per load scenario the highest step that met the
     * SLO and the one that broke it, per upload destination the largest size handled. What {@code report --history}
     * lists and the capacity report compares.
     */
    public static Map<String, String> headlines(JsonNode summary) {
        Map<String, String> h = new LinkedHashMap<>();
        JsonNode totals = summary.path("totals");
        if (summary.path("suites").size() > 0) {
            h.put(
                    "suites",
                    totals.path("passed").asText() + " passed, "
                            + totals.path("failed").asText() + " failed, "
                            + totals.path("skipped").asText() + " skipped");
        }
        scenarios(LoadSection.of(summary.path("load"))).forEach((kind, sc) -> {
            if (sc instanceof SteppedResult st && listOf(st.steps()).isEmpty()) {
                h.put(kind, "not run");
            } else if (sc instanceof SteppedResult st) {
                List<Step> steps = st.steps();
                int knee = kneeIndex(steps);
                int best = knee < 0 ? steps.size() - 1 : knee - 1;
                if (best >= 0) {
                    Step b = steps.get(best);
                    Requests r = b.requests();
                    h.put(
                            kind + " sustained",
                            stepWords(kind, b)
                                    + (kind.equals(METRIC_LOGGING)
                                            ? ", " + fmt(orZero(b.acknowledgedPointsPerSecond())) + " points/s"
                                            : ", " + fmt(orZero(r.throughputRps())) + " requests/s")
                                    + ", p95 " + r.p95Ms() + " ms, p99 " + r.p99Ms() + " ms");
                } else {
                    h.put(kind + " sustained", "no step met the SLO");
                }
                h.put(kind + " broke at", knee < 0 ? "no step broke the SLO" : stepWords(kind, steps.get(knee)));
                if (st.sizing() != null) {
                    h.put("sizing", SteppedSection.sizing(st.sizing()));
                }
            } else if (sc instanceof ResilienceResult r) {
                ResilienceReport.headlines(r, h);
            } else if (sc instanceof VolumeResult v) {
                h.putAll(VolumeSection.headlines(v));
            } else if (sc instanceof UploadResult u) {
                UploadSection.destinations(u).forEach((name, v) -> h.put("largest upload, " + name, largest(v)));
            }
        });
        return h;
    }

    private static String largest(Destination dest) {
        String l = dest.largestOk();
        SizeResult at = dest.bySize() == null ? null : dest.bySize().get(l);
        FirstFailure ff = dest.firstFailure() == null
                ? null
                : dest.firstFailure().figure().orElse(null);
        return l + " at " + fmt(at == null ? 0 : orZero(at.aggregateMBps())) + " MB/s"
                + (ff != null ? "; " + ff.size() + ": " + outcomes(ff.outcomes()) : "");
    }
}
