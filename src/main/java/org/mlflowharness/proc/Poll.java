package org.mlflowharness.proc;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The one way the harness waits for something to come about (a process ready, nginx routing to MLflow, the Docker
 * engine answering, a stack serving again after a fault): an attempt every interval until one gives a value or the
 * time is up, the one way it sleeps, and the one way it waits for a task it ran beside its own work ({@link #join}). An attempt that throws ends the wait at once (a process that exited will not
 * become ready); one that finds nothing yet may say why, and the last such reason goes into the timeout's message.
 */
public final class Poll {

    private Poll() {}

    /** What one attempt found: the awaited value, or nothing yet and, when known, why (a reason or an error). */
    public record Attempt<T>(T value, String why, Throwable error) {

        public static <T> Attempt<T> done(T value) {
            if (value == null) {
                throw new IllegalArgumentException("an awaited value cannot be null");
            }
            return new Attempt<>(value, null, null);
        }

        /** Not yet; {@code why} (may be null) is kept for the timeout's message. */
        public static <T> Attempt<T> notYet(String why) {
            return new Attempt<>(null, why, null);
        }

        /** Not yet because the attempt failed; the error's message goes into the timeout's message, the error is its cause. */
        public static <T> Attempt<T> failed(Throwable error) {
            return new Attempt<>(null, error.getMessage() == null ? error.toString() : error.getMessage(), error);
        }

        boolean isDone() {
            return value != null;
        }
    }

    /** The time ran out: the message names what was awaited, for how long, and the last reason it was not there. */
    public static final class TimedOut extends RuntimeException {

        private TimedOut(String what, Duration timeout, Attempt<?> last) {
            super(
                    "not ready after " + timeout.toSeconds() + " s waiting for " + what
                            + (last == null
                                    ? ""
                                    : last.error() != null
                                            ? " (last error: " + last.why() + ")"
                                            : " (last: " + last.why() + ")"),
                    last == null ? null : last.error());
        }
    }

    /**
     * Calls {@code attempt} every {@code interval} until it gives a value, and returns that value; after
     * {@code timeout} throws {@link TimedOut} naming {@code what} (say "a TCP listener on 127.0.0.1:5000").
     */
    public static <T> T poll(String what, Duration timeout, Duration interval, Supplier<Attempt<T>> attempt) {
        Attempt<T> last = attempts(timeout, interval, attempt);
        if (last != null && last.isDone()) {
            return last.value();
        }
        throw new TimedOut(what, timeout, last);
    }

    /** As {@link #poll}, but running out of time is an answer too: empty. */
    public static <T> Optional<T> until(Duration timeout, Duration interval, Supplier<Attempt<T>> attempt) {
        Attempt<T> last = attempts(timeout, interval, attempt);
        return last != null && last.isDone() ? Optional.of(last.value()) : Optional.empty();
    }

    /** The attempt that gave a value, else the last one that said why not (null when none did). */
    private static <T> Attempt<T> attempts(Duration timeout, Duration interval, Supplier<Attempt<T>> attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Attempt<T> last = null;
        while (System.nanoTime() - deadline < 0) {
            Attempt<T> a = attempt.get();
            if (a.isDone()) {
                return a;
            }
            if (a.why() != null) {
                last = a;
            }
            sleep(interval.toMillis());
        }
        return last;
    }

    /** Waits for a task that runs beside the caller and returns its value; what it threw is thrown as it was. */
    public static <T> T join(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Sleeps; an interrupt becomes an IllegalStateException (the interrupt flag stays set). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
