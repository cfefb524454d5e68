package org.mlflowharness.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Waiting with a deadline: the value when it comes, else a timeout that says what was awaited and why it was not there. */
class PollTest {

    private static final Duration SHORT = Duration.ofMillis(10);

    @Test
    void returnsTheValueOfTheFirstAttemptThatHasOne() {
        AtomicInteger calls = new AtomicInteger();
        String value = Poll.poll(
                "the third call",
                Duration.ofSeconds(5),
                SHORT,
                () -> calls.incrementAndGet() == 3 ? Poll.Attempt.done("three") : Poll.Attempt.notYet("only " + calls));
        assertThat(value).isEqualTo("three");
        assertThat(calls).hasValue(3);
    }

    @Test
    void timingOutNamesWhatWasAwaitedAndTheLastReason() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Poll.poll(
                        "MLflow through nginx",
                        Duration.ofMillis(300),
                        SHORT,
                        () -> Poll.Attempt.<Boolean>notYet("HTTP 502")))
                .isInstanceOf(Poll.TimedOut.class)
                .hasMessage("not ready after 0 s waiting for MLflow through nginx (last: HTTP 502)")
                .hasNoCause();
        assertThat((System.nanoTime() - t0) / 1e6)
                .as("milliseconds until it gave up")
                .isBetween(300.0, 3000.0);
    }

    @Test
    void theLastErrorIsTheCauseOfTheTimeout() {
        IOException refused = new IOException("Connection refused");
        assertThatThrownBy(() -> Poll.poll(
                        "a TCP listener on 127.0.0.1:1",
                        Duration.ofMillis(100),
                        SHORT,
                        () -> Poll.Attempt.<Boolean>failed(refused)))
                .hasMessage(
                        "not ready after 0 s waiting for a TCP listener on 127.0.0.1:1 (last error: Connection refused)")
                .hasCause(refused);
    }

    @Test
    void aReasonOutlivesLaterAttemptsThatGiveNone() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Poll.poll(
                        "it",
                        Duration.ofMillis(100),
                        SHORT,
                        () -> calls.incrementAndGet() == 1
                                ? Poll.Attempt.<Boolean>notYet("first")
                                : Poll.Attempt.<Boolean>notYet(null)))
                .hasMessage("not ready after 0 s waiting for it (last: first)");
    }

    @Test
    void anAttemptThatThrowsEndsTheWaitAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Poll.poll("a process that exited", Duration.ofSeconds(30), SHORT, () -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("exited with code 3");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("exited with code 3");
        assertThat(calls).hasValue(1);
    }

    @Test
    void untilGivesEmptyWhenTheTimeRunsOut() {
        assertThat(Poll.until(Duration.ofMillis(50), SHORT, () -> Poll.Attempt.<Long>notYet(null)))
                .isEmpty();
        assertThat(Poll.until(Duration.ofMillis(50), SHORT, () -> Poll.Attempt.done(7L)))
                .contains(7L);
        assertThat(Poll.until(Duration.ZERO, SHORT, () -> Poll.Attempt.done(7L)))
                .as("no time: no attempt")
                .isEmpty();
    }

    @Test
    void anInterruptedWaitStopsAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Poll.sleep(10_000))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void joinGivesTheTasksValueAndRethrowsWhatItThrewAsItWas() {
        assertThat(Poll.join(java.util.concurrent.CompletableFuture.supplyAsync(() -> "done")))
                .isEqualTo("done");
        assertThatThrownBy(() -> Poll.join(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    throw new IllegalStateException("allure generate failed");
                })))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("allure generate failed");
    }
}
