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
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
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
