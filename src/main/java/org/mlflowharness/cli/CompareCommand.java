package org.mlflowharness.cli;

import java.util.List;
import java.util.Map;
import org.mlflowharness.compare.BehaviourDiff;
import org.mlflowharness.compare.ComparisonReport;
import org.mlflowharness.compare.LoadMetrics;
import org.mlflowharness.compare.PerformanceRounds;
import org.mlflowharness.compare.Thresholds;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.Option;
import org.mlflowharness.config.StackSpec;
import org.mlflowharness.load.Profile;
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
                    + "or observed value differs) and the same load profile in interleaved rounds (change vs run-to-run spread); "
                    + "exit 1 on a regression (thresholds: scenarios/compare-thresholds.yaml)."
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
                Option.ROUNDS);
    }

    @Override
    int run(HarnessConfig config) {
        requireNativeStack(config, "compare runs two native stacks side by side");
        StackSpec baseline = StackSpec.parse("--baseline", config.get(Option.BASELINE));
        StackSpec candidate = config.optional(Option.CANDIDATE)
                .map(t -> StackSpec.parse("--candidate", t))
                .orElse(new StackSpec("", Map.of()));
        int rounds = config.rounds();
        Profile profile = LoadCommand.profile(config);
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
        report.thresholdsPct = new java.util.LinkedHashMap<>();
        thresholds.pct().forEach((k, v) -> report.thresholdsPct.put(k.name(), v));
        run.section("comparison", report);
        out().println("compare: baseline " + report.baseline + " vs candidate " + report.candidate + ", profile "
                + profile.name() + ", " + rounds + " load rounds each");
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
                        run.onStack("load-rounds", () -> {
                            PerformanceRounds perf = new PerformanceRounds();
                            for (int i = 0; i < 2 * rounds; i++) {
                                boolean isA = PerformanceRounds.baselineRunsAt(i);
                                Harness.Started side = isA ? sa : sb;
                                String label = (isA ? "A" : "B") + (i + 1);
                                report.order.add(label);
                                out().println("load round " + (i + 1) + "/" + 2 * rounds + ": "
                                        + (isA ? "baseline " + report.baseline : "candidate " + report.candidate));
                                Profile through = profile.throughVariant(
                                        side.stack().description().nginxVariant());
                                LoadRunner.Result result = new LoadRunner(
                                                side.stack(),
                                                through,
                                                false,
                                                run.writer()
                                                        .gatlingDir()
                                                        .resolve("round-" + (i + 1) + "-"
                                                                + (isA ? "baseline" : "candidate")),
                                                out()::println,
                                                side.provider(),
                                                "")
                                        .run(LoadCommand.selection("all", through));
                                perf.add(isA, LoadMetrics.of(result.load()));
                            }
                            report.performance = perf.compare(thresholds);
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
}
