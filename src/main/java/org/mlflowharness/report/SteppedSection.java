package org.mlflowharness.report;

import static org.mlflowharness.report.CapacityReport.BREAKPOINT;
import static org.mlflowharness.report.CapacityReport.METRIC_LOGGING;
import static org.mlflowharness.report.Figures.fmt;
import static org.mlflowharness.report.Figures.listOf;
import static org.mlflowharness.report.Figures.orZero;
import static org.mlflowharness.report.Figures.sloText;
import static org.mlflowharness.report.Figures.values;
import static org.mlflowharness.report.ResourceSection.limit;
import static org.mlflowharness.report.ResourceSection.resources;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.mlflowharness.model.load.Integrity;
import org.mlflowharness.model.load.Requests;
import org.mlflowharness.model.load.SloLimits;
import org.mlflowharness.model.load.SteppedResult;
import org.mlflowharness.model.load.SteppedResult.Step;
import org.mlflowharness.report.chart.Chart;

/** The capacity report's part for a stepped scenario (metric-logging, mixed): finding, charts and tables per step. */
final class SteppedSection {

    private static final Requests NO_REQUESTS = new Requests(0, 0, 0, 0, Map.of(), 0, 0, 0, 0, null, null, Map.of());

    private SteppedSection() {}

    static void section(Document d, String kind, SteppedResult sc, boolean charts) {
        List<Step> steps = listOf(sc.steps());
        boolean ml = points(kind);
        boolean open = kind.equals(BREAKPOINT);
        List<String> labels = steps.stream().map(st -> stepLabel(kind, st)).toList();
        int knee = kneeIndex(steps);
        d.paragraph("Finding: " + steppedFinding(kind, steps, knee));
        if (sc.sizing() != null) {
            d.paragraph("Sizing: " + sizing(sc.sizing()));
            sweep(d, kind, sc.sizing(), charts);
        }
        if (sc.nginxVariantNote() != null) {
            d.paragraph(sc.nginxVariantNote());
        }
        SloLimits slo = sc.slo();
        if (charts && ml) {
            d.chart(Chart.of(
                            kind + "-throughput",
                            kind + ": offered vs acknowledged metric points/s per step",
                            stepAxis(kind),
                            "metric points/s",
                            labels)
                    .bar("offered points/s", values(steps, Step::offeredPointsPerSecond))
                    .bar("acknowledged points/s", values(steps, Step::acknowledgedPointsPerSecond))
                    .mark(knee, "knee: SLO broken"));
        }
        if (charts) {
            d.chart(Chart.of(
                            kind + "-latency",
                            kind + ": response time per step (all requests)",
                            stepAxis(kind),
                            "ms",
                            labels)
                    .line("p50", values(steps, st -> requests(st).p50Ms()))
                    .line("p95", values(steps, st -> requests(st).p95Ms()))
                    .line("p99", values(steps, st -> requests(st).p99Ms()))
                    .threshold("p95 SLO " + sloLimit(slo, SloLimits::p95Ms) + " ms", sloNumber(slo, SloLimits::p95Ms))
                    .threshold("p99 SLO " + sloLimit(slo, SloLimits::p99Ms) + " ms", sloNumber(slo, SloLimits::p99Ms))
                    .mark(knee, "knee: SLO broken"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step st = steps.get(i);
            Requests r = requests(st);
            List<String> row =
                    new ArrayList<>(List.of(String.valueOf(i + 1), String.valueOf(st.users()), fmt(st.rate())));
            if (ml) {
                row.add(fmt(orZero(st.offeredPointsPerSecond())));
                row.add(fmt(orZero(st.acknowledgedPointsPerSecond())));
            }
            if (open) {
                SteppedResult.Arrivals a = st.arrivals();
                row.add(a == null ? "-" : a.sent() + " of " + a.planned());
                row.add(a == null ? "-" : String.valueOf(a.notSent()));
                row.add(a == null ? "-" : String.valueOf(a.startedLate()));
            }
            row.addAll(List.of(
                    String.valueOf(r.requests()),
                    fmt(orZero(r.throughputRps())),
                    fmt(r.errorPct()),
                    String.valueOf(r.p50Ms()),
                    String.valueOf(r.p95Ms()),
                    String.valueOf(r.p99Ms()),
                    String.valueOf(r.maxMs()),
                    Boolean.TRUE.equals(st.metSlo()) ? "met" : "BROKEN: " + String.join("; ", listOf(st.breaches()))));
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of(
                "step",
                open ? "max in flight" : kind.equals(METRIC_LOGGING) ? "jobs" : "users",
                open ? "arrivals/s" : "iterations/s each"));
        if (ml) {
            header.addAll(List.of("offered points/s", "acknowledged points/s"));
        }
        if (open) {
            header.addAll(List.of("sent", "not sent on time", "started > 1 s late"));
        }
        header.addAll(List.of("requests", "requests/s", "errors %", "p50 ms", "p95 ms", "p99 ms", "max ms", "SLO"));
        d.paragraph("SLO: " + sloText(slo) + ".");
        d.table(header, rows);
        if (!ml) {
            requestTypes(d, kind, steps, labels, knee, slo, charts);
        }
        d.heading(3, kind + ": integrity per step");
        d.table(
                List.of(
                        "step",
                        "runs",
                        "acknowledged",
                        "stored",
                        "lost",
                        "duplicated",
                        "stored without ack",
                        "rows in metrics table",
                        "503s"),
                steps.stream()
                        .map(st -> {
                            Integrity g = st.integrity();
                            return List.of(
                                    stepLabel(kind, st),
                                    String.valueOf(g.runs()),
                                    String.valueOf(g.acknowledged()),
                                    String.valueOf(g.stored()),
                                    String.valueOf(g.lost()),
                                    String.valueOf(g.duplicated()),
                                    String.valueOf(g.unacknowledgedStored()),
                                    String.valueOf(g.dbRows()),
                                    String.valueOf(g.unavailable503Requests()));
                        })
                        .toList());
        resources(d, kind, labels, steps.stream().map(Step::resources).toList(), charts);
        ResourceSection.injector(
                d, kind, labels, steps.stream().map(Step::injector).toList());
    }

    /** mixed: p95 per request type per step. */
    private static void requestTypes(
            Document d, String kind, List<Step> steps, List<String> labels, int knee, SloLimits slo, boolean charts) {
        Set<String> types = new LinkedHashSet<>();
        steps.forEach(st -> types.addAll(byRequest(st).keySet()));
        if (types.isEmpty()) {
            return;
        }
        d.heading(3, kind + ": latency per request type");
        if (charts) {
            Chart c = Chart.of(
                    kind + "-by-request",
                    kind + ": p95 response time per request type per step",
                    stepAxis(kind),
                    "ms",
                    labels);
            for (String t : types) {
                c = c.line(
                        t,
                        values(
                                steps,
                                st -> byRequest(st).containsKey(t)
                                        ? byRequest(st).get(t).p95Ms()
                                        : null));
            }
            d.chart(c.threshold("p95 SLO " + sloLimit(slo, SloLimits::p95Ms) + " ms", sloNumber(slo, SloLimits::p95Ms))
                    .mark(knee, "knee: SLO broken"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (String t : types) {
            for (Step st : steps) {
                Requests r = byRequest(st).get(t);
                if (r != null) {
                    rows.add(List.of(
                            t,
                            stepLabel(kind, st),
                            String.valueOf(r.requests()),
                            fmt(r.errorPct()),
                            String.valueOf(r.p50Ms()),
                            String.valueOf(r.p95Ms()),
                            String.valueOf(r.p99Ms()),
                            String.valueOf(r.maxMs())));
                }
            }
        }
        d.table(List.of("request", "step", "requests", "errors %", "p50 ms", "p95 ms", "p99 ms", "max ms"), rows);
    }

    private static String steppedFinding(String kind, List<Step> steps, int knee) {
        if (steps.isEmpty()) {
            return kind + " ran no step.";
        }
        boolean ml = points(kind);
        StringBuilder f = new StringBuilder();
        int best = knee < 0 ? steps.size() - 1 : knee - 1;
        if (best < 0) {
            f.append("Not even the first step (")
                    .append(stepWords(kind, steps.get(0)))
                    .append(") met the SLO: ")
                    .append(String.join("; ", listOf(steps.get(0).breaches())))
                    .append(". ");
        } else {
            Step b = steps.get(best);
            Requests r = requests(b);
            f.append("This stack sustained ").append(stepWords(kind, b));
            if (ml) {
                f.append(", ")
                        .append(fmt(orZero(b.acknowledgedPointsPerSecond())))
                        .append(" metric points/s acknowledged (")
                        .append(fmt(orZero(b.offeredPointsPerSecond())))
                        .append(" offered)");
            } else {
                f.append(", ").append(fmt(orZero(r.throughputRps()))).append(" requests/s");
            }
            f.append(", at p95 ")
                    .append(r.p95Ms())
                    .append(" ms and p99 ")
                    .append(r.p99Ms())
                    .append(" ms with ")
                    .append(fmt(r.errorPct()))
                    .append(" % errors. ");
            if (knee < 0) {
                f.append(
                        "Every step met the SLO: the ramp did not reach the stack's limit (add higher steps to the profile). ");
            }
        }
        if (knee >= 0 && best >= 0) {
            f.append("The next step (")
                    .append(stepWords(kind, steps.get(knee)))
                    .append(") broke it: ")
                    .append(String.join("; ", listOf(steps.get(knee).breaches())))
                    .append(". ");
        }
        long notSent = steps.stream()
                .filter(st -> st.arrivals() != null)
                .mapToLong(st -> st.arrivals().notSent())
                .sum();
        if (kind.equals(BREAKPOINT)) {
            f.append("Requests not sent on time over the ramp: ")
                    .append(notSent)
                    .append(" (an arrival is not sent while the step's maximum of requests is unanswered). ");
        }
        Step at = steps.get(knee >= 0 ? knee : steps.size() - 1);
        f.append(limit(at.resources(), knee >= 0 ? "At that step" : "At the highest step"));
        long lost = steps.stream()
                .mapToLong(st -> st.integrity().lost() + st.integrity().duplicated())
                .sum();
        long acked =
                steps.stream().mapToLong(st -> st.integrity().acknowledged()).sum();
        f.append(
                lost == 0
                        ? " Every acknowledged metric point (" + acked + ") was stored exactly once."
                        : " INTEGRITY: " + lost
                                + " acknowledged metric point(s) were lost or duplicated (see the integrity table).");
        return f.toString();
    }

    /** The workers a target load needs, in words. */
    static String sizing(SteppedResult.Sizing z) {
        String target = "a target of " + z.targetJobs() + " training jobs x " + fmt(z.targetPointsPerSecondPerJob())
                + " metric points/s = " + fmt(z.targetPointsPerSecond()) + " points/s";
        if (z.workersNeeded() == null) {
            return target + " cannot be sized: " + z.basis() + ".";
        }
        String headroom = z.headroomPct() >= 0
                ? "has " + fmt(z.headroomPct()) + " % headroom over the target"
                : "is " + fmt(-z.headroomPct()) + " % short of the target";
        if (z.sweep() != null) {
            return target + " needs " + z.workersNeeded() + " MLflow worker(s); the stack as started ("
                    + fmt(z.sustainedPointsPerSecond()) + " points/s sustained with " + z.workers() + ") " + headroom
                    + ". Basis: " + z.basis() + ".";
        }
        return target + " needs " + z.workersNeeded() + " MLflow worker(s) at the measured "
                + fmt(orZero(z.pointsPerSecondPerWorker())) + " points/s per worker ("
                + fmt(z.sustainedPointsPerSecond())
                + " points/s sustained with " + z.workers() + "); the measured stack " + headroom
                + ". Basis: " + z.basis() + ".";
    }

    /** The worker sweep, when one ran: what each MLflow worker count sustained, as a chart and a table. */
    private static void sweep(Document d, String kind, SteppedResult.Sizing z, boolean charts) {
        if (z.sweep() == null) {
            if (z.sweepNotRun() != null) {
                d.paragraph("Worker sweep not run: " + z.sweepNotRun() + ".");
            }
            return;
        }
        List<SteppedResult.SweepPoint> points = z.sweep();
        List<String> labels =
                points.stream().map(p -> String.valueOf(p.workers())).toList();
        if (charts) {
            d.chart(Chart.of(
                            kind + "-workers",
                            kind + ": metric points/s sustained under the SLO per MLflow worker count",
                            "MLflow workers",
                            "metric points/s",
                            labels)
                    .bar(
                            "sustained points/s",
                            points.stream()
                                    .map(p -> (Double) p.sustainedPointsPerSecond())
                                    .toList())
                    .bar(
                            "per worker",
                            points.stream()
                                    .map(p -> (Double) p.pointsPerSecondPerWorker())
                                    .toList()));
        }
        d.heading(3, kind + ": MLflow worker sweep (the ramp again per --workers count)");
        d.table(
                List.of(
                        "MLflow workers",
                        "highest arrivals/s under SLO",
                        "points/s sustained",
                        "per worker",
                        "MLflow CPU cores",
                        "broken at"),
                points.stream()
                        .map(p -> List.of(
                                String.valueOf(p.workers()),
                                p.highestArrivalsPerSecond() == null ? "none" : fmt(p.highestArrivalsPerSecond()),
                                fmt(p.sustainedPointsPerSecond()),
                                fmt(p.pointsPerSecondPerWorker()),
                                p.mlflowCores() == null ? "not read" : fmt(p.mlflowCores()),
                                p.brokeBy() == null ? "no step broke the SLO" : p.brokeBy()))
                        .toList());
    }

    /** Index of the first step that did not meet its SLO, or -1. */
    static int kneeIndex(List<Step> steps) {
        for (int i = 0; i < steps.size(); i++) {
            if (Boolean.FALSE.equals(steps.get(i).metSlo())) {
                return i;
            }
        }
        return -1;
    }

    private static Requests requests(Step st) {
        return st.requests() == null ? NO_REQUESTS : st.requests();
    }

    private static Map<String, Requests> byRequest(Step st) {
        return requests(st).byRequest() == null ? Map.of() : requests(st).byRequest();
    }

    private static String sloLimit(SloLimits slo, Function<SloLimits, ? extends Number> f) {
        return slo == null || f.apply(slo) == null ? "" : String.valueOf(f.apply(slo));
    }

    private static Double sloNumber(SloLimits slo, Function<SloLimits, ? extends Number> f) {
        return slo == null || f.apply(slo) == null ? null : f.apply(slo).doubleValue();
    }

    /** Scenarios that log metric points (offered and acknowledged points/s). */
    private static boolean points(String kind) {
        return kind.equals(METRIC_LOGGING) || kind.equals(BREAKPOINT);
    }

    private static String stepLabel(String kind, Step st) {
        return switch (kind) {
            case METRIC_LOGGING -> st.users() + " jobs x " + fmt(st.rate()) + "/s";
            case BREAKPOINT -> fmt(st.rate()) + " arrivals/s";
            default -> st.users() + " users";
        };
    }

    private static String stepAxis(String kind) {
        return switch (kind) {
            case METRIC_LOGGING -> "step (concurrent training jobs x iterations/s each)";
            case BREAKPOINT -> "step (log-batch requests arriving per second, open model)";
            default -> "step (concurrent users)";
        };
    }

    static String stepWords(String kind, Step st) {
        return switch (kind) {
            case METRIC_LOGGING ->
                st.users() + " concurrent training jobs (" + fmt(orZero(st.offeredPointsPerSecond()))
                        + " points/s offered)";
            case BREAKPOINT ->
                fmt(st.rate()) + " log-batch requests arriving per second ("
                        + fmt(orZero(st.offeredPointsPerSecond())) + " points/s offered; at most " + st.users()
                        + " unanswered at once)";
            default -> st.users() + " concurrent users";
        };
    }
}
