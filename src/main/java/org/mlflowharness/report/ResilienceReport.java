package org.mlflowharness.report;

import static org.mlflowharness.report.Figures.fmt;
import static org.mlflowharness.report.Figures.listOf;
import static org.mlflowharness.report.Figures.orText;
import static org.mlflowharness.report.Figures.outcomes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.model.load.Integrity;
import org.mlflowharness.model.load.OrText;
import org.mlflowharness.model.load.Requests;
import org.mlflowharness.model.load.ResilienceResult;
import org.mlflowharness.model.load.ResilienceResult.Fault;
import org.mlflowharness.model.load.ResilienceResult.Marks;
import org.mlflowharness.model.load.ResilienceResult.Point;
import org.mlflowharness.model.load.ResilienceResult.ResilienceIntegrity;
import org.mlflowharness.model.load.ResilienceResult.SteadyLoad;
import org.mlflowharness.model.load.ResilienceResult.Timeline;
import org.mlflowharness.model.load.ResilienceResult.Uploads;
import org.mlflowharness.report.chart.Chart;

/**
 * The resilience scenario's part of the capacity report, from its result ({@code load.scenarios.resilience}):
 * the integrity outcome in words (the pass/fail figure), a table of the per-fault figures, and per fault a finding
 * (error window, failures by class, ready and serving again) and a chart of requests and errors per second around the
 * fault, its start, outage end, ready and serving-again moments marked.
 */
final class ResilienceReport {

    private ResilienceReport() {}

    static void section(Document d, ResilienceResult sc, boolean charts) {
        List<Fault> faults = listOf(sc.faults());
        d.paragraph("Finding: " + integrityFinding(sc.integrity()));
        SteadyLoad load = sc.load();
        Requests requests = sc.requests();
        d.paragraph("Steady load through nginx: " + load.trainingJobs() + " training jobs x "
                + fmt(load.iterationsPerSecond())
                + " iterations/s (batches of " + load.batchSize() + " points), " + load.uploadUsers()
                + " uploader(s) x "
                + fmt(load.uploadsPerSecond()) + " uploads/s of " + load.uploadSize() + ". Plan: "
                + String.join("; ", listOf(sc.plan()))
                + "; recovery allowed per fault: " + sc.recoverySeconds() + " s. In all "
                + (requests == null ? "" : requests.requests())
                + " requests, " + (requests == null ? "" : requests.errors()) + " failed ("
                + fmt(requests == null ? 0 : requests.errorPct())
                + " %), " + (sc.failedBeforeTheFirstFault() == null ? "?" : sc.failedBeforeTheFirstFault())
                + " of them before the first fault.");
        if (sc.nginxVariantNote() != null) {
            d.paragraph(sc.nginxVariantNote());
        }
        d.table(
                List.of(
                        "fault",
                        "started at s (planned)",
                        "outage s",
                        "requests",
                        "failed",
                        "first failed after s",
                        "last failed after s",
                        "failures by class",
                        "component ready after s",
                        "stack serves again after s"),
                faults.stream()
                        .map(f -> List.of(
                                f.fault(),
                                fmt(f.startedAtSeconds()) + " (" + fmt(f.plannedAtSeconds()) + ")",
                                fmt(f.outageSeconds()),
                                String.valueOf(f.requests()),
                                String.valueOf(f.failedRequests()),
                                seconds(f.errorWindow().firstFailedAfterSeconds()),
                                seconds(f.errorWindow().lastFailedAfterSeconds()),
                                f.failuresByClass() == null
                                                || f.failuresByClass().isEmpty()
                                        ? "-"
                                        : outcomes(f.failuresByClass()),
                                seconds(f.componentReadyAfterSeconds()),
                                seconds(f.servesAgainAfterSeconds())))
                        .toList());
        for (Fault f : faults) {
            d.heading(3, "resilience: " + f.fault());
            d.paragraph("Finding: " + faultFinding(f, sc.stack()));
            if (charts) {
                d.chart(timeline(f));
            }
        }
    }

    /** "restart database: 11 of the 129 requests ... failed, from +1 s to +6.2 s (503 x11); MariaDB was ready after ..." */
    static String faultFinding(Fault f, StackDescription stack) {
        StringBuilder s = new StringBuilder(f.fault()).append(": ");
        if (f.failedRequests() == 0) {
            s.append("none of the ").append(f.requests()).append(" requests until the next fault failed");
        } else {
            s.append(f.failedRequests())
                    .append(" of the ")
                    .append(f.requests())
                    .append(" requests until the next fault failed, from +")
                    .append(seconds(f.errorWindow().firstFailedAfterSeconds()))
                    .append(" s to +")
                    .append(seconds(f.errorWindow().lastFailedAfterSeconds()))
                    .append(" s (")
                    .append(outcomes(f.failuresByClass()))
                    .append(')');
        }
        OrText<Double> ready = f.componentReadyAfterSeconds();
        s.append("; ")
                .append(component(f.fault(), stack))
                .append(
                        ready != null && ready.figure().isPresent()
                                ? " was ready after " + fmt(ready.value()) + " s"
                                : " was not ready again");
        OrText<Double> serves = f.servesAgainAfterSeconds();
        s.append(
                serves != null && serves.figure().isPresent()
                        ? ", the stack served again after " + fmt(serves.value()) + " s"
                        : ", the stack did not serve again (" + (serves == null ? "" : serves.text()) + ")");
        if (f.error() != null) {
            s.append("; the fault itself failed: ").append(f.error());
        }
        return s.append('.').toString();
    }

    /** Every acknowledged metric point stored exactly once, every acknowledged upload stored intact: what passes or fails the run. */
    static String integrityFinding(ResilienceIntegrity integrity) {
        if (integrity == null) {
            return "integrity was not checked: the scenario ended before its check (see the failures below).";
        }
        Integrity m = integrity.metricPoints();
        Uploads u = integrity.uploads();
        long lost = m.lost();
        long duplicated = m.duplicated();
        long notIntact = u.acknowledgedButNotStoredIntact();
        String metrics = lost + duplicated == 0
                ? "every acknowledged metric point (" + m.acknowledged() + ") was stored exactly once"
                : lost + " of " + m.acknowledged() + " acknowledged metric points were lost and " + duplicated
                        + " duplicated";
        String uploads = notIntact == 0
                ? "every acknowledged upload (" + u.acknowledged() + " of " + u.sent() + " sent) was stored intact"
                : notIntact + " of " + u.acknowledged()
                        + " acknowledged uploads were not stored intact (SHA-256 differs or object missing)"
                        + (u.example() != null ? ", e.g. " + u.example() : "");
        String head = lost + duplicated + notIntact == 0
                ? "Integrity held through every fault (the pass/fail figure): "
                : "INTEGRITY BROKEN (the pass/fail figure): ";
        long unacked = m.unacknowledgedStored();
        return head + metrics + "; " + uploads + "."
                + (unacked > 0
                        ? " " + unacked
                                + " metric point(s) were stored although their request failed (written, but the answer "
                                + "was lost: not a loss of acknowledged data)."
                        : "");
    }

    /** Requests and errors per second relative to the fault's start, the fault's moments marked. */
    static Chart timeline(Fault f) {
        String fault = f.fault();
        Timeline t = f.timeline();
        List<Point> points = listOf(t.points());
        List<Long> second = points.stream().map(Point::second).toList();
        Chart c = Chart.of(
                        "resilience-" + fault.replaceAll("[^A-Za-z0-9]+", "-"),
                        fault + ": requests and errors per second",
                        "seconds since the fault started (" + t.bucketSeconds() + " s buckets)",
                        "requests/s",
                        second.stream().map(String::valueOf).toList())
                .line(
                        "requests/s",
                        points.stream().map(p -> (double) p.requests()).toList())
                .bar("errors/s", points.stream().map(p -> (double) p.errors()).toList());
        Marks marks = t.marks();
        List<Map.Entry<String, Double>> moments = new ArrayList<>(List.of(Map.entry("fault starts", marks.faultAt())));
        if (marks.outageEndsAt() != marks.faultAt()) {
            moments.add(Map.entry("outage ends", marks.outageEndsAt()));
        }
        if (marks.readyAt() != null) {
            moments.add(Map.entry("ready", marks.readyAt()));
        }
        if (marks.servesAgainAt() != null) {
            moments.add(Map.entry("serving again", marks.servesAgainAt()));
        }
        for (Map.Entry<String, Double> e : moments) {
            double at = e.getValue();
            String label = e.getKey().equals("fault starts") ? e.getKey() : e.getKey() + " +" + fmt(at) + " s";
            c = c.mark(second.indexOf((long) Math.floor(at)), label);
        }
        return c;
    }

    /** Per fault its failures and recovery, and the integrity outcome: headline figures to compare runs by. */
    static void headlines(ResilienceResult sc, Map<String, String> h) {
        for (Fault f : listOf(sc.faults())) {
            OrText<Double> serves = f.servesAgainAfterSeconds();
            h.put(
                    "resilience " + f.fault(),
                    f.failedRequests() + " of " + f.requests() + " failed, "
                            + (serves.figure().isPresent()
                                    ? "serving again after " + fmt(serves.value()) + " s"
                                    : "serving again: " + serves.text()));
        }
        if (sc.integrity() != null) {
            Integrity m = sc.integrity().metricPoints();
            h.put(
                    "resilience integrity",
                    m.lost() + " lost, " + m.duplicated() + " duplicated of " + m.acknowledged()
                            + " acknowledged points; "
                            + sc.integrity().uploads().acknowledgedButNotStoredIntact()
                            + " acknowledged uploads not intact");
        }
    }

    /** "component (role)" from the stack's components, e.g. "MariaDB (database)"; the role alone when it is unknown. */
    private static String component(String fault, StackDescription stack) {
        String role = fault.substring(fault.indexOf(' ') + 1);
        for (StackDescription.Component c :
                stack == null ? List.<StackDescription.Component>of() : stack.components()) {
            if (c.role().equals(role)) {
                return c.name() + " (" + role + ")";
            }
        }
        return "the " + role;
    }

    private static String seconds(OrText<Double> n) {
        return orText(n, "-");
    }
}
