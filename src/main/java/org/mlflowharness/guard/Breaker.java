package org.mlflowharness.guard;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.mlflowharness.model.Answer;
import org.mlflowharness.model.ComponentDown;

/**
 * For a stack whose components the harness cannot watch (external): stops the run once the stack stops serving. It
 * trips after {@value #RUN} consecutive answers with the same cause that means "not serving" (nothing listens, a
 * 502/503/504, MLflow without its database; see {@link Answer#stackDownCause()}) when, in addition, nothing was served
 * for {@link #QUIET}: a single slow or refused request, or the odd deadlock 503 under load, does not trip it.
 */
public final class Breaker {

    static final int RUN = 3;
    static final Duration QUIET = Duration.ofSeconds(10);

    private final LongSupplier clock;
    private String cause;
    private int count;
    private long lastServed;

    public Breaker() {
        this(System::nanoTime);
    }

    Breaker(LongSupplier clock) {
        this.clock = clock;
        this.lastServed = clock.getAsLong();
    }

    /** An answer that shows the stack serving (any status below 500 that nginx did not give by itself). */
    public synchronized void served() {
        count = 0;
        cause = null;
        lastServed = clock.getAsLong();
    }

    /** Any other answer; returns the cause to report when this one completes a run. */
    public synchronized Optional<ComponentDown> observe(Answer answer) {
        Optional<String> down = answer.stackDownCause();
        if (down.isEmpty()) {
            if (answer.status() > 0) {
                served(); // the stack answered (MLflow's own 500 included); a timeout or reset says nothing either way
            }
            return Optional.empty();
        }
        if (down.get().equals(cause)) {
            count++;
        } else {
            cause = down.get();
            count = 1;
        }
        long quietNanos = clock.getAsLong() - lastServed;
        if (count < RUN || quietNanos < QUIET.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(new ComponentDown(
                answer.component(),
                String.format(
                        "the stack stopped serving: %d consecutive requests failed with %s and nothing was served for %.0f s; last: %s",
                        count, cause, quietNanos / 1e9, answer.meaning()),
                "check that every component of the stack runs and MLFLOW_TRACKING_URI points at its nginx",
                null));
    }
}
