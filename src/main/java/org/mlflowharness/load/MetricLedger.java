package org.mlflowharness.load;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread-safe record of what the stack acknowledged (HTTP 200) per run, filled from the Gatling virtual users, and of
 * requests answered 503 TEMPORARILY_UNAVAILABLE (not acknowledged, so never counted as lost).
 */
public final class MetricLedger {

    /** The identity of one metric point: what get-history must return exactly once. */
    public record Point(String key, long step, long timestamp, double value) {}

    private final Map<String, Map<Point, AtomicInteger>> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong unavailable503 = new AtomicLong();

    /** Registers a run so that it is verified even when nothing was acknowledged for it. */
    public void run(String runId) {
        acknowledged.computeIfAbsent(runId, r -> new ConcurrentHashMap<>());
    }

    public void acknowledge(String runId, List<Point> points) {
        Map<Point, AtomicInteger> m = acknowledged.computeIfAbsent(runId, r -> new ConcurrentHashMap<>());
        points.forEach(p -> m.computeIfAbsent(p, x -> new AtomicInteger()).incrementAndGet());
    }

    /** A request answered 503 TEMPORARILY_UNAVAILABLE: its points were not acknowledged. */
    public void unavailable() {
        unavailable503.incrementAndGet();
    }

    public Set<String> runs() {
        return acknowledged.keySet();
    }

    /** Acknowledged points of a run with how often each was acknowledged. */
    public Map<Point, Integer> acknowledged(String runId) {
        Map<Point, Integer> copy = new java.util.HashMap<>();
        acknowledged.getOrDefault(runId, Map.of()).forEach((p, n) -> copy.put(p, n.get()));
        return copy;
    }

    public long unavailableRequests() {
        return unavailable503.get();
    }
}
