package org.mlflowharness.load;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.model.Endpoints;

/**
 * What one Gatling run of a scenario step needs and fills. Gatling instantiates simulations itself, so the runner
 * publishes the context here before launching one and reads it back afterwards (runs are strictly sequential).
 */
public final class LoadContext {

    private static volatile LoadContext current;

    /**
     * One proxied upload as the virtual user saw it. {@code status} null when no response arrived; {@code error} is
     * then Gatling's reason (timeout, connection reset...), else null.
     */
    public record Upload(
            String experimentId,
            String runId,
            String path,
            Integer status,
            String error,
            long startNanos,
            long endNanos) {
        public boolean acknowledged() {
            return status != null && status == 200;
        }
    }

    public final Endpoints endpoints;
    public final MlflowClient client;
    public final Profile.Settings settings;
    public final Profile.Step step;
    public final String namePrefix;
    public final RequestRecorder recorder;
    private final long deadlineNanos;
    public final MetricLedger ledger = new MetricLedger();
    public final List<Upload> uploads = new CopyOnWriteArrayList<>();
    /** Experiments created for this run: deleted afterwards unless --keep-data. */
    public final List<String> experiments = new CopyOnWriteArrayList<>();
    /** The {@link #data} key the runner sets when a load that runs until told (resilience) should end. */
    public static final String DONE = "done";
    /** Scenario-specific values set in before() or by the runner (experiment ids, seed runs, upload slots). */
    public final Map<String, Object> data = new ConcurrentHashMap<>();

    /**
     * @param recorder     where request statistics go (shared by the runs of one series, e.g. upload sizes)
     * @param deadlineNanos {@link System#nanoTime()} by which the run must end: the profile's time budget
     */
    public LoadContext(
            Endpoints endpoints,
            Profile.Settings settings,
            Profile.Step step,
            String namePrefix,
            RequestRecorder recorder,
            long deadlineNanos) {
        this.recorder = recorder;
        this.deadlineNanos = deadlineNanos;
        this.endpoints = endpoints;
        this.client = new MlflowClient(endpoints);
        this.settings = settings;
        this.step = step;
        this.namePrefix = namePrefix;
    }

    public static void publish(LoadContext ctx) {
        current = ctx;
    }

    /** The context of the run being launched; fails when a simulation is started outside the harness. */
    public static LoadContext current() {
        LoadContext c = current;
        if (c == null) {
            throw new IllegalStateException("load simulations run through ./harness load (no LoadContext published)");
        }
        return c;
    }

    /** A simulation's own time bound, cut to what is left of the profile's budget. */
    public Duration maxDuration(Duration own) {
        return within(own, deadlineNanos);
    }

    /** {@code own}, or what is left until {@code deadlineNanos} when that is shorter (but at least 10 s). */
    public static Duration within(Duration own, long deadlineNanos) {
        Duration left = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
        return own.compareTo(left) < 0
                ? own
                : left.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : left;
    }

    public String string(String key) {
        Object v = data.get(key);
        if (v == null) {
            throw new IllegalStateException("load context has no '" + key + "' (set in before())");
        }
        return v.toString();
    }
}
