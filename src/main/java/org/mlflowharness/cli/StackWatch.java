package org.mlflowharness.cli;

import java.io.PrintStream;
import org.mlflowharness.guard.Breaker;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.model.ComponentDown;
import org.mlflowharness.stack.StackProvider;
import org.mlflowharness.stack.Watchdog;

/**
 * Watches one stack of a run: with the {@link Watchdog} when its provider can watch its components (then a component
 * going down also stops the rest of that stack at once, which ends every request still waiting on it), else with a
 * {@link Breaker} on the harness's own requests. Either way {@link StackGuard} carries the news to the suites, the
 * scenarios and the {@link RunSession}. Closed before the stack is stopped on purpose.
 */
final class StackWatch implements AutoCloseable {

    private final StackProvider provider;
    private final PrintStream err;
    private volatile boolean closed;
    private Watchdog watchdog;
    private Breaker breaker;
    private Thread cut;

    StackWatch(StackProvider provider, PrintStream err) {
        this.provider = provider;
        this.err = err;
    }

    /** Starts watching; returns how, for the report. */
    synchronized String start() {
        try {
            provider.liveComponents();
            watchdog = Watchdog.start(provider::liveComponents, this::componentDown);
            return watchdog.describe() + "; a component found down stops the run and the stack";
        } catch (UnsupportedOperationException e) {
            breaker = new Breaker();
            StackGuard.listen(breaker, this::stoppedServing);
            return "breaker (no watchdog: " + e.getMessage()
                    + "): the run stops after 3 consecutive requests failing the same way "
                    + "(connection refused, 502/503/504, MLflow without its database) with nothing served for 10 s";
        }
    }

    private void stoppedServing(ComponentDown d) {
        if (!closed && StackGuard.trip(d)) {
            err.println("stack down: " + d.oneLine() + "; the remaining suites and load steps are not run");
        }
    }

    /** A component the harness started died: nothing after it is evidence, and every request still waiting must end now. */
    private synchronized void componentDown(ComponentDown d) {
        if (closed || !StackGuard.trip(d)) {
            return;
        }
        err.println("stack down: " + d.oneLine() + "; the remaining suites and load steps are not run");
        err.println("stopping the rest of the stack now, so that requests still waiting on it end");
        cut = new Thread(provider::stopNow, "harness-stop-after-down");
        cut.start();
    }

    /** Stops watching (before the stack is stopped on purpose) and waits for a stop the watchdog began. */
    @Override
    public void close() {
        closed = true; // from here on, a component seen going down is the deliberate stop
        Watchdog w;
        synchronized (this) {
            w = watchdog;
            if (breaker != null) {
                StackGuard.stopListening(breaker);
            }
        }
        if (w != null) {
            w.close();
        }
        Thread stopping;
        synchronized (this) {
            stopping = cut;
        }
        if (stopping != null) {
            try {
                stopping.join(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
