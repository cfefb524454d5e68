package org.mlflowharness.report;

import static org.mlflowharness.report.Figures.fmt;
import static org.mlflowharness.report.Figures.list;
import static org.mlflowharness.report.Figures.outcomes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflowharness.report.chart.Chart;

/**
 * The resilience scenario's part of the capacity report, from its summary data ({@code load.scenarios.resilience}):
 * the integrity outcome in words (the pass/fail figure), a table of the per-fault figures, and per fault a finding
 * (error window, failures by class, ready and serving again) and a chart of requests and errors per second around the
 * fault, its start, outage end, ready and serving-again moments marked.
 */
final class ResilienceReport {

    private ResilienceReport() {
    }

    static void section(Document d, JsonNode sc, boolean charts) {
        List<JsonNode> faults = list(sc.path("faults"));
        d.paragraph("Finding: " + integrityFinding(sc.path("integrity")));
        JsonNode load = sc.path("load");
        JsonNode requests = sc.path("requests");
        d.paragraph("Steady load through nginx: " + load.path("trainingJobs").asText() + " training jobs x "
                + fmt(load.path("iterationsPerSecond").asDouble()) + " iterations/s (batches of " + load.path("batchSize").asText()
                + " points), " + load.path("uploadUsers").asText() + " uploader(s) x " + fmt(load.path("uploadsPerSecond").asDouble())
                + " uploads/s of " + load.path("uploadSize").asText() + ". Plan: " + String.join("; ", Figures.texts(sc.path("plan")))
                + "; recovery allowed per fault: " + sc.path("recoverySeconds").asText() + " s. In all " + requests.path("requests").asText()
                + " requests, " + requests.path("errors").asText() + " failed (" + fmt(requests.path("errorPct").asDouble()) + " %), "
                + sc.path("failedBeforeTheFirstFault").asText("?") + " of them before the first fault.");
        if (sc.has("nginxVariantNote")) {
            d.paragraph(sc.path("nginxVariantNote").asText());
        }
        d.table(List.of("fault", "started at s (planned)", "outage s", "requests", "failed", "first failed after s", "last failed after s",
                "failures by class", "component ready after s", "stack serves again after s"), faults.stream().map(f -> {
                    JsonNode w = f.path("errorWindow");
                    return List.of(f.path("fault").asText(), seconds(f.path("startedAtSeconds")) + " (" + seconds(f.path("plannedAtSeconds")) + ")",
                            seconds(f.path("outageSeconds")), f.path("requests").asText(), f.path("failedRequests").asText(),
                            seconds(w.path("firstFailedAfterSeconds")), seconds(w.path("lastFailedAfterSeconds")),
                            f.path("failuresByClass").isEmpty() ? "-" : outcomes(f.path("failuresByClass")),
                            seconds(f.path("componentReadyAfterSeconds")), seconds(f.path("servesAgainAfterSeconds")));
                }).toList());
        for (JsonNode f : faults) {
            d.heading(3, "resilience: " + f.path("fault").asText());
            d.paragraph("Finding: " + faultFinding(f, sc.path("stack")));
            if (charts) {
                d.chart(timeline(f));
            }
        }
    }

    /** "restart database: 11 of the 129 requests ... failed, from +1 s to +6.2 s (503 x11); MariaDB was ready after ..." */
    static String faultFinding(JsonNode f, JsonNode stack) {
        String fault = f.path("fault").asText();
        long failed = f.path("failedRequests").asLong();
        StringBuilder s = new StringBuilder(fault).append(": ");
        if (failed == 0) {
            s.append("none of the ").append(f.path("requests").asText()).append(" requests until the next fault failed");
        } else {
            JsonNode w = f.path("errorWindow");
            s.append(failed).append(" of the ").append(f.path("requests").asText()).append(" requests until the next fault failed, from +")
                    .append(seconds(w.path("firstFailedAfterSeconds"))).append(" s to +").append(seconds(w.path("lastFailedAfterSeconds")))
                    .append(" s (").append(outcomes(f.path("failuresByClass"))).append(')');
        }
        JsonNode ready = f.path("componentReadyAfterSeconds");
        s.append("; ").append(component(fault, stack))
                .append(ready.isNumber() ? " was ready after " + fmt(ready.asDouble()) + " s" : " was not ready again");
        JsonNode serves = f.path("servesAgainAfterSeconds");
        s.append(serves.isNumber() ? ", the stack served again after " + fmt(serves.asDouble()) + " s"
                : ", the stack did not serve again (" + serves.asText() + ")");
        if (f.hasNonNull("error")) {
            s.append("; the fault itself failed: ").append(f.path("error").asText());
        }
        return s.append('.').toString();
    }

    /** Every acknowledged metric point stored exactly once, every acknowledged upload stored intact: what passes or fails the run. */
    static String integrityFinding(JsonNode integrity) {
        if (integrity.isMissingNode()) {
            return "integrity was not checked: the scenario ended before its check (see the failures below).";
        }
        JsonNode m = integrity.path("metricPoints");
        JsonNode u = integrity.path("uploads");
        long lost = m.path("lost").asLong();
        long duplicated = m.path("duplicated").asLong();
        long notIntact = u.path("acknowledgedButNotStoredIntact").asLong();
        String metrics = lost + duplicated == 0
                ? "every acknowledged metric point (" + m.path("acknowledged").asText() + ") was stored exactly once"
                : lost + " of " + m.path("acknowledged").asText() + " acknowledged metric points were lost and " + duplicated + " duplicated";
        String uploads = notIntact == 0
                ? "every acknowledged upload (" + u.path("acknowledged").asText() + " of " + u.path("sent").asText() + " sent) was stored intact"
                : notIntact + " of " + u.path("acknowledged").asText() + " acknowledged uploads were not stored intact (SHA-256 differs or object missing)"
                + (u.has("example") ? ", e.g. " + u.path("example").asText() : "");
        String head = lost + duplicated + notIntact == 0 ? "Integrity held through every fault (the pass/fail figure): "
                : "INTEGRITY BROKEN (the pass/fail figure): ";
        long unacked = m.path("unacknowledgedStored").asLong();
        return head + metrics + "; " + uploads + "."
                + (unacked > 0 ? " " + unacked + " metric point(s) were stored although their request failed (written, but the answer "
                + "was lost: not a loss of acknowledged data)." : "");
    }

    /** Requests and errors per second relative to the fault's start, the fault's moments marked. */
    static Chart timeline(JsonNode f) {
        String fault = f.path("fault").asText();
        JsonNode t = f.path("timeline");
        List<JsonNode> points = list(t.path("points"));
        List<Long> second = points.stream().map(p -> p.path("second").asLong()).toList();
        Chart c = Chart.of("resilience-" + fault.replaceAll("[^A-Za-z0-9]+", "-"), fault + ": requests and errors per second",
                        "seconds since the fault started (" + t.path("bucketSeconds").asText("1") + " s buckets)", "requests/s",
                        second.stream().map(String::valueOf).toList())
                .line("requests/s", points.stream().map(p -> p.path("requests").asDouble()).toList())
                .bar("errors/s", points.stream().map(p -> p.path("errors").asDouble()).toList());
        JsonNode marks = t.path("marks");
        double start = marks.path("faultAt").asDouble();
        List<Map.Entry<String, JsonNode>> moments = new ArrayList<>(List.of(Map.entry("fault starts", marks.path("faultAt"))));
        if (marks.path("outageEndsAt").asDouble() != start) {
            moments.add(Map.entry("outage ends", marks.path("outageEndsAt")));
        }
        moments.add(Map.entry("ready", marks.path("readyAt")));
        moments.add(Map.entry("serving again", marks.path("servesAgainAt")));
        for (Map.Entry<String, JsonNode> e : moments) {
            if (e.getValue().isNumber()) {
                double at = e.getValue().asDouble();
                String label = e.getKey().equals("fault starts") ? e.getKey() : e.getKey() + " +" + fmt(at) + " s";
                c = c.mark(second.indexOf((long) Math.floor(at)), label);
            }
        }
        return c;
    }

    /** Per fault its failures and recovery, and the integrity outcome: headline figures to compare runs by. */
    static void headlines(JsonNode sc, Map<String, String> h) {
        for (JsonNode f : sc.path("faults")) {
            JsonNode serves = f.path("servesAgainAfterSeconds");
            h.put("resilience " + f.path("fault").asText(), f.path("failedRequests").asText() + " of " + f.path("requests").asText()
                    + " failed, " + (serves.isNumber() ? "serving again after " + fmt(serves.asDouble()) + " s" : "serving again: " + serves.asText()));
        }
        JsonNode m = sc.path("integrity").path("metricPoints");
        if (!m.isMissingNode()) {
            h.put("resilience integrity", m.path("lost").asText() + " lost, " + m.path("duplicated").asText() + " duplicated of "
                    + m.path("acknowledged").asText() + " acknowledged points; " + sc.path("integrity").path("uploads")
                    .path("acknowledgedButNotStoredIntact").asText() + " acknowledged uploads not intact");
        }
    }

    /** "component (role)" from the stack's components, e.g. "MariaDB (database)"; the role alone when it is unknown. */
    private static String component(String fault, JsonNode stack) {
        String role = fault.substring(fault.indexOf(' ') + 1);
        for (JsonNode c : stack.path("components")) {
            if (c.path("role").asText().equals(role)) {
                return c.path("name").asText() + " (" + role + ")";
            }
        }
        return "the " + role;
    }

    private static String seconds(JsonNode n) {
        return n.isNumber() ? fmt(n.asDouble()) : n.asText("-");
    }
}
