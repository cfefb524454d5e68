package org.mlflowharness.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.model.StackException;

/** Captured output of short commands: exit code and text whatever the code; only a command that cannot run throws. */
class CommandTest {

    @Test
    void captureGivesTheExitCodeAndTheMergedOutput() {
        Command.Output o = Command.capture("test", List.of("sh", "-c", "echo out; echo err >&2; exit 3"), "");
        assertThat(o.succeeded()).isFalse();
        assertThat(o.exitCode()).isEqualTo(3);
        assertThat(o.text()).contains("out").contains("err");
    }

    @Test
    void captureAppendsStandardErrorToTheLogWhenGivenOne(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("logs/err.log");
        Command.Output o = Command.capture(
                "test", List.of("sh", "-c", "echo \"$GREETING\"; echo err >&2"), Map.of("GREETING", "hello"), log, "");
        assertThat(o.succeeded()).isTrue();
        assertThat(o.text()).isEqualTo("hello");
        assertThat(Files.readString(log)).isEqualTo("err\n");
    }

    @Test
    void aCommandThatCannotRunNamesTheComponent() {
        assertThatThrownBy(() -> Command.capture("thing", List.of("/nonexistent/thing", "-v"), "install it"))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("could not run /nonexistent/thing");
    }

    @Test
    void outputFailsOnANonZeroExit() {
        assertThatThrownBy(() -> Command.output("test", List.of("sh", "-c", "echo nope; exit 1"), Map.of(), ""))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("failed: nope");
    }
}
