package org.mlflowharness.stack.nativestack;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StateFile;

/**
 * What {@code up --detach} leaves behind for {@code status}, {@code gate} and {@code down}: the running stack and the
 * processes to stop. Written owner-readable only, since it holds the stack's credentials.
 */
public record NativeState(RunningStack stack, List<Proc> processes) {

    /** One process: enough to find it again and to be sure it is still the same one. */
    public record Proc(String component, long pid, String started, String log) {}

    static NativeState of(RunningStack stack, List<ManagedProcess> processes) {
        return new NativeState(
                stack,
                processes.stream()
                        .map(p -> new Proc(
                                p.component(),
                                p.pid(),
                                String.valueOf(p.startInstant()),
                                p.log().toString()))
                        .toList());
    }

    /** The state file's content, or empty when there is none (or it cannot be read). */
    public static Optional<NativeState> read(Path file) {
        return StateFile.read(file, NativeState.class);
    }

    void write(Path file) {
        StateFile.write(file, this);
    }

    /** The recorded processes that are still running (and are still the processes that were recorded). */
    public List<ManagedProcess> attach() {
        return processes.stream()
                .map(p -> ManagedProcess.attach(
                        p.component(),
                        p.pid(),
                        "null".equals(p.started()) ? null : Instant.parse(p.started()),
                        Path.of(p.log())))
                .flatMap(Optional::stream)
                .toList();
    }

    public boolean anyAlive() {
        return !attach().isEmpty();
    }

    public boolean allAlive() {
        return attach().size() == processes.size();
    }
}
