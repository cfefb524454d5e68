package org.mlflowharness.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.Option;
import org.mlflowharness.report.AllureReport;
import org.mlflowharness.load.LoadRunner;
import org.mlflowharness.report.ReportWriter;
import org.mlflowharness.report.RunReport;
import org.mlflowharness.report.SuiteResult;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackException;
import org.mlflowharness.stack.StackProvider;
import org.mlflowharness.stack.Stacks;
import org.mlflowharness.stack.compose.ComposeStack;
import org.mlflowharness.stack.compose.ComposeState;
import org.mlflowharness.stack.compose.DockerSetup;
import org.mlflowharness.stack.nativestack.NativeStack;
import org.mlflowharness.stack.nativestack.NativeState;
import org.mlflowharness.stack.proc.Readiness;
import org.mlflowharness.suites.support.StackSession;

/**
 * {@code ./harness <command> [options]}: the one entry point. Exit codes: 0 success, 1 checks failed,
 * 2 bad input or a stack that could not be brought up or reached.
 */
public final class Harness {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int ERROR = 2;

    static final String USAGE = """
            usage: ./harness <command> [options]

            commands:
              gate     bring a stack up (or use the running / external one), run the suites, bring it down,
                       write reports/latest/summary.json; exit 1 when anything failed
                       --suites TAG[,TAG]  run only the suites with these tags (health, auth, ...)
              up       bring the stack up and keep it in the foreground until Ctrl-C;
                       --detach returns once every component is healthy and leaves it running
              load     ./harness load <scenario|all> --profile <name>: Gatling load scenarios (metric-logging,
                       large-upload, direct-s3, mixed) with the profile's SLOs; brings a stack up when none runs;
                       profiles are scenarios/<name>.yaml (smoke, capacity, soak); exit 1 on an SLO or integrity failure
              status   print the running stack's endpoints and description as JSON (exit 1 when none runs)
              down     stop a stack left running by 'up --detach'
              docker-setup  install docker.io, docker-compose and debootstrap with apt when missing and start dockerd
                       when no engine answers (root; the only command that installs or starts a Docker engine)
              test     the project's own tests: unit tests (mvn test), then the gate on a real native stack and,
                       when a Docker engine answers, on the compose stack

            options (each also settable by its environment variable or -Dharness.<name>):
            """;

    private final PrintStream out;
    private final PrintStream err;

    Harness(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new Harness(System.out, System.err).run(Arrays.asList(args)));
    }

    int run(List<String> args) {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h") || args.get(0).equals("help")) {
            out.println(USAGE + HarnessConfig.optionsHelp());
            return args.isEmpty() ? ERROR : OK;
        }
        String command = args.get(0);
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        try {
            List<String> tags = takeValue(rest, "--suites").map(v -> List.of(v.split(","))).orElse(List.of());
            HarnessConfig config = HarnessConfig.parse(rest, System.getenv());
            if (command.equals("load")) {
                if (config.positional().size() != 1) {
                    throw new ConfigException("usage: ./harness load <scenario|all> --profile <name>; scenarios: "
                            + org.mlflowharness.load.ScenarioKind.validNames() + ", all");
                }
                config.exportToSystemProperties();
                return new LoadCommand(out, err, this::start).run(config, config.positional().get(0), String.join(" ", args));
            }
            if (!config.positional().isEmpty()) {
                throw new ConfigException("unexpected argument '" + config.positional().get(0) + "' for " + command + "; see ./harness --help");
            }
            config.exportToSystemProperties();
            return switch (command) {
                case "up" -> up(config);
                case "status" -> status(config);
                case "down" -> down(config);
                case "gate" -> gate(config, tags, String.join(" ", args));
                case "docker-setup" -> {
                    DockerSetup.run(config, out::println);
                    yield OK;
                }
                default -> throw new ConfigException("unknown command '" + command + "'; use gate, load, up, status, down, docker-setup or test (./harness --help)");
            };
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return ERROR;
        } catch (StackException e) {
            report(e);
            return ERROR;
        }
    }

    private void report(StackException e) {
        err.println("error: " + e.oneLine());
        if (!e.logTail().isEmpty()) {
            err.println("last lines of the " + e.component() + " log:");
            e.logTail().forEach(l -> err.println("  | " + (l.length() > 300 ? l.substring(0, 300) + " ..." : l)));
        }
    }

    /** Removes {@code --name value} from args and returns the value (options only some commands take). */
    private static Optional<String> takeValue(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name) && i + 1 < args.size()) {
                String v = args.remove(i + 1);
                args.remove(i);
                return Optional.of(v);
            }
            if (args.get(i).startsWith(name + "=")) {
                return Optional.of(args.remove(i).substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** Starts the provider with a shutdown hook that stops it on Ctrl-C; the hook is removed by {@link Started#close}. */
    Started start(HarnessConfig config) {
        StackProvider provider = Stacks.provider(config, out::println);
        Thread hook = new Thread(() -> {
            err.println("interrupted: stopping every component the harness started ...");
            provider.stop();
            err.println("stopped");
        }, "harness-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("starting the stack (" + config.stack().id() + ", MLflow " + config.mlflowVersion() + ", nginx "
                + config.nginxVariant().id() + ") ...");
        long t0 = System.nanoTime();
        try {
            RunningStack stack = provider.start();
            out.printf("stack ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            return new Started(provider, stack, hook);
        } catch (RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            provider.stop();
            throw e;
        }
    }

    record Started(StackProvider provider, RunningStack stack, Thread hook) implements AutoCloseable {
        /** Stops the stack and drops the hook. */
        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                return; // the hook is stopping it
            }
            provider.stop();
        }

        /** Leaves the stack running (up --detach). */
        void detach() {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private int up(HarnessConfig config) throws StackException {
        Started started = start(config);
        RunningStack stack = started.stack();
        out.println();
        out.println(stack.description().summaryLines());
        out.println("MLflow:   " + stack.endpoints().trackingUri());
        out.println("user:     " + stack.endpoints().username());
        out.println("password: " + stack.endpoints().password());
        out.println("  export MLFLOW_TRACKING_URI=" + stack.endpoints().trackingUri() + " MLFLOW_TRACKING_USERNAME="
                + stack.endpoints().username() + " MLFLOW_TRACKING_PASSWORD=" + stack.endpoints().password());
        stack.description().components().stream().filter(c -> c.log() != null)
                .forEach(c -> out.println("log of " + c.name() + ": " + c.log()));
        if (config.flag(Option.DETACH)) {
            started.detach();
            out.println("detached: stop it with ./harness down");
            if (started.provider() instanceof ComposeStack) {
                // Without Ryuk, Testcontainers removes the compose project in a JVM exit hook: skip the hooks.
                out.flush();
                Runtime.getRuntime().halt(OK);
            }
            return OK;
        }
        out.println("running in the foreground; Ctrl-C stops every component");
        Readiness alive = Readiness.http(stack.endpoints().trackingUri().resolve("/health"), 401);
        int misses = 0;
        while (misses < 3) {
            try {
                Thread.sleep(5000);
                misses = alive.isReady() ? 0 : misses + 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                misses++;
            }
        }
        err.println("error: nginx stopped answering at " + stack.endpoints().trackingUri() + "; stopping the stack (logs above)");
        started.close();
        return FAILED;
    }

    private int status(HarnessConfig config) {
        Optional<NativeState> state = NativeState.read(NativeStack.stateFile(config));
        Optional<ComposeState> compose = ComposeStack.running(config);
        if (compose.isPresent()) {
            return print(compose.get().stack());
        }
        if (state.isEmpty() || !state.get().allAlive()) {
            err.println("no stack is running from " + config.workDir()
                    + (state.isPresent() || ComposeState.read(ComposeStack.stateFile(config)).isPresent()
                    ? " (some of its processes or containers have exited: ./harness down cleans up)" : "")
                    + "; start one with ./harness up --detach");
            return FAILED;
        }
        return print(state.get().stack());
    }

    private int print(RunningStack stack) {
        try {
            out.println(ReportWriter.JSON.writeValueAsString(stack));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return OK;
    }

    private int down(HarnessConfig config) {
        boolean any = false;
        if (NativeStack.stopDetached(config)) {
            out.println("stopped the native stack in " + NativeStack.stateFile(config).getParent());
            any = true;
        }
        if (ComposeStack.stopDetached(config, out::println)) {
            out.println("stopped the compose stack in " + ComposeStack.stateFile(config).getParent() + " (down -v: its containers, networks, volumes)");
            any = true;
        }
        if (!any) {
            out.println("no detached stack was running from " + config.workDir());
        }
        return OK;
    }

    private int gate(HarnessConfig config, List<String> tags, String command) {
        LoadCommand.profile(config);        // bad --profile or --load-fault: fail now, not after the suites
        LoadCommand.checkLoadFault(config);
        Instant begin = Instant.now();
        ReportWriter writer = new ReportWriter(Path.of("reports"));
        writer.startRun();
        AllureReport.collectInto(writer.allureResults());
        RunningStack stack = null;
        List<SuiteResult> results = List.of();
        Map<String, Object> load = null;
        String loadFailure = null;
        String failure = null;
        try (Started started = start(config)) {
            stack = started.stack();
            out.println(stack.description().summaryLines());
            AllureReport.writeEnvironment(writer.allureResults(), stack.description());
            StackSession.use(stack);
            results = new SuiteRunner(out::println).run(tags);
            out.println("load stage: profile " + config.get(Option.PROFILE) + " ...");
            LoadRunner.Result loaded = LoadCommand.gateStage(config, started);
            load = loaded.load();
            loadFailure = loaded.reason();
        } catch (StackException e) {
            report(e);
            failure = e.oneLine();
        }
        RunReport report = RunReport.of("./harness " + command, begin, Instant.now(),
                stack == null ? null : stack.endpoints().trackingUri().toString(),
                stack == null ? null : stack.description(), results, load, failure != null ? failure : loadFailure);
        Map<String, String> reports = new LinkedHashMap<>();
        reports.put("summary", writer.latestDir().resolve("summary.md").toString());
        if (!results.isEmpty()) {
            try {
                reports.put("allure", new AllureReport(config.cacheDir()).generate(writer.allureResults(), writer.allureHtml()).toString());
            } catch (StackException e) {
                err.println("warning: no Allure HTML report: " + e.oneLine());
            }
        }
        Path json = writer.write(report.withReports(reports));
        out.println();
        reports.forEach((name, path) -> out.println("report (" + name + "): " + path));
        out.println("summary: " + json);
        out.println("verdict: " + report.verdict() + (report.reason() == null ? "" : " (" + report.reason() + ")"));
        List<String> failedTags = results.stream().filter(r -> r.failed() > 0).map(SuiteResult::tag).distinct().toList();
        if (!failedTags.isEmpty()) {
            out.println("rerun the failing suites: ./harness " + command.replaceAll("\\s*--suites[ =]\\S+", "")
                    + " --suites " + String.join(",", failedTags));
        }
        out.println(report.closingLine());
        if (failure != null) {
            return ERROR;
        }
        return report.passed() ? OK : FAILED;
    }
}
