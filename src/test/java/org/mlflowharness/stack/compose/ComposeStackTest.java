package org.mlflowharness.stack.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.model.StackException;
import org.testcontainers.DockerClientFactory;

/**
 * Breaks a real compose stack on purpose: {@code up} must fail naming the broken service with the last lines of its
 * log, and leave no container, network or volume of its project behind. Needs a Docker engine (offline images are
 * built when missing); without one JUnit reports the class as skipped with the reason. The healthy stack is what
 * {@code ./harness gate --stack compose} checks.
 */
@RequiresDocker
class ComposeStackTest {

    @Test
    void aFailingBucketJobFailsUpNamingItAndLeavesNothing(@TempDir Path work) {
        assertFailsNaming(
                work, "bucket-job-fails", "rustfs-init", "exit code 3", "deliberate fault: bucket creation refused");
    }

    @Test
    void aDatabaseThatNeverGetsHealthyFailsUpNamingItAndLeavesNothing(@TempDir Path work) {
        assertFailsNaming(work, "db-never-healthy", "db", "health unhealthy", "ready for connections");
    }

    private static void assertFailsNaming(Path work, String fault, String service, String state, String logLine) {
        HarnessConfig config = HarnessConfig.of(
                Map.of(Option.STACK, "compose", Option.FAULT, fault, Option.WORK_DIR, work.toString()), Map.of());
        ComposeStack stack = new ComposeStack(config, Path.of("compose"), System.out::println)
                .withStartupTimeout(Duration.ofMinutes(3));
        try {
            assertThatThrownBy(stack::start).isInstanceOfSatisfying(StackException.class, e -> {
                assertThat(e.component()).as("the service blamed").isEqualTo(service);
                assertThat(e.getMessage()).contains(state);
                assertThat(e.logTail())
                        .as("the last lines of the " + service + " log")
                        .anyMatch(l -> l.contains(logLine));
            });
        } finally {
            stack.stop();
        }
        String project = stack.projectPrefix();
        assertThat(project).as("the run's project").startsWith("mlflowharness");
        var docker = DockerClientFactory.instance().client();
        assertThat(docker.listContainersCmd().withShowAll(true).exec())
                .as("containers left")
                .noneMatch(c -> c.getLabels()
                        .getOrDefault("com.docker.compose.project", "")
                        .startsWith(project));
        assertThat(docker.listNetworksCmd().exec())
                .as("networks left")
                .noneMatch(n -> n.getName().startsWith(project));
        assertThat(docker.listVolumesCmd().exec().getVolumes())
                .as("volumes left")
                .noneMatch(v -> v.getName().startsWith(project));
    }
}
