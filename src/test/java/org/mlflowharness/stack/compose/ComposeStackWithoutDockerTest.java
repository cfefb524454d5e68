package org.mlflowharness.stack.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.StackException;

/** ComposeStack's logic that needs no engine, and its behaviour where none answers. */
class ComposeStackWithoutDockerTest {

    @Test
    void startFailsFastNamingComposeAndTheFix(@TempDir Path work) throws Exception {
        assumeFalse(
                DockerEngine.ping(Duration.ofSeconds(5)).answers(),
                "a Docker engine answers: ComposeStackTest covers it");
        HarnessConfig config = HarnessConfig.of(Map.of(Option.WORK_DIR, work.toString()), Map.of());
        ComposeStack stack = new ComposeStack(config, Path.of("compose"), s -> {});

        assertThatThrownBy(stack::start).isInstanceOfSatisfying(StackException.class, e -> {
            assertThat(e.component()).isEqualTo("compose");
            assertThat(e.getMessage()).startsWith("compose: ").contains("no Docker engine answers");
            assertThat(e.oneLine()).contains("docker-setup").contains("--stack native");
        });
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("nothing prepared before the engine check").isEmpty();
        }
        stack.stop(); // idempotent, nothing to stop
        stack.stop();
    }

    @Test
    void composeFaultsNeedTheComposeStackAndNativeFaultsTheNativeOne() {
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(Option.FAULT, "bucket-job-fails"), Map.of()))
                .hasMessageContaining("--stack compose");
        assertThatThrownBy(
                        () -> HarnessConfig.of(Map.of(Option.STACK, "compose", Option.FAULT, "db-read-only"), Map.of()))
                .hasMessageContaining("native");
        assertThat(HarnessConfig.of(Map.of(Option.STACK, "compose", Option.FAULT, "db-never-healthy"), Map.of())
                        .fault())
                .isEqualTo(Fault.DB_NEVER_HEALTHY);
    }
}
