package org.mlflowharness.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.Option;
import org.mlflowharness.model.StackException;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code ./harness <command> [options]}: the one entry point. Each command is its own class (picocli); every command's
 * options come from the {@link Option} enum, so each is also settable by its environment variable or
 * {@code -Dharness.<name>}. Exit codes: 0 passed, 1 a check failed, 2 bad input, or a stage that could not complete
 * (a stack that could not be brought up or reached, a component that died, the harness itself).
 */
@Command(
        name = "./harness",
        sortOptions = false,
        description = "Validation and load-test harness for the on-prem MLflow stack (nginx -> MLflow -> MySQL + S3).",
        footer = {
            "  test    The project's own tests, run by the ./harness launcher: unit",
            "            tests (mvn test), then the gate on a real native stack and, when a",
            "            Docker engine answers, on the compose stack.",
            "",
            "Options of a command: ./harness <command> --help. Each option can also be given by its environment variable "
                    + "or as -Dharness.<name>."
        })
public final class Harness implements Runnable {

    @picocli.CommandLine.Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    static final int OK = 0;
    static final int FAILED = 1;
    static final int ERROR = 2;

    private final PrintStream out;
    private final PrintStream err;
    /** Where the harness's text goes: {@code out}, or {@code err} once {@link #textToErr} was called. */
    private PrintStream text;

    private final Map<String, String> env;
    private final Wiring wiring;

    Harness(PrintStream out, PrintStream err, Map<String, String> env) {
        this(out, err, env, Wiring.REAL);
    }

    Harness(PrintStream out, PrintStream err, Map<String, String> env, Wiring wiring) {
        this.out = out;
        this.err = err;
        this.text = out;
        this.env = env;
        this.wiring = wiring;
    }

    public static void main(String[] args) {
        System.exit(new Harness(System.out, System.err, System.getenv()).run(Arrays.asList(args)));
    }

    /** The harness's text: progress, reports, verdict. */
    PrintStream out() {
        return text;
    }

    /** Standard output as given, whatever {@link #textToErr} did: where {@code --output json} prints the summary. */
    PrintStream data() {
        return out;
    }

    /**
     * {@code --output json}: from now on the text goes to standard error, so that standard output carries the summary
     * only; in the real process the JVM's own {@code System.out} too (suites and libraries that print to it).
     */
    void textToErr() {
        text = err;
        if (out == System.out) {
            System.setOut(err);
        }
    }

    PrintStream err() {
        return err;
    }

    Wiring wiring() {
        return wiring;
    }

    /** The command line: one subcommand per class, each with the {@link Option}s it takes. */
    CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        for (HarnessCommand command : List.of(
                new GateCommand(this),
                new UpCommand(this),
                new LoadCommand(this),
                new StatusCommand(this),
                new DownCommand(this),
                new UpgradeCommand(this),
                new SeedCommand(this),
                new CompareCommand(this),
                new DockerSetupCommand(this),
                new ReportCommand(this),
                new RustfsBuildCommand(this))) {
            CommandLine sub = new CommandLine(command);
            for (Option o : command.options()) {
                sub.getCommandSpec().addOption(optionSpec(o));
            }
            cl.addSubcommand(sub);
        }
        cl.setOverwrittenOptionsAllowed(true); // the last occurrence of an option wins
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler(this::badInput);
        cl.setExecutionExceptionHandler((e, line, parsed) -> failure(e));
        return cl;
    }

    int run(List<String> args) {
        if (args.isEmpty()) {
            commandLine().usage(out);
            return ERROR;
        }
        return commandLine().execute(args.toArray(String[]::new));
    }

    /** Without a command: the usage. */
    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    private static OptionSpec optionSpec(Option o) {
        String description = o.help() + " [env " + o.envName()
                + (o.defaultValue().isEmpty() || o.isFlag() ? "" : ", default " + o.defaultValue()) + "]";
        OptionSpec.Builder b = OptionSpec.builder("--" + o.cliName()).description(description);
        return (o.isFlag()
                        ? b.arity("0").type(boolean.class)
                        : b.arity("1").type(String.class).paramLabel("<" + o.cliName() + ">"))
                .build();
    }

    /**
     * The configuration a parsed command line gives: its options over system properties, environment and defaults,
     * every value checked ({@code --suites} tags against those the suites carry, when the command takes them).
     */
    HarnessConfig config(ParseResult parsed, List<Option> options) {
        Map<Option, String> given = new EnumMap<>(Option.class);
        for (Option o : options) {
            String name = "--" + o.cliName();
            if (parsed.hasMatchedOption(name)) {
                given.put(o, o.isFlag() ? "true" : parsed.matchedOptionValue(name, ""));
            }
        }
        HarnessConfig config = HarnessConfig.of(given, env);
        if (options.contains(Option.SUITES)) {
            config.checkSuiteTags(wiring::suiteTags);
        }
        return config;
    }

    /** Bad input on the command line: one line naming it and where help is, exit 2. */
    private int badInput(ParameterException e, String[] args) {
        CommandLine where = e.getCommandLine();
        String help = where.getCommandSpec().parent() == null
                ? "./harness --help"
                : "./harness " + where.getCommandName() + " --help";
        if (e instanceof UnmatchedArgumentException u
                && where.getCommandSpec().parent() == null
                && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            err.println("error: unknown command '" + u.getUnmatched().get(0) + "'; use "
                    + String.join(", ", where.getSubcommands().keySet()) + " or test (" + help + ")");
            return ERROR;
        }
        String message = String.valueOf(e.getMessage());
        if (e instanceof UnmatchedArgumentException u) {
            Optional<String> option =
                    u.getUnmatched().stream().filter(a -> a.startsWith("-")).findFirst();
            if (option.isPresent()) {
                message = "unknown option " + option.get().replaceFirst("=.*", "")
                        + (u.getSuggestions().isEmpty()
                                ? ""
                                : " (did you mean "
                                        + u.getSuggestions().stream().limit(3).collect(Collectors.joining(", "))
                                        + "?)");
            } else {
                message = "unexpected argument '" + u.getUnmatched().get(0) + "'";
            }
        }
        err.println("error: " + message + "; see " + help);
        return ERROR;
    }

    /** A command that threw before its run could record it (bad values, a stack that cannot start for up/status). */
    private int failure(Exception e) {
        if (e instanceof ConfigException) {
            err.println("error: " + e.getMessage());
        } else if (e instanceof StackException s) {
            err.println("error: " + s.oneLine());
            if (!s.logTail().isEmpty()) {
                err.println("last lines of the " + s.component() + " log:");
                s.logTail().forEach(l -> err.println("  | " + (l.length() > 300 ? l.substring(0, 300) + " ..." : l)));
            }
        } else {
            err.println("error: the harness failed: " + RunSession.describe(e));
            e.printStackTrace(err);
        }
        return ERROR;
    }

    /**
     * Starts the provider with a shutdown hook that, on Ctrl-C or SIGTERM, stops everything it started and finishes
     * {@code session}'s report (when there is one); the hook is removed by {@link Started#close}. With a session, the
     * stack is watched ({@link StackWatch}) until it is closed.
     */
    Started start(HarnessConfig config, RunSession session) {
        StackProvider provider = wiring.provider(config, out::println);
        StackWatch watch = new StackWatch(provider, err);
        Thread hook = new Thread(
                () -> {
                    err.println("interrupted: stopping every component the harness started ...");
                    if (session != null) {
                        session.interrupted();
                    }
                    watch.close();
                    provider.stop();
                    err.println("stopped");
                    if (session != null) {
                        session.finish();
                    }
                },
                "harness-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out().println("starting the stack (" + config.stack().id() + ", MLflow " + config.mlflowVersion() + ", nginx "
                + config.nginxVariant().id() + ") ...");
        long t0 = System.nanoTime();
        try {
            RunningStack stack = provider.start();
            out().printf("stack ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            if (session != null) {
                String how = watch.start();
                out().println(how);
                session.watchedBy(how);
            }
            return new Started(provider, stack, hook, watch);
        } catch (RuntimeException e) {
            if (unhook(
                    hook)) { // else Ctrl-C or SIGTERM cut the start: the hook stops the stack and finishes the report
                provider.stop();
            }
            throw e;
        }
    }

    /** Removes the stop hook; false when the JVM is already shutting down, i.e. the hook is running or has run. */
    private static boolean unhook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    /** A stack the harness started (or attached to), with the hook that stops it on Ctrl-C and what watches it. */
    record Started(StackProvider provider, RunningStack stack, Thread hook, StackWatch watch) implements AutoCloseable {
        /** Stops watching, then stops the stack, and drops the hook. */
        @Override
        public void close() {
            if (unhook(hook)) { // else the hook is stopping it
                watch.close();
                provider.stop();
            }
        }

        /** Leaves the stack running (up --detach). */
        void detach() {
            Runtime.getRuntime().removeShutdownHook(hook);
            watch.close();
        }
    }
}
