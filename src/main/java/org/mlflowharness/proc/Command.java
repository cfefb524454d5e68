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

/** A one-shot command (an installer, an init step): run to completion with output to a log, or fail naming the component. */
public final class Command {

    private Command() {
    }

    public static void run(String component, List<String> command, Path log, Duration timeout, String fix) {
        execute(component, command, Map.of(), null, log, timeout, fix);
    }

    /** The same, with standard output to {@code stdout} (replaced) and only standard error to {@code log}. */
    public static void run(String component, List<String> command, Path stdout, Path log, Duration timeout, String fix) {
        execute(component, command, Map.of(), stdout, log, timeout, fix);
    }

    /** The same, with {@code env} added to the harness's environment. */
    public static void run(String component, List<String> command, Map<String, String> env, Path log, Duration timeout, String fix) {
        execute(component, command, env, null, log, timeout, fix);
    }

    private static void execute(String component, List<String> command, Map<String, String> env, Path stdout, Path log,
                                Duration timeout, String fix) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(env);
            if (stdout == null) {
                pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            } else {
                pb.redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new StackException(component, String.join(" ", command) + " did not finish in "
                        + timeout.toSeconds() + " s", fix, ManagedProcess.tail(log, 20), null);
            }
            if (p.exitValue() != 0) {
                throw new StackException(component, command.get(0) + " failed with exit code " + p.exitValue()
                        + " (log: " + log + ")", fix, ManagedProcess.tail(log, 20), null);
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
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new StackException(component, String.join(" ", command) + " failed: " + text, fix);
            }
            return text;
        } catch (IOException e) {
            throw new StackException(component, "could not run " + command.get(0) + ": " + e.getMessage(), fix);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException(component, "interrupted while running " + command.get(0), fix);
        }
    }
}
