package org.mlflowharness.report;

import static org.mlflowharness.report.CapacityReport.METRIC_LOGGING;
import static org.mlflowharness.report.Figures.fmt;
import static org.mlflowharness.report.Figures.list;
import static org.mlflowharness.report.Figures.number;
import static org.mlflowharness.report.Figures.sloText;
import static org.mlflowharness.report.Figures.texts;
import static org.mlflowharness.report.Figures.values;
import static org.mlflowharness.report.ResourceSection.limit;
import static org.mlflowharness.report.ResourceSection.resources;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mlflowharness.report.chart.Chart;

/** The capacity report's part for a stepped scenario (metric-logging, mixed): finding, charts and tables per step. */
final class SteppedSection {

    private SteppedSection() {
    }

    static void section(Document d, String kind, JsonNode sc, boolean charts) {
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

    static String stepWords(String kind, JsonNode st) {
        return kind.equals(METRIC_LOGGING)
                ? st.path("users").asText() + " concurrent training jobs (" + fmt(st.path("offeredPointsPerSecond").asDouble()) + " points/s offered)"
                : st.path("users").asText() + " concurrent users";
    }
}
