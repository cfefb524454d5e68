package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Readiness;
import org.mlflowharness.stack.LiveComponent;

/** The native stack's processes: watched once ready, restarted with the same command line, stopped in reverse order. */
class NativeProcessesTest {

    private static final Readiness RUNNING = new Readiness() {
        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public String describe() {
            return "running";
        }
    };

    @TempDir
    Path dir;

    private final AtomicInteger changes = new AtomicInteger();
    private final List<String> said = new ArrayList<>();
    private NativeProcesses processes;

    @AfterEach
    void stop() {
        if (processes != null) {
            processes.stopAll(Duration.ofSeconds(2));
        }
    }

    private ManagedProcess sleeper(String role, String component) {
        return processes.launchReady(
                role, component, List.of("sleep", "60"), Map.of(), RUNNING, Duration.ofSeconds(10), "", null);
    }

    @Test
    void restartReplacesTheProcessAndRunsWhenReadyBeforeItCountsAsRestarted() {
        processes = new NativeProcesses(dir, said::add, changes::incrementAndGet);
        ManagedProcess first = sleeper("database", "db");
        LiveComponent db = processes.liveComponents().get(0);
        List<Boolean> restartingWhenReady = new ArrayList<>();

        processes.restart("database", Duration.ZERO, () -> restartingWhenReady.add(db.restarting()));

        assertThat(first.isAlive()).isFalse();
        ManagedProcess now = processes.find("db").orElseThrow();
        assertThat(now.pid()).isNotEqualTo(first.pid());
        assertThat(now.isAlive()).isTrue();
        assertThat(changes).hasValue(1);
        assertThat(restartingWhenReady).containsExactly(true);
        assertThat(db.restarting()).isFalse();
        assertThat(said).singleElement().asString().contains("restarting database (db)");
    }

    @Test
    void aRemovedProcessIsNoLongerWatchedAndStops() {
        processes = new NativeProcesses(dir, said::add, changes::incrementAndGet);
        sleeper("database", "db");
        ManagedProcess proxy = sleeper("proxy", "nginx");

        processes.remove(proxy);

        assertThat(proxy.isAlive()).isFalse();
        assertThat(processes.liveComponents()).extracting(LiveComponent::name).containsExactly("db");
        assertThat(processes.snapshot()).extracting(ManagedProcess::component).containsExactly("db");
    }

    @Test
    void afterStopAllNothingStartsUntilOpenedAgain() {
        processes = new NativeProcesses(dir, said::add, changes::incrementAndGet);
        ManagedProcess db = sleeper("database", "db");

        processes.stopAll(Duration.ofSeconds(2));

        assertThat(db.isAlive()).isFalse();
        assertThat(processes.liveComponents()).isEmpty();
        assertThatThrownBy(() -> sleeper("database", "db"))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("being stopped");
        processes.open();
        assertThat(sleeper("database", "db").isAlive()).isTrue();
    }

    @Test
    void reloadNeedsAReloadCommand() {
        processes = new NativeProcesses(dir, said::add, changes::incrementAndGet);
        sleeper("database", "db");
        assertThatThrownBy(() -> processes.reload("database"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("has no reload");
        assertThatThrownBy(() -> processes.reload("tracking"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the native stack has database");
    }
}
