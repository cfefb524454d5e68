package org.mlflowharness.compare;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.report.Html;
import org.mlflowharness.report.ReportSection;
import org.mlflowharness.report.SuiteResult;

/**
 * The {@code comparison} section of the report: both sides (spec and the components that actually ran), the behaviour
 * diff of the suites, the calibration (noise floor) when measured, and the performance table (baseline, candidate,
 * change and its interval, detectable change, rounds used, verdict and why, per metric) with the rounds in the order
 * they ran and the machine's load in each. Rendered into summary.md and, side by side, into comparison.html.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ComparisonReport implements ReportSection {

    public static final String NOISE = "Figures come from one shared machine with other work running on it: they are "
            + "noisy. That is why the sides run interleaved (A B B A ...), a change counts only when its confidence "
            + "interval over rounds excludes 0, and a round measured while other processes kept the machine busy is "
            + "never evidence of a regression (inconclusive: run again).";

    public String baseline;
    public String candidate;
    public StackDescription baselineStack;
    public StackDescription candidateStack;
    public String profile;
    public List<String> order = new ArrayList<>();
    public Map<String, Double> thresholdsPct;
    public String rule = DecisionRule.TEXT;
    public Integer roundsPerSide;
    public List<PerformanceRounds.Noise> calibration;
    public List<SuiteResult> baselineSuites;
    public List<SuiteResult> candidateSuites;
    public Integer checksCompared;
    public List<BehaviourDiff.Difference> behaviour;
    public List<MetricComparison> performance;
    public List<String> notes = new ArrayList<>(List.of(NOISE));

    @Override
    public String failure() {
        List<String> reasons = new ArrayList<>();
        if (behaviour != null) {
            behaviour.stream()
                    .filter(d -> d.kind().equals("REGRESSION"))
                    .forEach(d -> reasons.add("check " + d.suite() + " / " + d.check()
                            + " passed on the baseline and fails on the candidate"));
        }
        if (performance != null) {
            performance.stream()
                    .filter(m -> m.verdict() == MetricComparison.Verdict.REGRESSION)
                    .forEach(m -> reasons.add(m.metric() + " " + pct(m.changePct()) + " (" + interval(m)
                            + ", threshold " + m.thresholdPct() + " %, rounds " + m.roundsUsed() + ")"));
        }
        return reasons.isEmpty()
                ? null
                : "comparison: " + reasons.size() + " regression(s): " + String.join("; ", reasons);
    }

    /** The metrics the rule could not decide (busy machine, too few rounds): the run is inconclusive, not passed. */
    @Override
    public String inconclusive() {
        List<MetricComparison> open = performance == null
                ? List.of()
                : performance.stream()
                        .filter(m -> m.verdict() == MetricComparison.Verdict.INCONCLUSIVE)
                        .toList();
        if (open.isEmpty()) {
            return null;
        }
        return "comparison: " + open.size() + " of " + performance.size() + " metric(s) inconclusive, no regression: "
                + open.stream()
                        .limit(3)
                        .map(m -> m.metric() + " " + pct(m.changePct()) + " (" + interval(m) + "): " + m.reason())
                        .collect(Collectors.joining("; "))
                + (open.size() > 3 ? "; ..." : "");
    }

    private static String interval(MetricComparison m) {
        return m.intervalLowPct() == null
                ? "no interval"
                : String.format(
                        Locale.ROOT, "95 %% interval %+.1f .. %+.1f %%", m.intervalLowPct(), m.intervalHighPct());
    }

    private List<String> headersComponents() {
        return List.of("role", "baseline: " + baseline, "candidate: " + candidate);
    }

    private List<List<String>> componentRows() {
        List<List<String>> rows = new ArrayList<>();
        if (baselineStack == null || candidateStack == null) {
            return rows;
        }
        for (StackDescription.Component c : baselineStack.components()) {
            String other = candidateStack.components().stream()
                    .filter(x -> x.role().equals(c.role()))
                    .findFirst()
                    .map(ComparisonReport::component)
                    .orElse("-");
            rows.add(List.of(c.role(), component(c), other));
        }
        return rows;
    }

    private static String component(StackDescription.Component c) {
        return c.name() + " " + c.version() + (c.standInFor() == null ? "" : " (stand-in for " + c.standInFor() + ")");
    }

    private static final List<String> BEHAVIOUR_HEADERS =
            List.of("suite", "check", "difference", "baseline", "candidate");
    private static final List<String> PERF_HEADERS = List.of(
            "metric",
            "unit",
            "baseline",
            "candidate",
            "change",
            "95 % interval",
            "detectable",
            "rounds used",
            "verdict",
            "baseline rounds",
            "candidate rounds",
            "other processes, cores (A; B)",
            "stack's time lost waiting for their CPU, % (A; B)");
    private static final List<String> NOISE_HEADERS = List.of(
            "metric", "unit", "rounds", "noise (CV)", "detectable at rounds", "threshold", "rounds to detect it");

    private List<List<String>> behaviourRows() {
        return behaviour == null
                ? List.of()
                : behaviour.stream()
                        .map(d -> List.of(d.suite(), d.check(), d.kind(), d.baseline(), d.candidate()))
                        .toList();
    }

    private List<List<String>> perfRows() {
        return performance == null
                ? List.of()
                : performance.stream()
                        .map(m -> List.of(
                                m.metric(),
                                m.unit(),
                                num(m.baseline()),
                                num(m.candidate()),
                                pct(m.changePct()),
                                m.intervalLowPct() == null
                                        ? "-"
                                        : pct(m.intervalLowPct()).replace(" %", "") + " .. " + pct(m.intervalHighPct()),
                                m.detectablePct() == null
                                        ? "-"
                                        : String.format(Locale.ROOT, "%.1f %%", m.detectablePct()),
                                m.roundsUsed() == null ? "-" : m.roundsUsed(),
                                m.verdict().text()
                                        + (m.verdict() == MetricComparison.Verdict.REGRESSION
                                                ? " (> " + m.thresholdPct() + " %)"
                                                : "")
                                        + (m.reason() == null ? "" : ": " + m.reason()),
                                rounds(m.baselineRounds()),
                                rounds(m.candidateRounds()),
                                rounds(m.baselineOtherCores()) + "; " + rounds(m.candidateOtherCores()),
                                waits(m.baselineOutsideWaitPct()) + "; " + waits(m.candidateOutsideWaitPct())))
                        .toList();
    }

    private List<List<String>> noiseRows() {
        return calibration.stream()
                .map(n -> List.of(
                        n.metric(),
                        n.unit(),
                        rounds(n.rounds()),
                        String.format(Locale.ROOT, "%.1f %%", n.cvPct()),
                        String.format(Locale.ROOT, "%.1f %% at %d", n.detectablePct(), n.roundsPerSide()),
                        n.thresholdPct() + " %",
                        n.roundsForThreshold() < 0 ? "more than 10" : String.valueOf(n.roundsForThreshold())))
                .toList();
    }

    private String ruleLine() {
        return "Rule: " + rule + "; " + (roundsPerSide == null ? "" : roundsPerSide + " rounds per side. ")
                + "A metric is inconclusive (exit 3 when nothing regressed) when the interval says significant but the "
                + "rounds were too few or the machine was busy.";
    }

    @Override
    public String markdown() {
        StringBuilder md = new StringBuilder("## Comparison: ")
                .append(baseline)
                .append(" vs ")
                .append(candidate)
                .append("\n\n");
        notes.forEach(n -> md.append(n).append("\n\n"));
        table(md, headersComponents(), componentRows());
        md.append("Load profile ")
                .append(profile)
                .append(", rounds in this order: ")
                .append(String.join(" ", order))
                .append("\n\n");
        md.append("### Behaviour: ")
                .append(
                        behaviour == null
                                ? "not compared"
                                : behaviour.size() + " difference(s) in " + checksCompared + " checks")
                .append("\n\n");
        if (behaviour != null && !behaviour.isEmpty()) {
            table(md, BEHAVIOUR_HEADERS, behaviourRows());
        }
        if (calibration != null) {
            md.append("### Calibration: the baseline against itself\n\n");
            table(md, NOISE_HEADERS, noiseRows());
        }
        md.append("### Performance\n\n").append(ruleLine()).append("\n\n");
        if (performance == null || performance.isEmpty()) {
            md.append("not compared\n\n");
        } else {
            table(md, PERF_HEADERS, perfRows());
        }
        return md.toString();
    }

    @Override
    public String html() {
        String f = failure() != null ? failure() : inconclusive();
        StringBuilder b = new StringBuilder();
        b.append("<p class=\"verdict\">")
                .append(f == null ? "No regression" : Html.escape(f))
                .append("</p>\n");
        notes.forEach(n -> b.append("<p>").append(Html.escape(n)).append("</p>\n"));
        b.append("<h2>Stacks</h2>\n").append(Html.table(headersComponents(), componentRows(), null));
        b.append("<h2>Behaviour</h2>\n<p>")
                .append(
                        behaviour == null
                                ? "not compared"
                                : behaviour.size() + " difference(s) in " + checksCompared + " checks")
                .append("</p>\n");
        if (behaviour != null && !behaviour.isEmpty()) {
            b.append(Html.table(
                    BEHAVIOUR_HEADERS,
                    behaviourRows(),
                    behaviour.stream()
                            .map(d -> d.kind().equals("REGRESSION")
                                    ? "regression"
                                    : d.kind().equals("fixed") ? "improvement" : "differs")
                            .toList()));
        }
        b.append("<h2>Performance</h2>\n<p>Profile ")
                .append(Html.escape(profile))
                .append("; rounds: ")
                .append(Html.escape(String.join(" ", order)))
                .append("</p>\n<p>")
                .append(Html.escape(ruleLine()))
                .append("</p>\n");
        if (calibration != null) {
            b.append("<h2>Calibration: the baseline against itself</h2>\n")
                    .append(Html.table(NOISE_HEADERS, noiseRows(), null));
        }
        if (performance != null && !performance.isEmpty()) {
            b.append(Html.table(
                    PERF_HEADERS,
                    perfRows(),
                    performance.stream()
                            .map(m -> switch (m.verdict()) {
                                case REGRESSION -> "regression";
                                case BETTER -> "improvement";
                                case WORSE_WITHIN_THRESHOLD, INCONCLUSIVE -> "differs";
                                default -> "";
                            })
                            .toList()));
        }
        return Html.page("Comparison: " + baseline + " vs " + candidate, b.toString());
    }

    private static void table(StringBuilder md, List<String> headers, List<List<String>> rows) {
        md.append("| ")
                .append(String.join(" | ", headers))
                .append(" |\n|")
                .append("---|".repeat(headers.size()))
                .append('\n');
        rows.forEach(r -> md.append("| ")
                .append(r.stream()
                        .map(c -> c.replace("|", "\\|").replace("\n", " "))
                        .collect(Collectors.joining(" | ")))
                .append(" |\n"));
        md.append('\n');
    }

    private static String num(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%+.1f %%", v);
    }

    private static String waits(List<Double> values) {
        return values == null
                ? "-"
                : values.stream()
                        .map(v -> v == null ? "-" : String.valueOf(Math.round(v)))
                        .collect(Collectors.joining(", "));
    }

    private static String rounds(List<Double> values) {
        return values.stream()
                .map(v -> v == null ? "-" : String.format(Locale.ROOT, "%.2f", v))
                .collect(Collectors.joining(", "));
    }
}
