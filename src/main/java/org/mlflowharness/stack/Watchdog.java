package org.mlflowharness.stack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mlflowharness.model.ComponentDown;

/**
 * Watches the components of a stack the harness started while suites and scenarios use it: every
 * {@link #PROCESS_EVERY} whether each process still runs, every {@link #HEALTH_EVERY} its own health check. A process
 * that exited, or a health check that has not answered for {@link #UNANSWERED}, is reported once, as a
 * {@link ComponentDown} naming the component, how it ended and the last lines of its log. A component its provider
 * restarts on purpose ({@link LiveComponent#restarting()}) is not down.
 */
public final class Watchdog implements AutoCloseable {

    static final Duration PROCESS_EVERY = Duration.ofMillis(500);
    static final Duration HEALTH_EVERY = Duration.ofSeconds(2);
    static final Duration UNANSWERED = Duration.ofSeconds(20);
    static final int LOG_LINES = 20;

    private final Supplier<List<LiveComponent>> components;
    private final Consumer<ComponentDown> onDown;
    private final Duration unanswered;
    private final Map<LiveComponent, Long> lastAnswered = new ConcurrentHashMap<>();
    private final AtomicBoolean fired = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "harness-watchdog");
        t.setDaemon(true);
        return t;
    });

    Watchdog(Supplier<List<LiveComponent>> components, Consumer<ComponentDown> onDown, Duration unanswered) {
        this.components = components;
        this.onDown = onDown;
        this.unanswered = unanswered;
    }

    /**
     * Starts watching {@code components} (asked again on every check, so that components added later are watched too);
     * {@code onDown} runs once, for the first component found down.
     */
    public static Watchdog start(Supplier<List<LiveComponent>> components, Consumer<ComponentDown> onDown) {
        return new Watchdog(components, onDown, UNANSWERED).schedule(PROCESS_EVERY, HEALTH_EVERY);
    }

    Watchdog schedule(Duration processEvery, Duration healthEvery) {
        timer.scheduleWithFixedDelay(this::checkProcesses, 0, processEvery.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(
                this::checkHealth, healthEvery.toMillis(), healthEvery.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** What is watched and how, for the report. */
    public String describe() {
        return "watchdog: every " + PROCESS_EVERY.toMillis() + " ms whether the processes of "
                + String.join(
                        ", ",
                        components.get().stream()
                                .map(c -> c.role() + " (" + c.name() + ")")
                                .toList())
                + " run, every " + HEALTH_EVERY.toSeconds() + " s their own health checks (down after "
                + unanswered.toSeconds() + " s without an answer)";
    }

    void checkProcesses() {
        for (LiveComponent c : components.get()) {
            if (!c.restarting()) {
                c.exited().ifPresent(how -> down(c, "its process " + how + " while the harness used it"));
            }
        }
    }

    void checkHealth() {
        for (LiveComponent c : components.get()) {
            long now = System.nanoTime();
            lastAnswered.putIfAbsent(c, now);
            if (c.restarting()) {
                lastAnswered.put(c, now);
                continue;
            }
            try {
                if (c.health().isReady()) {
                    lastAnswered.put(c, now);
                    continue;
                }
            } catch (Exception e) {
                // not answering: judged below by how long it has been
            }
            long silent = now - lastAnswered.get(c);
            if (silent >= unanswered.toNanos() && c.exited().isEmpty() && !c.restarting()) {
                down(
                        c,
                        String.format(
                                "its process runs but its health check (%s) has not answered for %.0f s",
                                c.health().describe(), silent / 1e9));
            }
        }
    }

    private void down(LiveComponent c, String problem) {
        if (fired.compareAndSet(false, true)) {
            onDown.accept(new ComponentDown(
                    c.role() + " (" + c.name() + ")", problem, "see " + c.log(), c.logTail(LOG_LINES)));
        }
    }

    /** Stops watching (before the stack is stopped on purpose). */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS); // a check under way must not see the deliberate stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
