package org.mlflowharness.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration watcher on a stand-in for {@code mlflow db upgrade} (a shell script printing alembic's lines): each
 * migration timed, the run killed as the chosen migration starts, and --interrupt-migration's syntax.
 */
class MigrationRunTest {

    /** Three migrations of 0.3 s each, as alembic logs them, then success. */
    private static final String ALEMBIC = "for r in 'aaa111 -> bbb222, first' 'bbb222 -> ccc333, second'"
            + " 'ccc333 -> ddd444, third'; do echo \"INFO  [alembic.runtime.migration] Running upgrade $r\";"
            + " sleep 0.3; done; echo done > \"$1\"";

    @Test
    void eachMigrationIsTimedFromAlembicsLines(@TempDir Path dir) {
        Path marker = dir.resolve("finished");
        MigrationRun.Outcome o = MigrationRun.run(
                List.of("bash", "-c", ALEMBIC, "sh", marker.toString()),
                dir.resolve("m.log"),
                Duration.ofSeconds(20),
                Optional.empty(),
                dir);
        assertThat(o.succeeded()).isTrue();
        assertThat(o.ended()).isEqualTo("exited with code 0");
        assertThat(o.killedAt()).isNull();
        assertThat(o.steps()).extracting(MigrationRun.Step::to).containsExactly("bbb222", "ccc333", "ddd444");
        assertThat(o.steps().get(1).name()).isEqualTo("bbb222 -> ccc333 (second)");
        assertThat(o.steps()).allSatisfy(s -> assertThat(s.seconds()).isBetween(0.2, 2.0));
        assertThat(marker).exists();
    }

    @Test
    void theRunIsKilledAsTheChosenMigrationStarts(@TempDir Path dir) {
        Path marker = dir.resolve("finished");
        MigrationRun.Outcome o = MigrationRun.run(
                List.of("bash", "-c", ALEMBIC, "sh", marker.toString()),
                dir.resolve("m.log"),
                Duration.ofSeconds(20),
                MigrationRun.Interrupt.parse("ccc333"),
                dir);
        assertThat(o.succeeded()).isFalse();
        assertThat(o.killedAt()).isEqualTo("bbb222 -> ccc333 (second)");
        assertThat(o.ended()).startsWith("killed (").contains("killed by signal");
        assertThat(o.steps()).extracting(MigrationRun.Step::to).containsExactly("bbb222", "ccc333");
        assertThat(marker).as("the rest of the run never happened").doesNotExist();

        MigrationRun.Outcome first = MigrationRun.run(
                List.of("bash", "-c", ALEMBIC, "sh", marker.toString()),
                dir.resolve("m2.log"),
                Duration.ofSeconds(20),
                MigrationRun.Interrupt.parse("1"),
                dir);
        assertThat(first.killedAt()).isEqualTo("aaa111 -> bbb222 (first)");
    }

    @Test
    void aRunThatFailsOrOverrunsIsNotASuccess(@TempDir Path dir) {
        assertThat(MigrationRun.run(
                                List.of("bash", "-c", "exit 3"),
                                dir.resolve("f.log"),
                                Duration.ofSeconds(10),
                                Optional.empty(),
                                dir)
                        .ended())
                .isEqualTo("exited with code 3");
        MigrationRun.Outcome slow = MigrationRun.run(
                List.of("sleep", "30"), dir.resolve("s.log"), Duration.ofMillis(300), Optional.empty(), dir);
        assertThat(slow.succeeded()).isFalse();
        assertThat(slow.ended()).isEqualTo("did not finish in 0 s");
    }

    @Test
    void interruptIsARevisionOrACount() {
        assertThat(MigrationRun.Interrupt.parse("400f98739977"))
                .contains(new MigrationRun.Interrupt("400f98739977", 0));
        assertThat(MigrationRun.Interrupt.parse("3")).contains(new MigrationRun.Interrupt(null, 3));
        assertThat(MigrationRun.Interrupt.parse("")).isEmpty();
        assertThatThrownBy(() -> MigrationRun.Interrupt.parse("halfway"))
                .hasMessageContaining("--interrupt-migration halfway")
                .hasMessageContaining("revision");
        assertThatThrownBy(() -> MigrationRun.Interrupt.parse("0")).hasMessageContaining("count");
    }

    @Test
    void aLastLineStillBeingWrittenIsNotReadYet(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("l.log");
        Files.writeString(log, "one\nRunning upgrade aaa -> b");
        assertThat(MigrationRun.lines(log)).containsExactly("one");
        assertThat(MigrationRun.lines(dir.resolve("none"))).isEmpty();
    }
}
