package org.mlflowharness.load;

import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Assertion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.load.SloLimits;

/**
 * Service-level thresholds of one scenario; null means "not checked". Latency and error thresholds become Gatling
 * assertions ({@link #gatlingAssertions()}); the ones Gatling cannot see (lost writes, MB/s, proxied/direct ratio)
 * are checked by the harness ({@link #checkMeasured}). Either way a breach names the threshold and the measured value.
 */
public record Slo(Integer p95Ms, Integer p99Ms, Double errorPct, Long maxLostWrites, Double minMBps, Double minRatio) {

    public static final Slo NONE = new Slo(null, null, null, null, null, null);

    /** One breached threshold. */
    public record Breach(String what, String threshold, String measured) {
        @Override
        public String toString() {
            return what + ": threshold " + threshold + ", measured " + measured;
        }
    }

    public static Slo fromMap(Map<String, Object> m) {
        if (m == null) {
            return NONE;
        }
        Profile.requireKnownKeys(
                m, "slo", List.of("p95Ms", "p99Ms", "errorPct", "maxLostWrites", "minMBps", "minRatio"));
        return new Slo(
                intOrNull(m.get("p95Ms")),
                intOrNull(m.get("p99Ms")),
                doubleOrNull(m.get("errorPct")),
                m.get("maxLostWrites") == null ? null : ((Number) m.get("maxLostWrites")).longValue(),
                doubleOrNull(m.get("minMBps")),
                doubleOrNull(m.get("minRatio")));
    }

    private static Integer intOrNull(Object o) {
        return o == null ? null : ((Number) o).intValue();
    }

    private static Double doubleOrNull(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }

    /** Gatling assertions for the latency and error thresholds (Gatling prints threshold and actual on a breach). */
    public List<Assertion> gatlingAssertions() {
        List<Assertion> a = new ArrayList<>();
        if (p95Ms != null) {
            a.add(global().responseTime().percentile(95.0).lte(p95Ms));
        }
        if (p99Ms != null) {
            a.add(global().responseTime().percentile(99.0).lte(p99Ms));
        }
        if (errorPct != null) {
            a.add(global().failedRequests().percent().lte(errorPct));
        }
        return a;
    }

    /** The latency/error thresholds checked against the harness's own measurements (same numbers as in the report). */
    public List<Breach> checkLatency(double p95, double p99, double errorPercent) {
        List<Breach> b = new ArrayList<>();
        if (p95Ms != null && p95 > p95Ms) {
            b.add(new Breach("p95 latency", "<= " + p95Ms + " ms", fmt(p95) + " ms"));
        }
        if (p99Ms != null && p99 > p99Ms) {
            b.add(new Breach("p99 latency", "<= " + p99Ms + " ms", fmt(p99) + " ms"));
        }
        if (errorPct != null && errorPercent > errorPct) {
            b.add(new Breach("error rate", "<= " + errorPct + " %", fmt(errorPercent) + " %"));
        }
        return b;
    }

    /**
     * The thresholds Gatling cannot check. Pass null for what was not measured (then it is not checked).
     * Lost writes default to a maximum of 0 whenever they were measured.
     */
    public List<Breach> checkMeasured(Long lostOrDuplicated, Double mbps, Double ratio) {
        List<Breach> b = new ArrayList<>();
        long maxLost = maxLostWrites == null ? 0 : maxLostWrites;
        if (lostOrDuplicated != null && lostOrDuplicated > maxLost) {
            b.add(new Breach("lost or duplicated writes", "<= " + maxLost, String.valueOf(lostOrDuplicated)));
        }
        if (minMBps != null && mbps != null && mbps < minMBps) {
            b.add(new Breach("throughput", ">= " + minMBps + " MB/s", fmt(mbps) + " MB/s"));
        }
        if (minRatio != null && ratio != null && ratio < minRatio) {
            b.add(new Breach("proxied/direct ratio", ">= " + minRatio, fmt(ratio)));
        }
        return b;
    }

    /** The limits this SLO sets, as the load report gives them (no lost writes allowed unless it says otherwise). */
    public SloLimits limits() {
        return new SloLimits(p95Ms, p99Ms, errorPct, maxLostWrites == null ? 0 : maxLostWrites, minMBps, minRatio);
    }

    static String fmt(double d) {
        return String.format(java.util.Locale.ROOT, "%.2f", d);
    }
}
