package org.mlflowharness.load;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.mlflowharness.model.load.SteppedResult;

/**
 * The arrivals of one open-model step: each arrival gets its sequence number, the time it was planned for (the k-th
 * at k / rate seconds after the first) and whether it may be sent: not while {@code maxInFlight} requests are still
 * unanswered. What was planned, sent, not sent and started late (over {@link #LATE_NANOS} after its planned time) is
 * the step's {@link SteppedResult.Arrivals}.
 */
public final class Arrivals {

    /** The load context's data key the simulation publishes its arrivals under. */
    public static final String KEY = "arrivals";

    static final long LATE_NANOS = 1_000_000_000L;

    private final double rate;
    private final int maxInFlight;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong notSent = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long firstNanos = -1;

    public Arrivals(double rate, int maxInFlight) {
        this.rate = rate;
        this.maxInFlight = maxInFlight;
    }

    /**
     * One arrival at {@code nowNanos}: its sequence number when it may be sent (then {@link #done} must follow), or -1
     * when {@code maxInFlight} requests are unanswered (counted as not sent).
     */
    public long arrive(long nowNanos) {
        long k = next.getAndIncrement();
        synchronized (this) {
            if (firstNanos < 0) {
                firstNanos = nowNanos;
            }
        }
        long planned = firstNanos + (long) (k / rate * 1e9);
        if (nowNanos - planned > LATE_NANOS) {
            late.incrementAndGet();
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            notSent.incrementAndGet();
            return -1;
        }
        return k;
    }

    /** A sent arrival was answered (or failed). */
    public void done() {
        inFlight.decrementAndGet();
    }

    /**
     * The step's figures: {@code plannedFor} arrivals planned over the step's duration; those that never arrived
     * (the injector ended the step before it started them) count as not sent too.
     */
    public SteppedResult.Arrivals result(long plannedFor) {
        long arrived = next.get();
        long sent = arrived - notSent.get();
        long missing = Math.max(0, plannedFor - arrived);
        return new SteppedResult.Arrivals(plannedFor, sent, notSent.get() + missing, late.get(), maxInFlight);
    }
}
