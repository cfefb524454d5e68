package org.mlflowharness.load.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.Profile.FaultPlan;
import org.mlflowharness.proc.Poll;
import org.mlflowharness.stack.StackProvider;

/**
 * Applies the resilience plan's faults while the load runs: waits until the load is flowing, then per fault, at its
 * time but never before the stack has served {@code settleSeconds} after the previous fault (so that each fault's window
 * starts from steady load): restart (or reload) through the provider, which returns once the component is ready again,
 * then probes through nginx until the whole stack serves again. After the last fault and {@code settleSeconds} of
 * steady load it tells the load to end. A fault that does not recover, or cannot be applied,
 * ends the plan; one under way when the run is {@link #cancel cancelled} is finished (its component is started again),
 * later ones are not started. Every wait is bounded.
 */
final class FaultInjector implements Runnable {

    /** How long the load may take to produce its first acknowledged request. */
    static final Duration LOAD_START = Duration.ofSeconds(120);

    static final Duration PROBE_EVERY = Duration.ofMillis(250);
    /** How often the waits between faults look whether the load has started or was cancelled. */
    private static final Duration POLL_EVERY = Duration.ofMillis(200);

    /**
     * What happened to one fault; times in {@link System#nanoTime()}.
     *
     * @param readyNanos  when the provider had the component ready again (0 when it did not)
     * @param servesNanos when the stack served through nginx again (0 when not within recoverySeconds)
     * @param error       why the fault could not be applied or undone, or null
     */
    record Outcome(FaultPlan plan, long startNanos, long readyNanos, long servesNanos, String error) {}

    private final StackProvider provider;
    private final Profile.Resilience plan;
    private final LoadContext ctx;
    private final BooleanSupplier serves;
    private final Consumer<String> out;
    private final List<Outcome> outcomes = new ArrayList<>();
    private volatile boolean cancelled;
    private volatile long originNanos;

    /** @param serves one probe of the whole stack through nginx: true when it served */
    FaultInjector(
            StackProvider provider,
            Profile.Resilience plan,
            LoadContext ctx,
            BooleanSupplier serves,
            Consumer<String> out) {
        this.provider = provider;
        this.plan = plan;
        this.ctx = ctx;
        this.serves = serves;
        this.out = out;
    }

    @Override
    public void run() {
        try {
            Poll.until(
                    LOAD_START,
                    POLL_EVERY,
                    () -> ctx.recorder.okRequests() > 0 || cancelled
                            ? Poll.Attempt.done(true)
                            : Poll.Attempt.<Boolean>notYet(null));
            originNanos = System.nanoTime();
            if (ctx.recorder.okRequests() == 0) {
                out.accept("  no request of the load was acknowledged within " + LOAD_START.toSeconds()
                        + " s: no fault applied");
                return;
            }
            long settle = plan.settleSeconds() * 1_000_000_000L;
            long earliest = originNanos;
            for (FaultPlan f : plan.faults()) {
                long at = Math.max(originNanos + (long) (f.atSeconds() * 1e9), earliest);
                while (!cancelled && System.nanoTime() < at) {
                    Poll.sleep(Math.max(1, Math.min(POLL_EVERY.toMillis(), (at - System.nanoTime()) / 1_000_000)));
                }
                if (cancelled) {
                    return;
                }
                Outcome o = apply(f);
                synchronized (outcomes) {
                    outcomes.add(o);
                }
                if (o.error() != null || o.servesNanos() == 0) {
                    return;
                }
                earliest = o.servesNanos() + settle;
            }
            Poll.until(
                    Duration.ofNanos(settle),
                    POLL_EVERY,
                    () -> cancelled ? Poll.Attempt.done(true) : Poll.Attempt.<Boolean>notYet(null));
        } finally {
            ctx.data.put(LoadContext.DONE, Boolean.TRUE);
        }
    }

    private Outcome apply(FaultPlan f) {
        out.accept(String.format(
                "fault: %s at +%.1f s (planned +%.0f s), outage %.1f s",
                f.label(), (System.nanoTime() - originNanos) / 1e9, f.atSeconds(), f.outageSeconds()));
        long start = System.nanoTime();
        try {
            if (f.action().equals("reload")) {
                provider.reload(f.component());
            } else {
                provider.restart(f.component(), Duration.ofMillis((long) (f.outageSeconds() * 1000)));
            }
        } catch (UnsupportedOperationException e) {
            return new Outcome(f, start, 0, 0, "not supported by this stack's provider: " + e.getMessage());
        } catch (RuntimeException e) {
            return new Outcome(f, start, 0, 0, "the component did not come back: " + e.getMessage());
        }
        long ready = System.nanoTime();
        Duration left = Duration.ofNanos(start + plan.recoverySeconds() * 1_000_000_000L - System.nanoTime());
        long served = Poll.until(
                        left,
                        PROBE_EVERY,
                        () -> probe() ? Poll.Attempt.done(System.nanoTime()) : Poll.Attempt.<Long>notYet(null))
                .orElse(0L);
        return new Outcome(f, start, ready, served, null);
    }

    private boolean probe() {
        try {
            return serves.getAsBoolean();
        } catch (RuntimeException | AssertionError e) {
            return false;
        }
    }

    /** Applies no further fault (one under way is finished) and lets the load end. */
    void cancel() {
        cancelled = true;
    }

    /** When the load was first acknowledged: the faults' times count from here (0 before). */
    long originNanos() {
        return originNanos;
    }

    List<Outcome> outcomes() {
        synchronized (outcomes) {
            return List.copyOf(outcomes);
        }
    }
}
