package org.mlflowharness.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The points a training job logs at iteration {@code i}: values are exact in binary floating point so that what
 * comes back from the API compares equal to what was sent.
 */
public final class MetricPoints {

    private MetricPoints() {
    }

    /** {@code batchSize} points, keys m0..m{n-1}, step i, all with the same timestamp. */
    public static List<MetricLedger.Point> batch(long i, int batchSize, long timestamp) {
        List<MetricLedger.Point> points = new ArrayList<>(batchSize);
        for (int k = 0; k < batchSize; k++) {
            points.add(new MetricLedger.Point("m" + k, i, timestamp, i + k / 4.0));
        }
        return points;
    }

    /** The single log-metric point of iteration i. */
    public static MetricLedger.Point single(long i, long timestamp) {
        return new MetricLedger.Point("single", i, timestamp, i * 0.5);
    }

    public static String batchBody(String runId, List<MetricLedger.Point> points, String paramKey, String paramValue) {
        StringBuilder b = new StringBuilder("{\"run_id\":\"").append(runId).append("\",\"metrics\":[");
        for (int j = 0; j < points.size(); j++) {
            MetricLedger.Point p = points.get(j);
            b.append(j == 0 ? "" : ",").append("{\"key\":\"").append(p.key()).append("\",\"value\":").append(p.value())
                    .append(",\"timestamp\":").append(p.timestamp()).append(",\"step\":").append(p.step()).append('}');
        }
        b.append(']');
        if (paramKey != null) {
            b.append(",\"params\":[{\"key\":\"").append(paramKey).append("\",\"value\":\"").append(paramValue).append("\"}]");
        }
        return b.append('}').toString();
    }

    public static String metricBody(String runId, MetricLedger.Point p) {
        return "{\"run_id\":\"" + runId + "\",\"key\":\"" + p.key() + "\",\"value\":" + p.value() + ",\"timestamp\":"
                + p.timestamp() + ",\"step\":" + p.step() + "}";
    }
}
