package org.mlflowharness.stack.compose;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StateFile;

/**
 * A compose stack the harness started: its Compose project (the name's prefix while {@code up} runs), the per-run directory holding its files and .env, the
 * command that drives it, and (once up) the running stack. Written when it starts, so that {@code status},
 * {@code down} and the next {@code gate} find it even after the harness was killed. Owner-readable only: it holds
 * the stack's credentials.
 */
public record ComposeState(
        String project, String runDir, List<String> compose, List<String> files, RunningStack stack) {

    /** The state file's content, or empty when there is none (or it cannot be read). */
    public static Optional<ComposeState> read(Path file) {
        return StateFile.read(file, ComposeState.class);
    }

    void write(Path file) {
        StateFile.write(file, this);
    }

    /** The same run under its full project name. */
    ComposeState withProject(String name) {
        return new ComposeState(name, runDir, compose, files, stack);
    }

    /** {@code docker-compose -p <project> -f ... <args>}: the command line for this project's files. */
    List<String> command(String... args) {
        List<String> cmd = new java.util.ArrayList<>(compose);
        cmd.addAll(List.of("-p", project));
        files.forEach(f -> cmd.addAll(List.of("-f", Path.of(runDir).resolve(f).toString())));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
