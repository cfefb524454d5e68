package org.mlflowharness.cli;

import java.util.List;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.report.RunHistory;
import picocli.CommandLine.Command;

/**
 * {@code ./harness report --history}: the runs kept under {@code <reports-dir>/runs/}, oldest first, each with its
 * verdict, command and headline figures; without {@code --history}, the newest run only.
 */
@Command(
        name = "report",
        abbreviateSynopsis = true,
        description =
                "List kept runs (reports/runs/) with their verdict and headline figures: the newest, or all with --history.")
final class ReportCommand extends HarnessCommand {

    @picocli.CommandLine.Option(names = "--history", description = "List every kept run, oldest first.")
    boolean history;

    ReportCommand(Harness harness) {
        super(harness);
    }

    @Override
    List<Option> options() {
        return List.of(Option.REPORTS_DIR);
    }

    @Override
    int run(HarnessConfig config) {
        RunHistory runs = new RunHistory(config.reportsDir());
        List<String> lines = runs.listing();
        if (lines.isEmpty()) {
            err().println("no runs kept under " + config.reportsDir().resolve(RunHistory.RUNS)
                    + "; ./harness gate or ./harness load writes one");
            return Harness.FAILED;
        }
        if (!history) {
            int newest = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).startsWith(" ")) {
                    newest = i;
                }
            }
            lines = lines.subList(newest, lines.size());
        }
        lines.forEach(out()::println);
        out().println("(reports of each run: " + config.reportsDir().resolve(RunHistory.RUNS)
                + "/<run>/; the newest is also " + config.reportsDir().resolve("latest") + ")");
        return Harness.OK;
    }
}
