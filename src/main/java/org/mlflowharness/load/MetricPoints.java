package org.mlflowharness.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflowharness.client.MlflowClient;

/**
 * The points a training job logs at iteration {@code i}: values are exact in binary floating point so that what
 * comes back from the API compares equal to what was sent.
 */
public final class MetricPoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricPoints() {}

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

    /** A log-batch body (JSON) with {@code points} and, when {@code paramKey} is not null, one param. */
    public static String batchBody(String runId, List<MetricLedger.Point> points, String paramKey, String paramValue) {
        List<Map<String, Object>> metrics = points.stream()
                .map(p -> MlflowClient.metric(p.key(), p.value(), p.timestamp(), p.step()))
                .toList();
        List<?> params = paramKey == null ? List.of() : List.of(MlflowClient.keyValue(paramKey, paramValue));
        return json(MlflowClient.logBatchBody(runId, metrics, params, List.of()));
    }

    /** A log-metric body (JSON) for one point. */
    public static String metricBody(String runId, MetricLedger.Point p) {
        Map<String, Object> body =
                new LinkedHashMap<>(MlflowClient.metric(p.key(), p.value(), p.timestamp(), p.step()));
        body.put("run_id", runId);
        return json(body);
    }

    /** {@code body} as JSON (maps and lists of strings and numbers). */
    public static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always serialise", e);
        }
    }
}
