package org.mlflowharness.stack.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.stack.StackException;

/** ComposeStack's behaviour where no Docker engine answers (this project's build machines). */
class ComposeStackWithoutDockerTest {

    @Test
    void startFailsFastNamingComposeAndTheNativeStack(@TempDir Path work) throws Exception {
        assumeFalse(org.mlflowharness.stack.Stacks.dockerAvailable(), "a Docker engine answers: ComposeStackTest covers it");
        HarnessConfig config = HarnessConfig.of(Map.of(Option.WORK_DIR, work.toString()), Map.of());
        ComposeStack stack = new ComposeStack(config);

        assertThatThrownBy(stack::start).isInstanceOfSatisfying(StackException.class, e -> {
            assertThat(e.component()).isEqualTo("compose");
            assertThat(e.getMessage()).startsWith("compose: ").contains("no Docker engine answers");
            assertThat(e.oneLine()).contains("use --stack native");
        });
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("nothing prepared before the engine check").isEmpty();
        }
        stack.stop(); // idempotent, nothing to stop
        stack.stop();
    }

    @Test
    void dotEnvKeepsTheExampleAndFillsInTheRunsValues() {
        String example = "# versions\nMLFLOW_VERSION=3.17.2\nS3_BUCKET=mlflow\n";
        assertThat(ComposeStack.dotEnv(example, Map.of("MLFLOW_VERSION", "3.5.0", "NGINX_PORT", "0")))
                .isEqualTo("# versions\nMLFLOW_VERSION=3.5.0\nS3_BUCKET=mlflow\nNGINX_PORT=0\n");
    }
}
