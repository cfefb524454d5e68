package org.mlflowharness.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.model.ComponentDown;
import org.mlflowharness.model.StackException;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.report.Failure;
import org.mlflowharness.report.ReportSection;
import org.mlflowharness.report.ReportWriter;
import org.mlflowharness.report.RunLog;
import org.mlflowharness.report.RunReport;
import org.mlflowharness.report.RunReport.Stage;
import org.mlflowharness.report.SuiteResult;
import org.mlflowharness.stack.RunningStack;

/**
 * One run of a command, from its first stage to its written report: the one place that turns any failure into a
 * verdict. Each stage runs through {@link #stage}; whatever it throws (a {@link StackException}, an
 * {@link AssertionError} from a scenario, a bug in the harness) ends that stage with its error recorded and printed,
 * and the command goes on with the stages that still make sense. A component of the stack that goes down during a
 * stage ({@link StackGuard}: the watchdog or the breaker) ends that stage with the component as its error and is the
 * first thing the verdict names; stages that need the stack ({@link #onStack}) are then not run. {@link #finish}
 * writes summary.json and summary.md exactly once; an interrupt (Ctrl-C, SIGTERM) finishes the run from the shutdown
 * hook, naming the stage it cut.
 */
public final class RunSession {

    /** A stage body that may throw anything. */
    @FunctionalInterface
    public interface StageBody {
        void run() throws Exception;
    }

    private final String command;
    private final ReportWriter writer;
    private final PrintStream out;
    private final PrintStream err;
    private final Instant begin = Instant.now();
    private final List<Stage> stages = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private final Map<String, String> reports = new LinkedHashMap<>();
    private List<SuiteResult> suites = List.of();
    private LoadSection load;
    private final Map<String, ReportSection> sections = new LinkedHashMap<>();
    private RunningStack stack;
    private String watchedBy;
    private RunReport.Down down;
    private String currentStage;
    private long currentStart;
    private static final String INTERRUPTED = "interrupted (Ctrl-C or SIGTERM)";
    private boolean interrupted;
    private RunReport finished;

    /**
     * Starts the run: its own report directory (reports/latest points at it, so nothing of an earlier run is mistaken
     * for this one's), and library logs from now on to its log file.
     */
    public RunSession(String command, ReportWriter writer, PrintStream out, PrintStream err) {
        this.command = command;
        this.writer = writer;
        this.out = out;
        this.err = err;
        StackGuard.reset();
        writer.startRun(RunReport.commandName(command));
        RunLog.to(writer.logFile());
    }

    public ReportWriter writer() {
        return writer;
    }

    /**
     * Runs one stage that yields a value; returns it, or empty when the stage threw (the error is recorded and printed).
     * When a component of the stack went down during the stage, that is the stage's error, whatever the body did.
     */
    public <T> Optional<T> stageValue(String name, Callable<T> body) {
        synchronized (this) {
            currentStage = name;
            currentStart = System.nanoTime();
        }
        boolean downBefore = StackGuard.down().isPresent();
        T value = null;
        Throwable thrown = null;
        try {
            value = body.call();
        } catch (Throwable t) {
            // every failure of a stage, harness bugs included, becomes its error: never a missing report
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            thrown = t;
        }
        Optional<ComponentDown> wentDown = downBefore ? Optional.empty() : StackGuard.down();
        if (wentDown.isPresent()) {
            componentDown(name, wentDown.get(), thrown);
            return Optional.empty();
        }
        if (interruptRecorded()) {
            // the interrupt ended the stage; what it threw while the stack stopped under it is a consequence
            return Optional.empty();
        }
        if (thrown != null) {
            end(name, describe(thrown));
            printError(name, thrown);
            return Optional.empty();
        }
        end(name, null);
        return Optional.ofNullable(value);
    }

    /**
     * A stage that needs the stack (suites, load): run as {@link #stage}, unless a component of the stack is already
     * down, in which case it is recorded as not run, with why.
     */
    public boolean onStack(String name, StageBody body) {
        Optional<ComponentDown> d = StackGuard.down();
        if (d.isPresent() && !downRecorded()) {
            componentDown(name, d.get(), null); // it went down between stages: this stage is the one it cut
            return false;
        }
        if (d.isPresent()) {
            String why = d.get().component() + " is down";
            synchronized (this) {
                stages.add(new Stage(name, 0, null, why));
            }
            out.println(name + " stage not run: " + why);
            return false;
        }
        return stage(name, body);
    }

    private synchronized boolean downRecorded() {
        return down != null;
    }

    /** The stage {@code name} was cut by {@code d}: recorded as its error, as the first failure, and printed with its log. */
    private void componentDown(String name, ComponentDown d, Throwable thrown) {
        end(name, d.oneLine());
        synchronized (this) {
            failures.add(new Failure(Failure.Kind.STACK_DOWN, d.oneLine() + " (during the " + name + " stage)"));
            down = new RunReport.Down(
                    d.component(), d.getMessage().substring(d.component().length() + 2), d.fix(), name, d.logTail());
        }
        printError(name, d);
        if (thrown != null && !(thrown instanceof StackGuard.Aborted)) {
            err.println("  (then, in the " + name + " stage: " + describe(thrown) + ")");
        }
    }

    /** Runs one stage without a value; true when it completed. */
    public boolean stage(String name, StageBody body) {
        return stageValue(name, () -> {
                    body.run();
                    return Boolean.TRUE;
                })
                .isPresent();
    }

    private synchronized void end(String name, String error) {
        stages.add(new Stage(name, Math.round((System.nanoTime() - currentStart) / 1e8) / 10.0, error));
        currentStage = null;
    }

    /** True while no stage has ended with an error. */
    public synchronized boolean healthy() {
        return stages.stream().allMatch(Stage::completed);
    }

    public synchronized void stack(RunningStack running) {
        this.stack = running;
    }

    /** The suites stage's results so far (none before it ran). */
    public synchronized List<SuiteResult> suiteResults() {
        return suites;
    }

    /** The suites stage's results; a stage in which no test ran fails ({@link #requireTestsRan}). */
    public void suites(List<SuiteResult> results) {
        synchronized (this) {
            this.suites = List.copyOf(results);
        }
        requireTestsRan(results);
    }

    /**
     * {@code results}, unless not one test ran in them (passed, failed or skipped): a suites stage that selected no
     * test verified nothing, so it fails instead of letting the run pass on its other stages.
     */
    static List<SuiteResult> requireTestsRan(List<SuiteResult> results) {
        if (results.stream()
                        .mapToInt(r -> r.passed() + r.failed() + r.skipped())
                        .sum()
                == 0) {
            throw new ConfigException("no check ran: the suites selected no test, so nothing was verified");
        }
        return results;
    }

    /** The load stage's section and its failed checks (empty when it passed). */
    public synchronized void load(LoadSection section, List<Failure> failed) {
        this.load = section;
        failures.addAll(failed);
    }

    /** How the stack is watched during this run (the watchdog, or the breaker), for the report. */
    public synchronized void watchedBy(String how) {
        this.watchedBy = how;
    }

    /**
     * A command's own section of the report (the rehearsal, the comparison); its {@link ReportSection#failure()} at the
     * end of the run is among the verdict's reasons. A section with an HTML page is listed among the reports.
     */
    public synchronized void section(String name, ReportSection section) {
        sections.put(name, section);
    }

    /** A human-readable report written beside the summary. */
    public synchronized void report(String name, Path path) {
        reports.put(name, path.toString());
    }

    /**
     * Marks the run as interrupted (Ctrl-C, SIGTERM): its report says so, naming the stage that was cut; that stage
     * ends with the interrupt as its error, whatever it throws while the stack is stopped under it.
     */
    public synchronized void interrupted() {
        if (interrupted) {
            return;
        }
        interrupted = true;
        if (currentStage != null) {
            end(currentStage, INTERRUPTED + " during the " + currentStage + " stage");
        } else {
            stages.add(new Stage("run", 0, INTERRUPTED + " between stages"));
        }
    }

    private synchronized boolean interruptRecorded() {
        return interrupted;
    }

    /** Writes the report (once; later calls return the same report) and prints where it is and the verdict. */
    public synchronized RunReport finish() {
        if (finished != null) {
            return finished;
        }
        StackGuard.down()
                .filter(d -> down == null)
                .ifPresent(
                        d -> { // went down after the last stage that needed it
                            String after = stages.isEmpty()
                                    ? "stack"
                                    : stages.get(stages.size() - 1).name();
                            failures.add(new Failure(
                                    Failure.Kind.STACK_DOWN, d.oneLine() + " (after the " + after + " stage)"));
                            down = new RunReport.Down(
                                    d.component(),
                                    d.getMessage().substring(d.component().length() + 2),
                                    d.fix(),
                                    after,
                                    d.logTail());
                        });
        List<Stage> all = new ArrayList<>(stages);
        RunReport report = build(all);
        Map<String, String> listed = new LinkedHashMap<>();
        listed.put("summary", writer.runDir().resolve("summary.md").toString());
        listed.putAll(reports);
        sections.forEach((name, sec) -> {
            if (sec.html() != null) {
                listed.put(name, writer.htmlOf(name).toString());
            }
        });
        if (load != null) { // the capacity report (and its check in a browser) is a stage: it takes seconds
            long t0 = System.nanoTime();
            String error = null;
            try {
                listed.putAll(writer.writeCapacity(report));
            } catch (RuntimeException
                    | LinkageError e) { // a report that cannot be drawn is the harness's failure: ERROR
                error = describe(e);
                printError("report", e);
            }
            all.add(new Stage("report", Math.round((System.nanoTime() - t0) / 1e8) / 10.0, error));
            report = build(all);
        }
        listed.put(
                "JUnit XML (one file per suite, and the command's stages and load checks)",
                writer.junitDir().toString());
        listed.put(
                "log (library logs, Gatling's console output)", writer.logFile().toString());
        finished = report.withReports(listed);
        Path json;
        try {
            json = writer.write(finished);
        } catch (RuntimeException e) {
            err.println("error: cannot write the report: " + e.getMessage());
            return finished;
        } finally {
            RunLog.to(null);
        }
        out.println();
        listed.forEach((name, path) -> out.println("report (" + name + "): " + path));
        out.println("summary: " + json + " (also under " + writer.latestDir() + "/)");
        out.println(finished.stagesLine());
        out.println(
                "verdict: " + finished.verdict() + (finished.reason() == null ? "" : " (" + finished.reason() + ")"));
        return finished;
    }

    private RunReport build(List<Stage> all) {
        List<Failure> failed = new ArrayList<>(failures);
        sections.values().stream()
                .filter(s -> s.failure() != null)
                .forEach(s -> failed.add(new Failure(s.failureKind(), s.failure())));
        sections.values().stream()
                .filter(s -> s.inconclusive() != null)
                .forEach(s -> failed.add(new Failure(Failure.Kind.INCONCLUSIVE, s.inconclusive())));
        return RunReport.of(
                command,
                begin,
                Instant.now(),
                stack == null ? null : stack.endpoints().trackingUri().toString(),
                stack == null ? null : stack.description(),
                all,
                suites,
                load,
                failed,
                watchedBy == null ? null : new RunReport.Guard(watchedBy, down),
                sections);
    }

    /** One line for a stage's error: the component and fix for stack failures, else type, message and where it came from. */
    static String describe(Throwable t) {
        if (t instanceof StackException s) {
            return s.oneLine();
        }
        if (t instanceof ConfigException) {
            return t.getMessage();
        }
        String message = String.valueOf(t.getMessage()).strip().replaceAll("\\s+", " ");
        if (message.length() > 400) {
            message = message.substring(0, 400) + "...";
        }
        String where = java.util.Arrays.stream(t.getStackTrace())
                .filter(f -> f.getClassName().startsWith("org.mlflowharness."))
                .findFirst()
                .map(f -> " (at " + f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "."
                        + f.getMethodName() + ":" + f.getLineNumber() + ")")
                .orElse("");
        return t.getClass().getSimpleName() + ": " + message + where;
    }

    private void printError(String stage, Throwable t) {
        err.println("error in the " + stage + " stage: " + describe(t));
        if (t instanceof StackException s && !s.logTail().isEmpty()) {
            err.println("last lines of the " + s.component() + " log:");
            s.logTail().forEach(l -> err.println("  | " + (l.length() > 300 ? l.substring(0, 300) + " ..." : l)));
        }
    }
}
