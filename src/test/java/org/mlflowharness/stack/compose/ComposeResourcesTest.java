package org.mlflowharness.stack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which compose services are read, and from which processes, with the engine's answers faked: this test's own JVM
 * stands in for a container's first process.
 */
class ComposeResourcesTest {

    private static final Map<String, String> NAMES = Map.of(ComposeStack.TRACKING, "mlflow", ComposeStack.DB, "mysql");

    /** This JVM as the engine would report a container: its PID, and its control group for the container's id. */
    private static ComposeResources.Root self() throws IOException {
        String cgroup = Files.readString(Path.of("/proc/self/cgroup")).strip();
        return new ComposeResources.Root(
                cgroup.substring(cgroup.lastIndexOf(':') + 1),
                ProcessHandle.current().pid());
    }

    @Test
    void servicesWhoseContainersRunHereAreReadByTheProductThatRan() throws IOException {
        ComposeResources.Root self = self();
        ComposeResources r = new ComposeResources(
                NAMES, service -> service.equals(ComposeStack.TRACKING) ? Optional.of(self) : Optional.empty());
        assertThat(r.available()).isTrue();
        assertThat(r.source()).startsWith("/proc of each compose service's container");
        assertThat(r.read()).containsOnlyKeys("mlflow");
        assertThat(r.read().get("mlflow").cpuSeconds()).isPositive();
    }

    @Test
    void anEngineWhosePidsAreNotProcessesOfThisMachineSaysSoAndReadsNothing() throws IOException {
        long pid = ProcessHandle.current().pid();
        ComposeResources elsewhere = new ComposeResources(
                NAMES, service -> Optional.of(new ComposeResources.Root("0123456789abcdef-not-here", pid)));
        assertThat(elsewhere.available()).isFalse();
        assertThat(elsewhere.source()).contains("not processes of this machine");
        ComposeResources noAnswer = new ComposeResources(NAMES, service -> {
            throw new IllegalStateException("the engine did not answer");
        });
        assertThat(noAnswer.available()).isFalse();
    }

    @Test
    void mlflowsTempDirIsReadInsideItsContainerThroughProc(@TempDir Path tmp) throws Exception {
        ProcessBuilder sleeper = new ProcessBuilder("sleep", "30");
        sleeper.environment().put("TMPDIR", tmp.toString());
        Process p = sleeper.start();
        try {
            assertThat(ComposeResources.tempDir(p.pid()))
                    .as("the child's TMPDIR as the kernel shows its files")
                    .isEqualTo(Path.of("/proc", Long.toString(p.pid()), "root")
                            .resolve(tmp.toString().substring(1)));
            ComposeResources.Root child = new ComposeResources.Root(self().containerId(), p.pid());
            ComposeResources r = new ComposeResources(
                    NAMES, service -> service.equals(ComposeStack.TRACKING) ? Optional.of(child) : Optional.empty());
            assertThat(r.gauges()).containsEntry("mlflow temp dir MiB", 0.0);
            Files.write(tmp.resolve("upload.part"), new byte[3 << 20]);
            assertThat(r.gauges()).containsEntry("mlflow temp dir MiB", 3.0);
        } finally {
            p.destroyForcibly();
        }
        assertThat(new ComposeResources(NAMES, service -> Optional.empty()).gauges())
                .isEmpty();
    }
}
