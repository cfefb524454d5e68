package org.mlflowharness.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.model.StackException;

class ManagedProcessTest {

    @TempDir
    Path dir;

    @Test
    void stopEndsTheWholeProcessTree() {
        ManagedProcess p = ManagedProcess.start(
                "demo", List.of("sh", "-c", "sleep 300 & sleep 300 & wait"), Map.of(), dir, dir.resolve("demo.log"));
        List<ProcessHandle> children = waitForChildren(p, 2);
        p.stop();
        assertThat(p.isAlive()).isFalse();
        assertThat(children).as("children of the stopped process").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aProcessThatIgnoresTermIsKilledAfterItsOwnShorterGrace() {
        ManagedProcess p = ManagedProcess.start(
                        "demo",
                        List.of("sh", "-c", "trap '' TERM; sleep 300 & wait"),
                        Map.of(),
                        dir,
                        dir.resolve("demo.log"))
                .withStopGrace(Duration.ofSeconds(1));
        List<ProcessHandle> children = waitForChildren(p, 1);
        long t0 = System.nanoTime();
        p.stop();
        assertThat(p.isAlive()).isFalse();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("its own 1 s grace, not the default %s", ManagedProcess.STOP_GRACE)
                .isLessThan(ManagedProcess.STOP_GRACE);
    }

    @Test
    void exitDuringStartIsReportedWithTheLogTail() {
        ManagedProcess p = ManagedProcess.start(
                "demo",
                List.of("sh", "-c", "echo listening failed: address in use; exit 3"),
                Map.of(),
                dir,
                dir.resolve("demo.log"));
        assertThatThrownBy(
                        () -> p.awaitReady(Readiness.tcp("127.0.0.1", Ports.free()), Duration.ofSeconds(20), "fix it"))
                .isInstanceOf(StackException.class)
                .hasMessageStartingWith("demo: exited with code 3 during start while waiting for a TCP listener")
                .satisfies(e ->
                        assertThat(((StackException) e).logTail()).containsExactly("listening failed: address in use"));
    }

    @Test
    void aKilledProcessSaysWhichSignalEndedIt() throws Exception {
        ManagedProcess p = ManagedProcess.start("demo", List.of("sleep", "30"), Map.of(), dir, dir.resolve("demo.log"));
        assertThat(p.exited()).as("while it runs").isEmpty();
        ProcessHandle.of(p.pid()).orElseThrow().destroyForcibly();
        ProcessHandle.of(p.pid()).ifPresent(h -> h.onExit().join());
        for (int i = 0; i < 50 && p.exited().filter(e -> e.contains("code")).isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertThat(p.exited()).contains("exited with code 137 (killed by signal 9, SIGKILL)");
        assertThat(ManagedProcess.exitDescription(1)).isEqualTo("exited with code 1");
    }

    @Test
    void notReadyInTimeNamesWhatWasAwaited() {
        ManagedProcess p = ManagedProcess.start("demo", List.of("sleep", "30"), Map.of(), dir, dir.resolve("demo.log"));
        try {
            int port = Ports.free();
            assertThatThrownBy(() -> p.awaitReady(Readiness.tcp("127.0.0.1", port), Duration.ofMillis(600), "fix it"))
                    .hasMessageContaining("demo: not ready after 0 s waiting for a TCP listener on 127.0.0.1:" + port);
        } finally {
            p.stop();
        }
    }

    @Test
    void attachRefusesARecycledPid() throws Exception {
        ManagedProcess p = ManagedProcess.start("demo", List.of("sleep", "30"), Map.of(), dir, dir.resolve("demo.log"));
        try {
            assertThat(ManagedProcess.attach("demo", p.pid(), p.startInstant(), p.log()))
                    .isPresent();
            assertThat(ManagedProcess.attach("demo", p.pid(), p.startInstant().minusSeconds(60), p.log()))
                    .as("same pid, different start time")
                    .isEmpty();
        } finally {
            p.stop();
        }
        assertThat(ManagedProcess.attach("demo", p.pid(), null, p.log())).isEmpty();
        assertThat(Files.exists(dir.resolve("demo.log"))).isTrue();
    }

    @Test
    void portInUseIsAClearError() throws Exception {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Ports.claim("nginx", s.getLocalPort(), "--port"))
                    .isInstanceOf(StackException.class)
                    .hasMessage("nginx: port " + s.getLocalPort() + " on 127.0.0.1 is already in use");
        }
        assertThat(Ports.claim("nginx", 0, "--port")).isPositive();
    }

    private static List<ProcessHandle> waitForChildren(ManagedProcess p, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> d =
                    ProcessHandle.of(p.pid()).orElseThrow().descendants().toList();
            if (d.size() >= n) {
                return d;
            }
            Poll.sleep(50);
        }
        throw new AssertionError("children did not start");
    }
}
