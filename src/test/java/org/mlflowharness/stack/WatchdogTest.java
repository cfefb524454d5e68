package org.mlflowharness.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.mlflowharness.model.ComponentDown;
import org.mlflowharness.proc.Readiness;

class WatchdogTest {

    /** A component whose process and health check the test controls. */
    static final class Fake implements LiveComponent {
        volatile String exited;
        volatile boolean answering = true;
        volatile boolean restarting;

        public String role() {
            return "tracking";
        }

        public String name() {
            return "mlflow";
        }

        public Optional<String> exited() {
            return Optional.ofNullable(exited);
        }

        public Readiness health() {
            return new Readiness() {
                public boolean isReady() {
                    return answering;
                }

                public String describe() {
                    return "HTTP 200 from /health";
                }
            };
        }

        public boolean restarting() {
            return restarting;
        }

        public String log() {
            return "mlflow.log";
        }

        public List<String> logTail(int lines) {
            return List.of("Traceback (most recent call last):");
        }
    }

    private final Fake mlflow = new Fake();
    private final List<ComponentDown> seen = new CopyOnWriteArrayList<>();
    private final Watchdog watchdog = new Watchdog(() -> List.of(mlflow), seen::add, Duration.ZERO);

    @Test
    void anExitedProcessIsReportedOnceWithItsLog() {
        watchdog.checkProcesses();
        assertThat(seen).isEmpty();
        mlflow.exited = "exited with code 1";
        watchdog.checkProcesses();
        watchdog.checkProcesses();
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).oneLine())
                .isEqualTo(
                        "tracking (mlflow): its process exited with code 1 while the harness used it -> see mlflow.log");
        assertThat(seen.get(0).logTail()).containsExactly("Traceback (most recent call last):");
    }

    @Test
    void aHealthCheckThatStopsAnsweringIsReported() {
        watchdog.checkHealth();
        assertThat(seen).isEmpty();
        mlflow.answering = false;
        watchdog.checkHealth();
        assertThat(seen)
                .singleElement()
                .satisfies(
                        d -> assertThat(d.getMessage())
                                .startsWith(
                                        "tracking (mlflow): its process runs but its health check (HTTP 200 from /health) has not answered for"));
    }

    @Test
    void aDeliberateRestartIsNotADeath() {
        mlflow.restarting = true;
        mlflow.exited = "exited with code 0";
        mlflow.answering = false;
        watchdog.checkProcesses();
        watchdog.checkHealth();
        assertThat(seen).isEmpty();
    }
}
