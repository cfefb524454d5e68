package org.mlflowharness.guard;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.mlflowharness.model.Answer;
import org.mlflowharness.model.ComponentDown;
import org.opentest4j.TestAbortedException;

/**
 * Whether the stack under test is still there: the one flag that a {@code Watchdog} (stacks the harness started) or a
 * {@link Breaker} (stacks it cannot watch) sets when a component is down, and that every request path of the harness
 * consults (the suites' client, Gatling's requests, the load runner's steps), so that a dead stack ends the run in
 * seconds instead of every remaining request waiting for its timeout. One run per JVM at a time, like the suites'
 * {@code StackSession}; a run may use several stacks (compare), each with its own watch.
 */
public final class StackGuard {

    private static volatile ComponentDown down;
    private static final Map<Breaker, Consumer<ComponentDown>> BREAKERS = new ConcurrentHashMap<>();

    private StackGuard() {}

    /** A new run: nothing is down, no breaker listens. */
    public static synchronized void reset() {
        down = null;
        BREAKERS.clear();
    }

    /** Records that a component is down; true when it is the first one of the run (only that one counts). */
    public static synchronized boolean trip(ComponentDown d) {
        if (down != null) {
            return false;
        }
        down = d;
        return true;
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

    /** Lets {@code breaker} see every answer of the harness's requests; {@code onDown} gets what it reports. */
    public static void listen(Breaker breaker, Consumer<ComponentDown> onDown) {
        BREAKERS.put(breaker, onDown);
    }

    public static void stopListening(Breaker breaker) {
        BREAKERS.remove(breaker);
    }

    /** An HTTP answer from the stack (body only needed for statuses from 500 up), for the breakers. */
    public static void observe(int status, String body) {
        if (BREAKERS.isEmpty()) {
            return;
        }
        if (status < 500) {
            BREAKERS.keySet().forEach(Breaker::served);
        } else {
            Answer a = Answer.of(status, body);
            BREAKERS.forEach((b, onDown) -> b.observe(a).ifPresent(onDown));
        }
    }

    /** A request that got no answer ({@code reason}: connection refused, reset, timeout...), for the breakers. */
    public static void observeNoAnswer(String reason) {
        if (!BREAKERS.isEmpty()) {
            Answer a = Answer.none(reason);
            BREAKERS.forEach((b, onDown) -> b.observe(a).ifPresent(onDown));
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
