package org.mlflowharness.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.mlflowharness.report.chart.Chart;

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
    static final String MIXED = "mixed";
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
                uploads(d, kind, sc, charts);
            } else if (kind.equals(RESILIENCE)) {
                ResilienceReport.section(d, sc, charts);
            } else {
                stepped(d, kind, sc, charts);
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

    // ---- stepped scenarios: metric-logging, mixed ------------------------------------------------------------------

    private static void stepped(Document d, String kind, JsonNode sc, boolean charts) {
        List<JsonNode> steps = list(sc.path("steps"));
        boolean ml = kind.equals(METRIC_LOGGING);
        List<String> labels = steps.stream().map(st -> stepLabel(kind, st)).toList();
        int knee = kneeIndex(steps);
        d.paragraph("Finding: " + steppedFinding(kind, sc, steps, knee));
        if (sc.has("nginxVariantNote")) {
            d.paragraph(sc.path("nginxVariantNote").asText());
        }
        JsonNode slo = sc.path("slo");
        if (charts && ml) {
            d.chart(Chart.of(kind + "-throughput", "metric-logging: offered vs acknowledged metric points/s per step",
                            "step (concurrent training jobs x iterations/s each)", "metric points/s", labels)
                    .bar("offered points/s", values(steps, st -> st.path("offeredPointsPerSecond")))
                    .bar("acknowledged points/s", values(steps, st -> st.path("acknowledgedPointsPerSecond")))
                    .mark(knee, "knee: SLO broken"));
        }
        if (charts) {
            d.chart(Chart.of(kind + "-latency", kind + ": response time per step (all requests)", stepAxis(kind), "ms", labels)
                    .line("p50", values(steps, st -> st.path("requests").path("p50Ms")))
                    .line("p95", values(steps, st -> st.path("requests").path("p95Ms")))
                    .line("p99", values(steps, st -> st.path("requests").path("p99Ms")))
                    .threshold("p95 SLO " + slo.path("p95Ms").asText() + " ms", number(slo.path("p95Ms")))
                    .threshold("p99 SLO " + slo.path("p99Ms").asText() + " ms", number(slo.path("p99Ms")))
                    .mark(knee, "knee: SLO broken"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonNode st = steps.get(i);
            JsonNode r = st.path("requests");
            List<String> row = new ArrayList<>(List.of(String.valueOf(i + 1), st.path("users").asText(), fmt(st.path("rate").asDouble())));
            if (ml) {
                row.add(fmt(st.path("offeredPointsPerSecond").asDouble()));
                row.add(fmt(st.path("acknowledgedPointsPerSecond").asDouble()));
            }
            row.addAll(List.of(r.path("requests").asText(), fmt(r.path("throughputRps").asDouble()), fmt(r.path("errorPct").asDouble()),
                    r.path("p50Ms").asText(), r.path("p95Ms").asText(), r.path("p99Ms").asText(), r.path("maxMs").asText(),
                    st.path("metSlo").asBoolean() ? "met" : "BROKEN: " + String.join("; ", texts(st.path("breaches")))));
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("step", ml ? "jobs" : "users", "iterations/s each"));
        if (ml) {
            header.addAll(List.of("offered points/s", "acknowledged points/s"));
        }
        header.addAll(List.of("requests", "requests/s", "errors %", "p50 ms", "p95 ms", "p99 ms", "max ms", "SLO"));
        d.paragraph("SLO: " + sloText(slo) + ".");
        d.table(header, rows);
        if (!ml) {
            requestTypes(d, kind, steps, labels, knee, slo, charts);
        }
        d.heading(3, kind + ": integrity per step");
        d.table(List.of("step", "runs", "acknowledged", "stored", "lost", "duplicated", "stored without ack", "rows in metrics table", "503s"),
                steps.stream().map(st -> {
                    JsonNode g = st.path("integrity");
                    return List.of(stepLabel(kind, st), g.path("runs").asText(), g.path("acknowledged").asText(), g.path("stored").asText(),
                            g.path("lost").asText(), g.path("duplicated").asText(), g.path("unacknowledgedStored").asText(),
                            g.path("dbRows").asText(), g.path("unavailable503Requests").asText());
                }).toList());
        resources(d, kind, labels, steps.stream().map(st -> st.path("resources")).toList(), charts);
    }

    /** mixed: p95 per request type per step. */
    private static void requestTypes(Document d, String kind, List<JsonNode> steps, List<String> labels, int knee, JsonNode slo, boolean charts) {
        Set<String> types = new LinkedHashSet<>();
        steps.forEach(st -> st.path("requests").path("byRequest").fieldNames().forEachRemaining(types::add));
        if (types.isEmpty()) {
            return;
        }
        d.heading(3, kind + ": latency per request type");
        if (charts) {
            Chart c = Chart.of(kind + "-by-request", kind + ": p95 response time per request type per step", stepAxis(kind), "ms", labels);
            for (String t : types) {
                c = c.line(t, values(steps, st -> st.path("requests").path("byRequest").path(t).path("p95Ms")));
            }
            d.chart(c.threshold("p95 SLO " + slo.path("p95Ms").asText() + " ms", number(slo.path("p95Ms"))).mark(knee, "knee: SLO broken"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (String t : types) {
            for (JsonNode st : steps) {
                JsonNode r = st.path("requests").path("byRequest").path(t);
                if (!r.isMissingNode()) {
                    rows.add(List.of(t, stepLabel(kind, st), r.path("requests").asText(), fmt(r.path("errorPct").asDouble()),
                            r.path("p50Ms").asText(), r.path("p95Ms").asText(), r.path("p99Ms").asText(), r.path("maxMs").asText()));
                }
            }
        }
        d.table(List.of("request", "step", "requests", "errors %", "p50 ms", "p95 ms", "p99 ms", "max ms"), rows);
    }

    private static String steppedFinding(String kind, JsonNode sc, List<JsonNode> steps, int knee) {
        if (steps.isEmpty()) {
            return kind + " ran no step.";
        }
        boolean ml = kind.equals(METRIC_LOGGING);
        StringBuilder f = new StringBuilder();
        int best = knee < 0 ? steps.size() - 1 : knee - 1;
        if (best < 0) {
            f.append("Not even the first step (").append(stepWords(kind, steps.get(0))).append(") met the SLO: ")
                    .append(String.join("; ", texts(steps.get(0).path("breaches")))).append(". ");
        } else {
            JsonNode b = steps.get(best);
            JsonNode r = b.path("requests");
            f.append("This stack sustained ").append(stepWords(kind, b));
            if (ml) {
                f.append(", ").append(fmt(b.path("acknowledgedPointsPerSecond").asDouble())).append(" metric points/s acknowledged (")
                        .append(fmt(b.path("offeredPointsPerSecond").asDouble())).append(" offered)");
            } else {
                f.append(", ").append(fmt(r.path("throughputRps").asDouble())).append(" requests/s");
            }
            f.append(", at p95 ").append(r.path("p95Ms").asText()).append(" ms and p99 ").append(r.path("p99Ms").asText())
                    .append(" ms with ").append(fmt(r.path("errorPct").asDouble())).append(" % errors. ");
            if (knee < 0) {
                f.append("Every step met the SLO: the ramp did not reach the stack's limit (add higher steps to the profile). ");
            }
        }
        if (knee >= 0) {
            JsonNode k = steps.get(knee);
            if (best >= 0) {
                f.append("The next step (").append(stepWords(kind, k)).append(") broke it: ")
                        .append(String.join("; ", texts(k.path("breaches")))).append(". ");
            }
        }
        JsonNode at = steps.get(knee >= 0 ? knee : steps.size() - 1);
        f.append(limit(at.path("resources"), knee >= 0 ? "At that step" : "At the highest step"));
        long lost = steps.stream().mapToLong(st -> st.path("integrity").path("lost").asLong() + st.path("integrity").path("duplicated").asLong()).sum();
        long acked = steps.stream().mapToLong(st -> st.path("integrity").path("acknowledged").asLong()).sum();
        f.append(lost == 0 ? " Every acknowledged metric point (" + acked + ") was stored exactly once."
                : " INTEGRITY: " + lost + " acknowledged metric point(s) were lost or duplicated (see the integrity table).");
        return f.toString();
    }

    // ---- uploads ------------------------------------------------------------------------------------------------

    private static void uploads(Document d, String kind, JsonNode sc, boolean charts) {
        Map<String, JsonNode> dests = new LinkedHashMap<>();
        if (sc.path("direct").isObject()) {
            dests.put(DIRECT_S3, sc.path("direct"));
        }
        sc.path("proxied").fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) {
                dests.put("nginx " + e.getKey(), e.getValue());
            }
        });
        List<String> sizes = texts(sc.path("sizes"));
        d.paragraph("Finding: " + uploadFinding(sc, dests, sizes));
        d.paragraph(sc.path("users").asText() + " concurrent uploads per size and destination; order: " + sc.path("order").asText()
                + ". SLO: " + sloText(sc.path("slo")) + ".");
        List<String> skipped = new ArrayList<>();
        if (sc.path("direct").isTextual()) {
            skipped.add(sc.path("direct").asText());
        }
        sc.path("proxied").fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                skipped.add(e.getValue().asText());
            }
        });
        d.bullets(skipped);
        if (charts) {
            Chart mbps = Chart.of(kind + "-mbps", "uploads: aggregate MB/s per size and destination", "object size", "MB/s (10^6 bytes/s)", sizes);
            for (Map.Entry<String, JsonNode> e : dests.entrySet()) {
                mbps = mbps.line(e.getKey(), sizes.stream().map(sz -> number(e.getValue().path("bySize").path(sz).path("aggregateMBps"))).toList());
            }
            d.chart(mbps.threshold("min " + sc.path("slo").path("minMBps").asText() + " MB/s", number(sc.path("slo").path("minMBps"))));
            Chart ratio = Chart.of(kind + "-ratio", "uploads: proxied / direct-S3 MB/s per size", "object size", "ratio", sizes);
            for (Map.Entry<String, JsonNode> e : dests.entrySet()) {
                if (e.getValue().has("proxiedToDirectRatioBySize")) {
                    ratio = ratio.bar(e.getKey(), sizes.stream().map(sz -> number(e.getValue().path("proxiedToDirectRatioBySize").path(sz))).toList());
                }
            }
            d.chart(ratio.threshold("min ratio " + sc.path("slo").path("minRatio").asText(), number(sc.path("slo").path("minRatio"))));
        }
        List<String> header = new ArrayList<>(List.of("size"));
        dests.keySet().forEach(n -> header.add(n + " MB/s"));
        dests.entrySet().stream().filter(e -> e.getValue().has("proxiedToDirectRatioBySize")).forEach(e -> header.add(e.getKey() + " / direct"));
        List<List<String>> rows = new ArrayList<>();
        for (String sz : sizes) {
            List<String> row = new ArrayList<>(List.of(sz));
            dests.values().forEach(v -> row.add(sizeCell(v.path("bySize").path(sz))));
            dests.values().stream().filter(v -> v.has("proxiedToDirectRatioBySize"))
                    .forEach(v -> row.add(orDash(v.path("proxiedToDirectRatioBySize").path(sz))));
            rows.add(row);
        }
        d.table(header, rows);
        d.heading(3, kind + ": largest size per destination and how the next failed");
        d.table(List.of("destination", "largest size handled", "next size failed", "how", "after s", "example", "integrity"),
                dests.entrySet().stream().map(e -> {
                    JsonNode v = e.getValue();
                    JsonNode ff = v.path("firstFailure");
                    return List.of(e.getKey(), v.path("largestOk").asText(), ff.isObject() ? ff.path("size").asText() : "none",
                            ff.isObject() ? outcomes(ff.path("outcomes")) : "", ff.isObject() ? ff.path("afterSeconds").asText() : "",
                            ff.isObject() ? ff.path("example").asText("") : "",
                            v.path("corrupted").asLong() == 0 ? "every acknowledged upload verified" : v.path("corrupted").asText() + " CORRUPTED");
                }).toList());
        List<String> labels = new ArrayList<>();
        List<JsonNode> windows = new ArrayList<>();
        for (String sz : sizes) {
            dests.forEach((name, v) -> {
                JsonNode w = v.path("resourcesBySize").path(sz);
                if (w.isObject()) {
                    labels.add(name.replace("nginx ", "") + " " + sz);
                    windows.add(w);
                }
            });
        }
        resources(d, kind, labels, windows, charts);
    }

    private static String uploadFinding(JsonNode sc, Map<String, JsonNode> dests, List<String> sizes) {
        if (dests.isEmpty()) {
            return "no upload destination ran.";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : dests.entrySet()) {
            JsonNode v = e.getValue();
            String largest = v.path("largestOk").asText();
            StringBuilder p = new StringBuilder(e.getKey());
            if ("0B".equals(largest) || largest.isEmpty()) {
                p.append(" handled no size");
            } else {
                p.append(" handled every size up to ").append(largest).append(" (")
                        .append(fmt(v.path("bySize").path(largest).path("aggregateMBps").asDouble())).append(" MB/s at ").append(largest);
                if (v.has("proxiedToDirectRatioBySize") && v.path("proxiedToDirectRatioBySize").has(largest)) {
                    p.append(", ").append(v.path("proxiedToDirectRatioBySize").path(largest).asText()).append(" of direct-S3's rate");
                }
                p.append(')');
            }
            JsonNode ff = v.path("firstFailure");
            if (ff.isObject()) {
                p.append("; at ").append(ff.path("size").asText()).append(" it failed: ").append(outcomes(ff.path("outcomes")))
                        .append(" after ").append(ff.path("afterSeconds").asText()).append(" s");
            } else if (!sizes.isEmpty() && !largest.equals(sizes.get(sizes.size() - 1))) {
                p.append("; the larger sizes were not run (time budget)");
            }
            parts.add(p.toString());
        }
        String f = String.join(". ", parts) + ".";
        JsonNode last = null;
        for (JsonNode v : dests.values()) {
            for (JsonNode w : v.path("resourcesBySize")) {
                last = w;
            }
        }
        return last == null ? f : f + " " + limit(last, "During the last upload batch");
    }

    private static String sizeCell(JsonNode bySize) {
        if (bySize.isMissingNode()) {
            return "not run";
        }
        String mbps = bySize.has("aggregateMBps") ? fmt(bySize.path("aggregateMBps").asDouble()) : "-";
        int n = bySize.path("transfers").asInt();
        int ok = bySize.path("ok").asInt();
        return ok == n ? mbps : mbps + " (" + ok + "/" + n + " ok: " + outcomes(bySize.path("outcomes")) + ")";
    }

    // ---- resources ----------------------------------------------------------------------------------------------

    /** CPU per component per window (stacked, with the machine's cores as a line) and a table with peak RSS. */
    private static void resources(Document d, String kind, List<String> labels, List<JsonNode> windows, boolean charts) {
        if (windows.isEmpty() || windows.stream().allMatch(JsonNode::isMissingNode)) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        windows.forEach(w -> w.path("components").fieldNames().forEachRemaining(names::add));
        d.heading(3, kind + ": CPU and memory per step");
        String notSampled = windows.get(0).path("notSampled").asText("");
        if (!notSampled.isEmpty()) {
            d.paragraph("Stack components not sampled: " + notSampled + ". The harness's own use and the machine's are.");
        }
        if (charts) {
            Chart c = Chart.of(kind + "-cpu", kind + ": CPU used per step, by process (cores)", "step", "CPU cores (average)", labels).stackBars();
            for (String n : names) {
                c = c.bar(n, windows.stream().map(w -> number(w.path("components").path(n).path("cpuCores"))).toList());
            }
            c = c.bar("harness (load generator)", windows.stream().map(w -> number(w.path("harness").path("cpuCores"))).toList());
            c = c.bar("other processes on the machine", windows.stream().map(w -> number(w.path("machine").path("otherProcessesCores"))).toList());
            JsonNode cores = windows.get(0).path("machine").path("cores");
            d.chart(c.threshold("machine: " + cores.asText() + " cores", number(cores)));
        }
        List<String> header = new ArrayList<>(List.of("step", "machine busy (cores)"));
        names.forEach(n -> header.add(n + " CPU / peak RSS MiB"));
        header.addAll(List.of("harness CPU / peak RSS MiB", "other processes CPU"));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            JsonNode w = windows.get(i);
            List<String> row = new ArrayList<>(List.of(labels.get(i), orDash(w.path("machine").path("busyCores")) + " of " + w.path("machine").path("cores").asText()));
            names.forEach(n -> row.add(usage(w.path("components").path(n))));
            row.add(usage(w.path("harness")));
            row.add(orDash(w.path("machine").path("otherProcessesCores")));
            rows.add(row);
        }
        d.table(header, rows);
    }

    private static String usage(JsonNode u) {
        if (u.isMissingNode()) {
            return "-";
        }
        return fmt(u.path("cpuCores").asDouble()) + " / " + fmt(u.path("peakRssMiB").asDouble())
                + (u.path("processes").asInt() > 1 ? " (" + u.path("processes").asText() + " procs)" : "");
    }

    /** What limited the stack in one window: a saturated CPU (and who used it), or not the CPU. */
    static String limit(JsonNode w, String when) {
        if (w.isMissingNode() || !w.path("machine").has("busyCores")) {
            return "";
        }
        JsonNode m = w.path("machine");
        double busy = m.path("busyCores").asDouble();
        int cores = m.path("cores").asInt();
        Map<String, Double> users = new LinkedHashMap<>();
        w.path("components").fields().forEachRemaining(e -> users.put(e.getKey(), e.getValue().path("cpuCores").asDouble()));
        users.put("the harness", w.path("harness").path("cpuCores").asDouble());
        if (m.has("otherProcessesCores")) {
            users.put("other processes on the machine", m.path("otherProcessesCores").asDouble());
        }
        String top = users.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + fmt(e.getValue())).reduce((a, b) -> a + ", " + b).orElse("");
        String pct = fmt(m.path("busyPct").asDouble());
        String who = w.has("components") ? "" : " (stack components not sampled: " + w.path("notSampled").asText() + ")";
        double other = m.path("otherProcessesCores").asDouble(0);
        String contention = other >= busy / 2 ? " Other processes on the machine used most of that CPU: this step measured the "
                + "contention for a shared machine more than the stack's own limit; repeat it on a quiet machine." : "";
        if (m.path("busyPct").asDouble() >= SATURATED_PCT) {
            return when + " the machine's CPU was saturated first: " + fmt(busy) + " of " + cores + " cores busy (" + pct
                    + " %); cores used by " + top + "." + who + contention;
        }
        return when + " the CPU was not saturated (" + fmt(busy) + " of " + cores + " cores busy, " + pct
                + " %): the limit lies in the stack's own latency (workers, database, store), not in CPU; cores used by " + top + "." + who;
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

    // ---- small helpers ------------------------------------------------------------------------------------------

    /** Index of the first step that did not meet its SLO, or -1. */
    static int kneeIndex(List<JsonNode> steps) {
        for (int i = 0; i < steps.size(); i++) {
            if (!steps.get(i).path("metSlo").asBoolean(true)) {
                return i;
            }
        }
        return -1;
    }

    private static String stepLabel(String kind, JsonNode st) {
        return kind.equals(METRIC_LOGGING) ? st.path("users").asText() + " jobs x " + fmt(st.path("rate").asDouble()) + "/s"
                : st.path("users").asText() + " users";
    }

    private static String stepAxis(String kind) {
        return kind.equals(METRIC_LOGGING) ? "step (concurrent training jobs x iterations/s each)" : "step (concurrent users)";
    }

    private static String stepWords(String kind, JsonNode st) {
        return kind.equals(METRIC_LOGGING)
                ? st.path("users").asText() + " concurrent training jobs (" + fmt(st.path("offeredPointsPerSecond").asDouble()) + " points/s offered)"
                : st.path("users").asText() + " concurrent users";
    }

    private static String sloText(JsonNode slo) {
        List<String> p = new ArrayList<>();
        slo.fields().forEachRemaining(e -> p.add(e.getKey() + " " + e.getValue().asText()));
        return p.isEmpty() ? "none" : String.join(", ", p);
    }

    static String outcomes(JsonNode outcomes) {
        List<String> p = new ArrayList<>();
        outcomes.fields().forEachRemaining(e -> p.add(e.getKey() + " x" + e.getValue().asText()));
        return String.join(", ", p);
    }

    private static List<Double> values(List<JsonNode> steps, Function<JsonNode, JsonNode> f) {
        return steps.stream().map(st -> number(f.apply(st))).toList();
    }

    private static Double number(JsonNode n) {
        return n != null && n.isNumber() ? n.asDouble() : null;
    }

    private static String orDash(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "-" : n.isNumber() ? fmt(n.asDouble()) : n.asText();
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l;
    }

    static List<String> texts(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).toList();
    }

    /** A figure for people: no trailing zeros, at most two decimals (one above 100). */
    static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "n/a";
        }
        String s = String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%.1f" : "%.2f", d);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
