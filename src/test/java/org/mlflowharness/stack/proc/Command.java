package org.mlflowharness.stack.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mlflowharness.stack.StackException;

/** A one-shot command (an installer, an init step): run to completion with output to a log, or fail naming the component. */
public final class Command {

    private Command() {
    }

    public static void run(String component, List<String> command, Path log, Duration timeout, String fix) {
        run(component, command, null, log, timeout, fix);
    }

    /** The same, with standard output to {@code stdout} (replaced) and only standard error to {@code log}. */
    public static void run(String component, List<String> command, Path stdout, Path log, Duration timeout, String fix) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
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
}
