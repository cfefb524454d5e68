package org.mlflowharness.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mlflowharness.model.StackException;

/**
 * A one-shot command (an installer, an init step, a version query): run to completion with output to a log, or fail
 * naming the component; or its output captured ({@link #capture}). The one place besides {@link ManagedProcess} (the
 * long-lived processes) that starts a process.
 */
public final class Command {

    private Command() {}

    public static void run(String component, List<String> command, Path log, Duration timeout, String fix) {
        execute(component, command, Map.of(), null, log, timeout, fix);
    }

    /** The same, with standard output to {@code stdout} (replaced) and only standard error to {@code log}. */
    public static void run(
            String component, List<String> command, Path stdout, Path log, Duration timeout, String fix) {
        execute(component, command, Map.of(), stdout, log, timeout, fix);
    }

    /** The same, with {@code env} added to the harness's environment. */
    public static void run(
            String component, List<String> command, Map<String, String> env, Path log, Duration timeout, String fix) {
        execute(component, command, env, null, log, timeout, fix);
    }

    private static void execute(
            String component,
            List<String> command,
            Map<String, String> env,
            Path stdout,
            Path log,
            Duration timeout,
            String fix) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = builder(command, env);
            if (stdout == null) {
                pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            } else {
                pb.redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new StackException(
                        component,
                        String.join(" ", command) + " did not finish in " + timeout.toSeconds() + " s",
                        fix,
                        ManagedProcess.tail(log, 20),
                        null);
            }
            if (p.exitValue() != 0) {
                throw new StackException(
                        component,
                        command.get(0) + " failed with exit code " + p.exitValue() + " (log: " + log + ")",
                        fix,
                        ManagedProcess.tail(log, 20),
                        null);
            }
        } catch (IOException e) {
            throw new StackException(component, "could not run " + command.get(0) + ": " + e.getMessage(), fix);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException(component, "interrupted while running " + command.get(0), fix);
        }
    }

    /** The output (stdout and stderr) of a short command that must succeed within 30 s, trimmed. */
    public static String output(String component, List<String> command, Map<String, String> env, String fix) {
        Output o = capture(component, command, env, null, fix);
        if (!o.succeeded()) {
            throw new StackException(component, String.join(" ", command) + " failed: " + o.text(), fix);
        }
        return o.text();
    }

    /** What a short command printed (trimmed) and its exit code. */
    public record Output(int exitCode, String text) {

        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** {@link #capture(String, List, Map, Path, String)}: stdout and stderr together, the harness's environment. */
    public static Output capture(String component, List<String> command, String fix) {
        return capture(component, command, Map.of(), null, fix);
    }

    /**
     * Runs a short command (a version query, an inspection) and returns what it printed on stdout and its exit code,
     * whichever that is; stderr goes with stdout, or is appended to {@code stderrLog} when that is not null. Only a
     * command that cannot be run, or does not end within 30 s after closing its output, throws, naming
     * {@code component}.
     */
    public static Output capture(
            String component, List<String> command, Map<String, String> env, Path stderrLog, String fix) {
        try {
            ProcessBuilder pb = builder(command, env);
            if (stderrLog == null) {
                pb.redirectErrorStream(true);
            } else {
                Files.createDirectories(stderrLog.getParent());
                pb.redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
            }
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new StackException(
                        component, String.join(" ", command) + " did not finish in 30 s: " + text, fix);
            }
            return new Output(p.exitValue(), text);
        } catch (IOException e) {
            throw new StackException(component, "could not run " + command.get(0) + ": " + e.getMessage(), fix);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException(component, "interrupted while running " + command.get(0), fix);
        }
    }

    /** {@code command} with {@code env} added to the harness's environment and nothing on its standard input. */
    private static ProcessBuilder builder(List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        return pb;
    }
}
