package org.mlflowharness.report;

import static org.mlflowharness.report.Figures.fmt;
import static org.mlflowharness.report.Figures.listOf;
import static org.mlflowharness.report.Figures.orDash;
import static org.mlflowharness.report.Figures.sloText;
import static org.mlflowharness.report.Figures.values;
import static org.mlflowharness.report.ResourceSection.resources;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlflowharness.model.load.Requests;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.VolumeResult;
import org.mlflowharness.model.load.VolumeResult.Fill;
import org.mlflowharness.model.load.VolumeResult.Level;
import org.mlflowharness.report.chart.Chart;

/**
 * The capacity report's part for the data-volume scenario: a finding (how the reads and the logging changed from the
 * smallest to the largest volume, what the fill took), a chart of each read's p95 and of the logging rate against
 * volume, and tables of the levels, the fill, and the resources.
 */
final class VolumeSection {

    private VolumeSection() {}

    static void section(Document d, VolumeResult v, boolean charts) {
        List<Level> levels = listOf(v.levels());
        List<String> labels = levels.stream().map(VolumeSection::label).toList();
        d.paragraph("Finding: " + finding(levels));
        VolumeResult.Shape s = v.shape();
        if (s != null) {
            d.paragraph("Fill " + v.fillId() + ": runs of " + s.params() + " params, " + s.tags() + " tags and "
                    + s.metricKeys() + " metrics x " + s.stepsPerKey() + " steps, " + s.runsPerExperiment()
                    + " runs per experiment, logged by " + s.writers()
                    + " parallel writers with log-batch at the API's "
                    + "limit. Measured at each level: " + s.users() + " readers at " + fmt(s.rate())
                    + " iterations/s each for " + s.durationSeconds() + " s (a run search over the fill with a param "
                    + "and a metric filter ordered by the metric, the history of a " + s.historySteps()
                    + "-step metric, an experiment listing, a listing of " + s.artifacts() + " artifacts), then "
                    + s.users() + " training jobs logging batches of " + s.batchSize() + " points. SLO: "
                    + sloText(v.slo()) + ".");
        }
        if (v.probe() != null) {
            d.paragraph("Measured fixture: " + v.probe() + ".");
        }
        if (v.keptFill() != null) {
            d.paragraph("Fill kept: " + v.keptFill() + ".");
        }
        if (v.nginxVariantNote() != null) {
            d.paragraph(v.nginxVariantNote());
        }
        List<String> reads = readNames(levels);
        if (charts && !levels.isEmpty()) {
            Chart c = Chart.of(
                    "data-volume-reads",
                    "data-volume: p95 of each read against store volume",
                    "runs (metric points) in the store",
                    "ms",
                    labels);
            for (String name : reads) {
                c = c.line(
                        name,
                        values(
                                levels,
                                l -> read(l, name) == null
                                        ? null
                                        : read(l, name).p95Ms()));
            }
            d.chart(c.threshold(
                    "p95 SLO " + orDash(v.slo() == null ? null : v.slo().p95Ms()) + " ms",
                    v.slo() == null ? null : v.slo().p95Ms()));
            d.chart(Chart.of(
                            "data-volume-logging",
                            "data-volume: logging at each store volume",
                            "runs (metric points) in the store",
                            "acknowledged metric points/s",
                            labels)
                    .bar("acknowledged points/s", values(levels, Level::loggedPointsPerSecond)));
        }
        List<String> header = new ArrayList<>(List.of("runs", "metric points"));
        reads.forEach(r -> header.add(r + " p50 / p95 ms"));
        header.addAll(List.of("logging points/s", "logging p95 ms", "lost / duplicated", "SLO"));
        List<List<String>> rows = new ArrayList<>();
        for (Level l : levels) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(l.runs()), String.valueOf(l.metricPoints())));
            for (String name : reads) {
                Requests r = read(l, name);
                row.add(
                        r == null
                                ? "-"
                                : r.p50Ms() + " / " + r.p95Ms()
                                        + (r.errors() > 0 ? " (" + r.errors() + " errors)" : ""));
            }
            row.add(orDash(l.loggedPointsPerSecond()));
            row.add(l.logging() == null ? "-" : String.valueOf(l.logging().p95Ms()));
            row.add(
                    l.integrity() == null
                            ? "-"
                            : l.integrity().lost() + " / " + l.integrity().duplicated());
            row.add(l.metSlo() ? "met" : String.join("; ", listOf(l.breaches())));
            rows.add(row);
        }
        d.table(header, rows);
        d.paragraph("The fill per level:");
        List<List<String>> fills = new ArrayList<>();
        for (Level l : levels) {
            Fill f = l.fill();
            fills.add(
                    f == null
                            ? List.of(String.valueOf(l.targetRuns()), "-", "-", "-", "-", "-", "-")
                            : List.of(
                                    String.valueOf(l.targetRuns()),
                                    String.valueOf(f.runsReused()),
                                    String.valueOf(f.runsAdded()),
                                    String.valueOf(f.pointsAdded()),
                                    String.valueOf(f.requests()),
                                    fmt(f.seconds()),
                                    fmt(f.pointsPerSecond()) + (f.cut() != null ? " (" + f.cut() + ")" : "")));
        }
        d.table(
                List.of("level (runs)", "runs reused", "runs added", "points added", "requests", "seconds", "points/s"),
                fills);
        List<ResourceWindow> windows = new ArrayList<>();
        List<String> windowLabels = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            windows.add(levels.get(i).readResources());
            windowLabels.add(labels.get(i) + " reads");
            windows.add(levels.get(i).loggingResources());
            windowLabels.add(labels.get(i) + " logging");
        }
        resources(d, "data-volume", windowLabels, windows, charts);
    }

    /** How the reads and the logging changed from the first level to the last, and what the largest fill took. */
    static String finding(List<Level> levels) {
        if (levels.isEmpty()) {
            return "no level was measured.";
        }
        Level first = levels.get(0);
        Level last = levels.get(levels.size() - 1);
        List<String> parts = new ArrayList<>();
        for (String name : readNames(levels)) {
            Requests a = read(first, name);
            Requests b = read(last, name);
            if (a != null && b != null) {
                parts.add(name + " p95 " + a.p95Ms() + " -> " + b.p95Ms() + " ms");
            }
        }
        String logging = "logging " + orDash(first.loggedPointsPerSecond()) + " -> "
                + orDash(last.loggedPointsPerSecond()) + " points/s";
        String fill = levels.stream()
                .map(Level::fill)
                .filter(f -> f != null && f.runsAdded() > 0)
                .reduce((x, y) -> y)
                .map(f -> "; the fill added " + f.pointsAdded() + " metric points in " + fmt(f.seconds()) + " s ("
                        + fmt(f.pointsPerSecond()) + " points/s with " + f.writers() + " writers)")
                .orElse("");
        List<String> breached = levels.stream()
                .filter(l -> !l.metSlo())
                .map(VolumeSection::label)
                .toList();
        return "from " + label(first) + " to " + label(last) + ": " + String.join(", ", parts) + "; " + logging + fill
                + (breached.isEmpty()
                        ? "; the SLO held at every level."
                        : "; SLO broken at " + String.join(", ", breached) + ".");
    }

    static String label(Level l) {
        return l.runs() + " runs (" + points(l.metricPoints()) + " points)";
    }

    private static String points(long n) {
        return n >= 1_000_000 ? fmt(n / 1e6) + "M" : n >= 1000 ? fmt(n / 1e3) + "k" : String.valueOf(n);
    }

    private static Requests read(Level l, String name) {
        return l.reads() == null || l.reads().byRequest() == null
                ? null
                : l.reads().byRequest().get(name);
    }

    private static List<String> readNames(List<Level> levels) {
        Set<String> names = new LinkedHashSet<>();
        levels.forEach(l -> {
            if (l.reads() != null && l.reads().byRequest() != null) {
                names.addAll(l.reads().byRequest().keySet());
            }
        });
        return List.copyOf(names);
    }

    static Map<String, String> headlines(VolumeResult v) {
        List<Level> levels = listOf(v.levels());
        return levels.isEmpty() ? Map.of() : Map.of("data-volume", finding(levels));
    }
}
