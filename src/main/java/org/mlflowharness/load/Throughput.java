package org.mlflowharness.load;

/** MB/s and ratio maths in one place (MB = 10^6 bytes, as S3 benchmarks such as warp report it). */
public final class Throughput {

    private Throughput() {}

    /** MB/s of {@code bytes} moved in {@code nanos}; 0 for a zero or negative time. */
    public static double mbps(long bytes, long nanos) {
        return nanos <= 0 ? 0 : bytes / 1e6 / (nanos / 1e9);
    }

    /** Aggregate MB/s of concurrent transfers: all bytes over the wall time from the first start to the last end. */
    public static double aggregateMbps(long totalBytes, long firstStartNanos, long lastEndNanos) {
        return mbps(totalBytes, lastEndNanos - firstStartNanos);
    }

    /** proxied / direct, or NaN when the direct baseline is missing or zero. */
    public static double ratio(double proxiedMbps, double directMbps) {
        return directMbps > 0 ? proxiedMbps / directMbps : Double.NaN;
    }

    public static double round2(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? d : Math.round(d * 100) / 100.0;
    }
}
