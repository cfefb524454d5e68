package org.mlflowharness.report;

import static org.mlflowharness.report.Figures.fmt;
import static org.mlflowharness.report.Figures.list;
import static org.mlflowharness.report.Figures.outcomes;
import static org.mlflowharness.report.Figures.texts;
import static org.mlflowharness.report.SteppedSection.kneeIndex;
import static org.mlflowharness.report.SteppedSection.stepWords;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The capacity report of a load run, built from its summary.json content (the same data every format gets): the stack
 * and profile, then per scenario a finding in plain words (what the stack sustained, what broke next, what limited
 * it; for resilience, per fault, what failed and when it served again: {@link ResilienceReport}), charts, and tables of every step: latency and throughput, uploads per size and destination, integrity counts,
 * CPU and memory of each stack process and of the harness. With the previous comparable run (same profile, same
 * provider), its headline figures stand beside this run's.
 */
public final class CapacityReport {

    static final String METRIC_LOGGING = "metric-logging";
    static final String LARGE_UPLOAD = "large-upload";
    static final String DIRECT_S3 = "direct-s3";
    static final String RESILIENCE = "resilience";
    /** A machine busier than this share of its cores during a step counts as CPU-saturated. */
    static final double SATURATED_PCT = 85;

    private CapacityReport() {
    }

    /** A run kept in the history: its directory name and its summary. */
    public record Run(String name, JsonNode summary) {
    }

    /** The whole capacity report of {@code run}; {@code previous} (may be null) is the previous comparable run. */
    public static Document document(Run run, Run previous) {
        JsonNode s = run.summary();
        JsonNode load = s.path("load");
        Document d = new Document("Capacity report: " + load.path("profile").asText() + " profile, " + run.name());
        d.paragraph("Command: " + s.path("command").asText() + ". Verdict: " + s.path("verdict").asText()
                + (s.hasNonNull("reason") ? " (" + s.path("reason").asText() + ")" : "") + ". Started " + s.path("started").asText()
                + ", took " + fmt(s.path("durationSeconds").asDouble()) + " s.");
        d.paragraph("Profile: " + load.path("profile").asText() + " (" + load.path("description").asText() + "); on an SLO breach: "
                + load.path("onBreach").asText() + ".");
        noise(load).ifPresent(d::paragraph);
        d.heading(2, "Stack under test");
        stack(d, s.path("stack"));
        d.heading(2, "Compared with the previous comparable run");
        comparison(d, run, previous);
        d.append(loadSection(s, true));
        return d;
    }

    /** Per scenario: findings and tables, with charts when {@code charts} (summary.md leaves them out). */
    public static Document loadSection(JsonNode summary, boolean charts) {
        JsonNode load = summary.path("load");
        Document d = new Document("Load");
        JsonNode scenarios = load.path("scenarios");
        for (Iterator<String> it = scenarios.fieldNames(); it.hasNext(); ) {
            String kind = it.next();
            JsonNode sc = scenarios.path(kind);
            d.heading(2, kind);
            if (kind.equals(LARGE_UPLOAD) || kind.equals(DIRECT_S3)) {
                UploadSection.section(d, kind, sc, charts);
            } else if (kind.equals(RESILIENCE)) {
                ResilienceReport.section(d, sc, charts);
            } else {
                SteppedSection.section(d, kind, sc, charts);
            }
        }
        d.heading(2, "Notes");
        if (!load.path("resources").path("notSampled").isMissingNode()) {
            d.paragraph("Resources: " + load.path("resources").path("notSampled").asText() + ".");
        } else if (load.has("resources")) {
            d.paragraph("Resources: sampled every second from " + load.path("resources").path("source").asText()
                    + ". CPU is in cores (1.0 = one core fully busy), averaged over each step; RSS is the peak of the sum over a "
                    + "component's processes (shared pages counted once per process).");
        }
        d.bullets(texts(load.path("notRun")).stream().map(n -> "Not run: " + n).toList());
        d.bullets(texts(load.path("failures")).stream().map(f -> "Failed: " + f).toList());
        return d;
    }

    /** A note on noise when other processes used a noticeable share of the machine during the measured steps. */
    private static java.util.Optional<String> noise(JsonNode load) {
        List<Double> other = new ArrayList<>();
        load.findValues("otherProcessesCores").forEach(n -> other.add(n.asDouble()));
        if (other.isEmpty()) {
            return java.util.Optional.empty();
        }
        double avg = other.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double max = other.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return java.util.Optional.of("Other processes on this machine (not the stack, not the harness) used " + fmt(avg)
                + " cores on average and up to " + fmt(max) + " during the measured steps"
                + (max >= 0.3 ? ": the machine was shared, so these figures are noisy; compare runs with care." : "."));
    }

    // ---- stack, comparison, headlines -----------------------------------------------------------------------------

    private static void stack(Document d, JsonNode stack) {
        if (stack.isMissingNode() || stack.isNull()) {
            d.paragraph("No stack came up.");
            return;
        }
        d.paragraph("Provider: " + stack.path("provider").asText() + "; nginx variant of the stack: " + stack.path("nginxVariant").asText()
                + (stack.hasNonNull("fault") ? "; DELIBERATE FAULT: " + stack.path("fault").asText() : "") + ".");
        d.table(List.of("role", "component", "version", "reported by"), list(stack.path("components")).stream().map(c -> List.of(
                c.path("role").asText(), c.path("name").asText() + (c.hasNonNull("standInFor")
                        ? " (stand-in for " + c.path("standInFor").asText() + ": says nothing about it)" : ""),
                c.path("version").asText(), c.path("versionSource").asText())).toList());
    }

    private static void comparison(Document d, Run run, Run previous) {
        if (previous == null) {
            d.paragraph("No earlier run of the " + run.summary().path("load").path("profile").asText() + " profile on the "
                    + run.summary().path("stack").path("provider").asText("same") + " stack is kept under reports/runs/.");
            return;
        }
        Map<String, String> now = headlines(run.summary());
        Map<String, String> before = headlines(previous.summary());
        Set<String> keys = new LinkedHashSet<>(now.keySet());
        keys.addAll(before.keySet());
        d.paragraph("Previous comparable run: " + previous.name() + " (" + previous.summary().path("command").asText() + ", "
                + previous.summary().path("verdict").asText() + "; " + versions(previous.summary()) + "). This run: " + versions(run.summary()) + ".");
        d.table(List.of("figure", "previous run (" + previous.name() + ")", "this run (" + run.name() + ")"),
                keys.stream().map(k -> List.of(k, before.getOrDefault(k, "-"), now.getOrDefault(k, "-"))).toList());
    }

    private static String versions(JsonNode summary) {
        return String.join(", ", list(summary.path("stack").path("components")).stream()
                .map(c -> c.path("name").asText() + " " + c.path("version").asText()).toList());
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
            h.put("suites", totals.path("passed").asText() + " passed, " + totals.path("failed").asText() + " failed, "
                    + totals.path("skipped").asText() + " skipped");
        }
        JsonNode scenarios = summary.path("load").path("scenarios");
        for (Iterator<String> it = scenarios.fieldNames(); it.hasNext(); ) {
            String kind = it.next();
            JsonNode sc = scenarios.path(kind);
            if (sc.has("steps") && sc.path("steps").isEmpty()) {
                h.put(kind, "not run");
            } else if (sc.has("steps")) {
                List<JsonNode> steps = list(sc.path("steps"));
                int knee = kneeIndex(steps);
                int best = knee < 0 ? steps.size() - 1 : knee - 1;
                if (best >= 0) {
                    JsonNode b = steps.get(best);
                    h.put(kind + " sustained", stepWords(kind, b) + (kind.equals(METRIC_LOGGING)
                            ? ", " + fmt(b.path("acknowledgedPointsPerSecond").asDouble()) + " points/s"
                            : ", " + fmt(b.path("requests").path("throughputRps").asDouble()) + " requests/s")
                            + ", p95 " + b.path("requests").path("p95Ms").asText() + " ms, p99 " + b.path("requests").path("p99Ms").asText() + " ms");
                } else {
                    h.put(kind + " sustained", "no step met the SLO");
                }
                h.put(kind + " broke at", knee < 0 ? "no step broke the SLO" : stepWords(kind, steps.get(knee)));
            }
            if (kind.equals(RESILIENCE)) {
                ResilienceReport.headlines(sc, h);
            }
            if (sc.path("direct").isObject()) {
                h.put("largest upload, direct-s3", largest(sc.path("direct")));
            }
            sc.path("proxied").fields().forEachRemaining(e -> {
                if (e.getValue().isObject()) {
                    h.put("largest upload, nginx " + e.getKey(), largest(e.getValue()));
                }
            });
        }
        return h;
    }

    private static String largest(JsonNode dest) {
        String l = dest.path("largestOk").asText();
        JsonNode ff = dest.path("firstFailure");
        return l + " at " + fmt(dest.path("bySize").path(l).path("aggregateMBps").asDouble()) + " MB/s"
                + (ff.isObject() ? "; " + ff.path("size").asText() + ": " + outcomes(ff.path("outcomes")) : "");
    }
}
