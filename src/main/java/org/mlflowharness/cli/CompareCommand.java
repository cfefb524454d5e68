package org.mlflowharness.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mlflowharness.compare.BehaviourDiff;
import org.mlflowharness.compare.ComparisonReport;
import org.mlflowharness.compare.DecisionRule;
import org.mlflowharness.compare.LoadMetrics;
import org.mlflowharness.compare.PerformanceRounds;
import org.mlflowharness.compare.Thresholds;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.Option;
import org.mlflowharness.config.StackSpec;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.ScenarioKind;
import org.mlflowharness.load.run.LoadRunner;
import org.mlflowharness.report.CheckOutcome;
import org.mlflowharness.report.RunReport;
import org.mlflowharness.suites.support.StackSession;
import picocli.CommandLine.Command;

/**
 * {@code ./harness compare --baseline mlflow=3.16.1 --candidate mlflow=3.17.2 --profile smoke}: both stacks up side by
 * side (native, each in its own work directory), the same suites on each (behaviour diff), then the same load profile
 * on each in interleaved rounds (A B B A ...) for the performance table with run-to-run spreads.
 */
@Command(
        name = "compare",
        abbreviateSynopsis = true,
        sortOptions = false,
        description = {
            "Compare a candidate with a baseline on this machine: the same suites on both (every check whose outcome "
                    + "or observed value differs) and the same load profile in interleaved rounds (a bootstrap interval per metric; "
                    + "exit 1 on a regression (thresholds: scenarios/compare-thresholds.yaml), 3 when inconclusive (busy machine)."
        })
final class CompareCommand extends HarnessCommand {

    CompareCommand(Harness harness) {
        super(harness);
    }

    @Override
    List<Option> options() {
        return Option.ownNativeStacks(
                List.of(Option.DETACH, Option.KEEP_DATA, Option.LOAD_FAULT, Option.FAULT),
                Option.BASELINE,
                Option.CANDIDATE,
                Option.ROUNDS,
                Option.CALIBRATE);
    }

    @Override
    int run(HarnessConfig config) {
        requireNativeStack(config, "compare runs two native stacks side by side");
        StackSpec baseline = StackSpec.parse("--baseline", config.get(Option.BASELINE));
        StackSpec candidate = config.optional(Option.CANDIDATE)
                .map(t -> StackSpec.parse("--candidate", t))
                .orElse(new StackSpec("", Map.of()));
        Profile profile = LoadCommand.profile(config);
        List<ScenarioKind> kinds = LoadCommand.selection("all", profile);
        int rounds = config.rounds().orElse(roundsNeeded(profile, kinds));
        boolean calibrate = config.flag(Option.CALIBRATE);
        Thresholds thresholds;
        try {
            thresholds = Thresholds.load(LoadCommand.scenariosDir());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        HarnessConfig base = config.with(Option.STACK, "native");
        HarnessConfig a = baseline.apply(base)
                .with(
                        Option.WORK_DIR,
                        config.workDir().resolve("compare-baseline").toString());
        HarnessConfig b = candidate
                .apply(base)
                .with(
                        Option.WORK_DIR,
                        config.workDir().resolve("compare-candidate").toString());
        List<String> tags = config.suiteTags();

        RunSession run = session(config);
        ComparisonReport report = new ComparisonReport();
        report.baseline = baseline.describe(base);
        report.candidate = candidate.describe(base);
        report.profile = profile.name();
        report.roundsPerSide = rounds;
        report.thresholdsPct = new java.util.LinkedHashMap<>();
        thresholds.pct().forEach((k, v) -> report.thresholdsPct.put(k.name(), v));
        run.section("comparison", report);
        out().println("compare: baseline " + report.baseline + " vs candidate " + report.candidate + ", profile "
                + profile.name() + ", " + rounds + " load rounds each" + (calibrate ? ", calibrated first" : ""));
        run.stageValue("stack-baseline", () -> harness.start(a, run)).ifPresent(sa -> {
            try {
                run.stack(sa.stack());
                report.baselineStack = sa.stack().description();
                run.stageValue("stack-candidate", () -> harness.start(b, run)).ifPresent(sb -> {
                    try {
                        report.candidateStack = sb.stack().description();
                        out().println("baseline:\n" + sa.stack().description().summaryLines() + "candidate:\n"
                                + sb.stack().description().summaryLines());
                        SuiteRunner runner = new SuiteRunner(out()::println, config.suiteThreads());
                        run.onStack("suites-baseline", () -> {
                            StackSession.use(sa.stack());
                            report.baselineSuites = RunSession.requireTestsRan(runner.run(tags));
                        });
                        List<CheckOutcome> checksA = runner.checks();
                        run.onStack("suites-candidate", () -> {
                            StackSession.use(sb.stack());
                            report.candidateSuites = RunSession.requireTestsRan(runner.run(tags));
                        });
                        if (report.baselineSuites != null && report.candidateSuites != null) {
                            report.checksCompared =
                                    Math.max(checksA.size(), runner.checks().size());
                            report.behaviour = BehaviourDiff.of(checksA, runner.checks());
                            out().println("behaviour: " + report.behaviour.size() + " difference(s) in "
                                    + report.checksCompared + " checks");
                            report.behaviour.forEach(d -> out().println("  " + d.kind() + " " + d.suite() + " / "
                                    + d.check() + ": " + d.baseline() + " -> " + d.candidate()));
                        }
                        if (calibrate) {
                            run.onStack("calibration", () -> {
                                PerformanceRounds self = new PerformanceRounds();
                                for (int i = 0; i < CALIBRATION_ROUNDS; i++) {
                                    out().println("calibration round " + (i + 1) + "/" + CALIBRATION_ROUNDS
                                            + ": baseline " + report.baseline);
                                    self.add(true, round(run, sa, profile, kinds, "calibration-" + (i + 1)));
                                }
                                report.calibration = self.noise(thresholds, rounds);
                                report.calibration.forEach(n -> out().println(String.format(
                                        Locale.ROOT,
                                        "  noise %s: CV %.1f %%, detectable %.1f %% at %d rounds per side",
                                        n.metric(),
                                        n.cvPct(),
                                        n.detectablePct(),
                                        rounds)));
                            });
                        }
                        run.onStack("load-rounds", () -> {
                            PerformanceRounds perf = new PerformanceRounds();
                            for (int i = 0; i < 2 * rounds; i++) {
                                boolean isA = PerformanceRounds.baselineRunsAt(i);
                                report.order.add((isA ? "A" : "B") + (i + 1));
                                out().println("load round " + (i + 1) + "/" + 2 * rounds + ": "
                                        + (isA ? "baseline " + report.baseline : "candidate " + report.candidate));
                                perf.add(
                                        isA,
                                        round(
                                                run,
                                                isA ? sa : sb,
                                                profile,
                                                kinds,
                                                "round-" + (i + 1) + "-" + (isA ? "baseline" : "candidate")));
                            }
                            report.performance = perf.compare(
                                    thresholds, report.calibration == null ? List.of() : report.calibration);
                            report.performance.forEach(m -> out().println("  " + m.metric() + ": "
                                    + m.verdict().text() + (m.changePct() == null ? "" : " " + m.changePct() + " %")
                                    + (m.intervalLowPct() == null
                                            ? ""
                                            : " [" + m.intervalLowPct() + ", " + m.intervalHighPct() + "]")
                                    + (m.reason() == null ? "" : " (" + m.reason() + ")")));
                        });
                    } finally {
                        run.stage("stop-candidate", sb::close);
                    }
                });
            } finally {
                run.stage("stop-baseline", sa::close);
            }
        });
        RunReport finished = run.finish();
        return finished.exitCode();
    }

    /** Rounds of the baseline alone that {@code --calibrate} runs first. */
    static final int CALIBRATION_ROUNDS = 3;

    /** The rounds per side the decision rule needs for the profile's scenarios: the most any of its figures needs. */
    static int roundsNeeded(Profile profile, List<ScenarioKind> kinds) {
        return kinds.stream()
                .mapToInt(k -> DecisionRule.roundsNeeded(
                        k == ScenarioKind.METRIC_LOGGING || k == ScenarioKind.MIXED
                                ? Double.valueOf(profile.settings(k).durationSeconds())
                                : null))
                .max()
                .orElse(2);
    }

    /** The stacks warmed up by an earlier round, with the round that did. */
    private final Map<Harness.Started, String> warm = new java.util.HashMap<>();

    /**
     * One load round of the profile on one side, through that side's own nginx: its comparable figures. Only a side's
     * first round warms its stack up; later ones measure from their first step.
     */
    private Map<String, LoadMetrics.Figure> round(
            RunSession run, Harness.Started side, Profile profile, List<ScenarioKind> kinds, String dir) {
        Profile through = profile.throughVariant(side.stack().description().nginxVariant());
        LoadRunner runner = new LoadRunner(
                side.stack(),
                through,
                false,
                run.writer().gatlingDir().resolve(dir),
                out()::println,
                side.provider(),
                "");
        if (warm.containsKey(side)) {
            runner.alreadyWarm(warm.get(side) + " on the same stack");
        } else {
            warm.put(side, dir);
        }
        return LoadMetrics.of(runner.run(kinds).load());
    }
}
