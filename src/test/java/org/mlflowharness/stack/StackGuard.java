package org.mlflowharness.stack;

import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.client.Answer;
import org.opentest4j.TestAbortedException;

/**
 * Whether the stack under test is still there: the one flag the {@link Watchdog} (stacks the harness started) or the
 * {@link Breaker} (stacks it cannot watch) sets when a component is down, and that every request path of the harness
 * consults (the suites' client, Gatling's requests, the load runner's steps), so that a dead stack ends the run in
 * seconds instead of every remaining request waiting for its timeout. One run per JVM at a time, like the suites'
 * {@code StackSession}.
 */
public final class StackGuard {

    private static volatile ComponentDown down;
    private static volatile Breaker breaker;
    private static volatile Consumer<ComponentDown> onDown = d -> { };
    private static volatile boolean guarding;

    private StackGuard() {
    }

    /**
     * Starts guarding a run: nothing is down; {@code breaker} (or null when a watchdog watches the components) sees
     * every answer; {@code onDown} runs once, on the thread that saw the first component go down.
     */
    public static synchronized void start(Breaker breaker, Consumer<ComponentDown> onDown) {
        StackGuard.down = null;
        StackGuard.breaker = breaker;
        StackGuard.onDown = onDown;
        StackGuard.guarding = true;
    }

    /** A new run: nothing is down, nothing is watched. */
    public static synchronized void reset() {
        stop();
        down = null;
    }

    /** Stops guarding (the stack is being stopped on purpose); what was seen stays readable through {@link #down()}. */
    public static synchronized void stop() {
        guarding = false;
        breaker = null;
        onDown = d -> { };
    }

    /**
     * Records that a component is down; only the first one counts, and only it runs the {@code onDown} action. Ignored
     * when nothing is guarded (before {@link #start}, after {@link #stop}: the stack is being stopped on purpose).
     */
    public static void trip(ComponentDown d) {
        Consumer<ComponentDown> action;
        synchronized (StackGuard.class) {
            if (down != null || !guarding) {
                return;
            }
            down = d;
            action = onDown;
        }
        action.accept(d);
    }

    /** The component that went down in this run, if one did. */
    public static Optional<ComponentDown> down() {
        return Optional.ofNullable(down);
    }

    /** Throws {@link Aborted} when a component is down: call before sending anything to the stack. */
    public static void check() {
        ComponentDown d = down;
        if (d != null) {
            throw new Aborted(d);
        }
    }

    /** An HTTP answer from the stack (body only needed for statuses from 500 up), for the breaker. */
    public static void observe(int status, String body) {
        Breaker b = breaker;
        if (b == null) {
            return;
        }
        if (status < 500) {
            b.served();
        } else {
            b.observe(Answer.of(status, body)).ifPresent(StackGuard::trip);
        }
    }

    /** A request that got no answer ({@code reason}: connection refused, reset, timeout...), for the breaker. */
    public static void observeNoAnswer(String reason) {
        Breaker b = breaker;
        if (b != null) {
            b.observe(Answer.none(reason)).ifPresent(StackGuard::trip);
        }
    }

    /**
     * What is thrown instead of sending a request to a stack with a component down. A test that meets it is aborted
     * (skipped with this reason), not failed: it did not find a defect, it could not run.
     */
    public static final class Aborted extends TestAbortedException {
        public Aborted(ComponentDown cause) {
            super("not run: " + cause.getMessage(), cause);
        }
    }
}
