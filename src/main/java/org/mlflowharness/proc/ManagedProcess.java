package org.mlflowharness.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflowharness.model.StackException;

/**
 * One local process of the native stack: started in its own session (so that Ctrl-C in the terminal reaches only
 * the harness, which then stops it in order), output to one log file, stopped with its whole process tree.
 *
 * <p>A process can be re-attached by pid from another JVM ({@link #attach}) so that {@code ./harness down} stops what
 * {@code ./harness up --detach} left running; the recorded start instant guards against a recycled pid.
 */
public final class ManagedProcess {

    /** From SIGTERM to SIGKILL in a normal stop. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String component;
    private final ProcessHandle handle;
    private final Process process;
    private final Path log;
    private volatile Duration stopGrace = STOP_GRACE;

    private ManagedProcess(String component, ProcessHandle handle, Process process, Path log) {
        this.component = component;
        this.handle = handle;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with {@code env} added to the harness's environment, output appended to {@code log}. */
    public static ManagedProcess start(
            String component, List<String> command, Map<String, String> env, Path workDir, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            Process p = pb.start();
            return new ManagedProcess(component, p.toHandle(), p, log);
        } catch (IOException e) {
            throw new StackException(
                    component,
                    "could not run " + command.get(0) + ": " + e.getMessage(),
                    "check that " + command.get(0)
                            + " is installed (or let the native provider install it: drop --no-install)");
        }
    }

    /** Re-attaches to a process started earlier, if it is still the same process. */
    public static Optional<ManagedProcess> attach(String component, long pid, Instant started, Path log) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info()
                        .startInstant()
                        .map(s -> started == null || s.equals(started))
                        .orElse(false))
                .map(h -> new ManagedProcess(component, h, null, log));
    }

    public String component() {
        return component;
    }

    public long pid() {
        return handle.pid();
    }

    public Instant startInstant() {
        return handle.info().startInstant().orElse(null);
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /**
     * Empty while the process runs; else how it ended, e.g. "exited with code 137 (killed by signal 9, SIGKILL)". The
     * exit code is known only for a process this JVM started (not for one re-attached by pid).
     */
    public Optional<String> exited() {
        if (handle.isAlive()) {
            return Optional.empty();
        }
        if (process == null || process.isAlive()) {
            return Optional.of("exited");
        }
        return Optional.of(exitDescription(process.exitValue()));
    }

    /** "exited with code 1", or for a signal (code 128 + n) "exited with code 137 (killed by signal 9, SIGKILL)". */
    static String exitDescription(int code) {
        String signal = switch (code - 128) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> null;
        };
        return "exited with code " + code
                + (code > 128 && code < 160
                        ? " (killed by signal " + (code - 128) + (signal == null ? "" : ", " + signal) + ")"
                        : "");
    }

    /**
     * Polls {@code readiness} until it holds, the timeout passes, or the process exits; the latter two throw a
     * {@link StackException} naming the component, what was awaited and the log tail.
     */
    public void awaitReady(Readiness readiness, Duration timeout, String fix) {
        try {
            Poll.poll(readiness.describe(), timeout, Duration.ofMillis(250), () -> {
                if (!handle.isAlive()) {
                    throw failure(
                            exited().orElse("exited") + " during start while waiting for " + readiness.describe(),
                            fix,
                            null);
                }
                try {
                    return readiness.isReady() ? Poll.Attempt.done(true) : Poll.Attempt.notYet(null);
                } catch (Exception e) {
                    return Poll.Attempt.failed(e);
                }
            });
        } catch (Poll.TimedOut t) {
            throw failure(t.getMessage(), fix, t.getCause());
        }
    }

    /** Waits until the process has exited; false when it still runs after {@code timeout}. */
    public boolean awaitExit(Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + component, e);
        }
    }

    /** A failure of this component, with its log tail attached. */
    public StackException failure(String problem, String fix, Throwable cause) {
        return new StackException(component, problem, fix, tail(log, 20), cause);
    }

    /**
     * A shorter grace from SIGTERM to SIGKILL for a process with nothing to save whose helpers notice a stop late (MLflow's
     * job consumers sleep up to 10 s between polls); returns this.
     */
    public ManagedProcess withStopGrace(Duration grace) {
        this.stopGrace = grace;
        return this;
    }

    public Duration stopGrace() {
        return stopGrace;
    }

    /** Stops the process and all its descendants: TERM, its grace period (15 s unless shortened), then KILL. Idempotent. */
    public void stop() {
        stop(stopGrace);
    }

    /** Stops the process and all its descendants: TERM, {@code grace} to exit, then KILL. Idempotent. */
    public void stop(Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(handle);
        handle.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        Poll.until(
                grace,
                Duration.ofMillis(100),
                () -> tree.stream().anyMatch(ProcessHandle::isAlive)
                        ? Poll.Attempt.notYet(null)
                        : Poll.Attempt.done(true));
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        tree.forEach(p -> p.onExit()
                .completeOnTimeout(p, 5, java.util.concurrent.TimeUnit.SECONDS)
                .join());
    }

    /** The last {@code lines} lines of a log file, or nothing when it cannot be read. */
    public static List<String> tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
