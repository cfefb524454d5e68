package org.mlflowharness.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.mlflowharness.model.load.Requests;

/**
 * The harness's own per-request statistics, filled from the virtual users' sessions (status and response time saved
 * by the checks in {@link org.mlflowharness.load.endpoints.MlflowRequests}): counts, errors by status, p50/p95/p99 and
 * throughput for the report. Gatling's HTML report shows the same run in detail.
 */
public final class RequestRecorder {

    /** Outcome recorded when no HTTP response arrived: "no response (timeout)", "no response (connection reset)"... */
    public static String noResponse(String reason) {
        return "no response (" + NoResponse.kind(reason) + ")";
    }

    /** One request outcome in time (when it ended), for error windows and timelines. */
    public record Event(long endNanos, boolean ok, String outcome) {}

    /** Events kept at most (about 20 MB): beyond that a run is summarised, not replayed. */
    static final int MAX_EVENTS = 500_000;

    private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private volatile long okRequests;
    private final Map<String, Map<String, Integer>> statuses = new ConcurrentHashMap<>();
    private volatile long firstNanos = Long.MAX_VALUE;
    private volatile long lastNanos = Long.MIN_VALUE;

    /** One request outcome: the HTTP status, or {@link #noResponse}; {@code millis} negative when unknown. */
    public synchronized void record(String request, String outcome, long millis) {
        long now = System.nanoTime();
        firstNanos = Math.min(firstNanos, now - Math.max(0, millis) * 1_000_000);
        lastNanos = Math.max(lastNanos, now);
        if (millis >= 0) {
            latencies.computeIfAbsent(request, r -> new ArrayList<>()).add(millis);
        }
        statuses.computeIfAbsent(request, r -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
        boolean ok = "200".equals(outcome);
        if (ok) {
            okRequests++;
        }
        if (events.size() < MAX_EVENTS) {
            events.add(new Event(now, ok, outcome));
        }
    }

    /** When the first recorded request started ({@link System#nanoTime()}); {@link Long#MAX_VALUE} before any. */
    public long firstNanos() {
        return firstNanos;
    }

    /** When the last recorded request ended; {@link Long#MIN_VALUE} before any. */
    public long lastNanos() {
        return lastNanos;
    }

    /** Requests answered 200 so far. */
    public long okRequests() {
        return okRequests;
    }

    /** Every outcome recorded (up to {@link #MAX_EVENTS}), in the order they ended. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Summary over all requests, plus a per-request breakdown. */
    public synchronized Requests summary() {
        List<Long> all = new ArrayList<>();
        latencies.values().forEach(all::addAll);
        Map<String, Integer> allStatuses = new TreeMap<>();
        statuses.values().forEach(m -> m.forEach((s, n) -> allStatuses.merge(s, n, Integer::sum)));
        double seconds = lastNanos > firstNanos ? (lastNanos - firstNanos) / 1e9 : 0;
        Map<String, Requests> per = new TreeMap<>();
        statuses.forEach((name, st) -> per.put(name, stats(latencies.getOrDefault(name, List.of()), st, null, null)));
        return stats(all, allStatuses, seconds, per);
    }

    /** The figures of {@code lat} and {@code st}; over all requests ({@code wallSeconds} not null) also wall time and throughput. */
    private static Requests stats(
            List<Long> lat, Map<String, Integer> st, Double wallSeconds, Map<String, Requests> byRequest) {
        long[] sorted = lat.stream().mapToLong(Long::longValue).sorted().toArray();
        int requests = st.values().stream().mapToInt(Integer::intValue).sum();
        int ok = st.getOrDefault("200", 0);
        Map<String, Integer> errors = new TreeMap<>(st);
        errors.remove("200");
        return new Requests(
                requests,
                ok,
                requests - ok,
                requests == 0 ? 0 : Throughput.round2(100.0 * (requests - ok) / requests),
                errors,
                percentile(sorted, 50),
                percentile(sorted, 95),
                percentile(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1],
                wallSeconds == null ? null : Throughput.round2(wallSeconds),
                wallSeconds == null ? null : wallSeconds > 0 ? Throughput.round2(requests / wallSeconds) : 0,
                byRequest);
    }

    /** Nearest-rank percentile of sorted values; 0 when empty. */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    @Override
    public String toString() {
        return Arrays.toString(statuses.entrySet().toArray());
    }
}
