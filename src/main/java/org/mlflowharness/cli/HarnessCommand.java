package org.mlflowharness.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.report.ReportWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A {@code ./harness} subcommand. Its options are the {@link Option}s it lists ({@link #options()}),
 * added to its command line by {@link Harness}; it runs with the {@link HarnessConfig} they give, which is also
 * exported to this JVM's system properties so that suites started by the command see the same settings.
 */
abstract class HarnessCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    final Harness harness;

    /** The run this command reports on ({@link #session}), or null for commands that write no report. */
    private RunSession session;

    HarnessCommand(Harness harness) {
        this.harness = harness;
    }

    /** The options this command takes (by default those most commands take: {@link Option#allExcept}). */
    List<Option> options() {
        return Option.allExcept();
    }

    /** Runs the command; the return value is the exit code. */
    abstract int run(HarnessConfig config) throws Exception;

    @Override
    public final Integer call() throws Exception {
        HarnessConfig config = harness.config(spec.commandLine().getParseResult(), options());
        config.exportToSystemProperties();
        if (config.jsonOutput()) {
            harness.textToErr();
        }
        try {
            return run(config);
        } finally {
            if (config.jsonOutput() && session != null) {
                harness.data().println(ReportWriter.JSON.writeValueAsString(session.finish()));
            }
        }
    }

    /** The run of a command that writes a report: its directory made, its text going where {@code --output} says. */
    RunSession session(HarnessConfig config) {
        session = new RunSession(typed(), ReportWriter.of(config), out(), err());
        return session;
    }

    /** For commands that run their own native stacks: a ConfigException naming {@code what} unless --stack allows native. */
    static void requireNativeStack(HarnessConfig config, String what) {
        if (config.stack() != HarnessConfig.StackKind.NATIVE && config.stack() != HarnessConfig.StackKind.AUTO) {
            throw new HarnessConfig.ConfigException(
                    what + "; drop --stack " + config.stack().id());
        }
    }

    /** The command's text: standard output, or standard error with {@code --output json}. */
    PrintStream out() {
        return harness.out();
    }

    PrintStream err() {
        return harness.err();
    }

    /** The command as typed, for reports and rerun hints: {@code ./harness gate --suites auth}. */
    String typed() {
        return "./harness "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }
}
