package org.mlflowharness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.load.Profile;
import org.mlflowharness.proc.Poll;
import org.mlflowharness.report.AllureReport;
import org.mlflowharness.report.ReportWriter;
import org.mlflowharness.report.RunReport;
import org.mlflowharness.report.SuiteResult;
import org.mlflowharness.suites.support.StackSession;
import picocli.CommandLine.Command;

/**
 * {@code ./harness gate}: the acceptance gate. Stages: stack (bring one up, or use the running or external one),
 * suites, load (the profile's smoke load), stop, allure; each stage's failure is recorded and the report is written
 * whatever happens.
 */
@Command(
        name = "gate",
        abbreviateSynopsis = true,
        sortOptions = false,
        description = {
            "Bring a stack up (or use the running / external one), run the suites and the smoke load, bring it "
                    + "down, write reports/latest/summary.json; exit 1 when a check failed, 2 when a stage could not complete."
        })
final class GateCommand extends HarnessCommand {

    /** The suite whose checks do what the load's warm-up does: create runs, log metrics and read them back. */
    static final String WARMING_SUITE = "tracking";

    GateCommand(Harness harness) {
        super(harness);
    }

    @Override
    List<Option> options() {
        return Option.allExcept(Option.DETACH);
    }

    @Override
    int run(HarnessConfig config) {
        LoadCommand.profile(config); // bad --profile or --load-fault: fail now, not after the suites
        LoadCommand.checkLoadFault(config);
        List<String> tags = config.suiteTags();
        RunSession run = session(config);
        ReportWriter writer = run.writer();
        Wiring wiring = harness.wiring();
        AllureReport.collectInto(writer.allureResults());
        AtomicReference<CompletableFuture<Path>> allure = new AtomicReference<>();
        run.stageValue("stack", () -> harness.start(config, run)).ifPresent(started -> {
            try {
                run.stack(started.stack());
                out().println(started.stack().description().summaryLines());
                AllureReport.writeEnvironment(
                        writer.allureResults(), started.stack().description());
                StackSession.use(started.stack());
                run.onStack("suites", () -> run.suites(wiring.suites(tags, config.suiteThreads(), out()::println)));
                run.onStack("load", () -> {
                    out().println("load stage: profile " + config.get(Option.PROFILE) + " ...");
                    Profile profile = LoadCommand.profile(config);
                    LoadCommand.record(
                            run,
                            wiring.load(
                                    config,
                                    started,
                                    profile,
                                    LoadCommand.selection("all", profile),
                                    writer.gatlingDir(),
                                    warmedBy(run.suiteResults())));
                });
            } finally {
                // Allure's HTML needs only what the suites wrote: it is generated while the stack stops (mostly
                // waiting for processes to exit); the allure stage is the time the run then still waits for it.
                if (Files.isDirectory(writer.allureResults())) {
                    allure.set(generateAllure(config, wiring, writer));
                }
                run.stage("stop", started::close);
            }
        });
        if (Files.isDirectory(writer.allureResults())) {
            CompletableFuture<Path> html = allure.get() != null ? allure.get() : generateAllure(config, wiring, writer);
            run.stage("allure", () -> run.report("allure", Poll.join(html)));
        }
        RunReport report = run.finish();
        List<String> failedTags = report.suites().stream()
                .filter(r -> r.failed() > 0)
                .map(SuiteResult::tag)
                .distinct()
                .toList();
        if (!failedTags.isEmpty()) {
            out().println("rerun the failing suites: " + typed().replaceAll("\\s*--suites[ =]\\S+", "") + " --suites "
                    + String.join(",", failedTags));
        }
        out().println(report.closingLine());
        return report.exitCode();
    }

    /**
     * What warmed the stack up for the load stage: the suites stage, when its tracking suite's checks ran through the
     * same MLflow (runs created, metrics logged and read back, by several clients); else nothing and the load warms up.
     */
    static Optional<String> warmedBy(List<SuiteResult> suites) {
        return suites.stream()
                .filter(r -> r.tag().equals(WARMING_SUITE) && r.passed() > 0)
                .findFirst()
                .map(r -> "the suites stage just before (" + WARMING_SUITE + " suite: " + r.passed()
                        + " checks passed through this MLflow)");
    }

    private static CompletableFuture<Path> generateAllure(HarnessConfig config, Wiring wiring, ReportWriter writer) {
        return CompletableFuture.supplyAsync(() ->
                wiring.allure(config, writer.allureResults(), writer.allureHtml(), writer.previousAllureHistory()));
    }
}
