package org.mlflowharness.suites.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflowharness.client.MlflowClient;

/**
 * Values that come back unchanged only from a stack that stores them exactly: metrics that need every bit of a double
 * (17 significant digits, the extremes of the range, subnormals, negative zero), timestamps and steps beyond 2^31, 2^32
 * and 2^53 (a client or column going through int32 or double loses them), and params, tags and keys at MLflow's length
 * limits made of multi-byte characters (a column counting bytes, or a 3-byte utf8, truncates them). Tracking checks
 * them through the API, Database in the tables.
 */
public final class ExactValues {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** MLflow's limits (mlflow/utils/validation.py), in characters (code points). */
    public static final int MAX_PARAM_VALUE = 6000;

    public static final int MAX_TAG_VALUE = 8000;
    public static final int MAX_KEY = 250;

    /** One metric point: each key is logged once, so the history and the latest value are this point. */
    public record Point(String key, double value, long timestamp, long step) {
        @Override
        public String toString() {
            return key + "=" + value + " @" + timestamp + " step " + step;
        }
    }

    public static final List<Point> METRICS = List.of(
            new Point("nine_digits", 0.123456789, 2_147_483_648L, 0), // timestamp 2^31
            new Point("ten_digits", 1234567.891, 4_294_967_297L, 2_147_483_648L), // 2^32 + 1, step 2^31
            new Point("seventeen_digits", 0.30000000000000004, 1_700_000_000_123L, 4_294_967_297L),
            new Point("tiny", 1e-300, 4_102_444_800_123L, 9_007_199_254_740_993L), // step 2^53 + 1
            new Point("max_double", Double.MAX_VALUE, 9_007_199_254_740_993L, 1L), // 1.7976931348623157e308
            new Point("min_subnormal", Double.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE), // 4.9e-324
            new Point("negative_large", -9.876543210987654e200, 1_700_000_000_000L, 7L),
            new Point("negative_zero", -0.0, 1_700_000_000_001L, 3L));

    /** 4 code points, 10 UTF-8 bytes: 2-, 3- and 4-byte characters and ASCII. */
    private static final String MIXED = "é日🙂a";

    /** A key of exactly 250 characters that MLflow's key pattern accepts ({@code \w} is Unicode-aware): 2- and 3-byte letters. */
    public static final String LONG_KEY = "é日".repeat(MAX_KEY / 2);

    public static final String PARAM_VALUE = MIXED.repeat(MAX_PARAM_VALUE / 4);
    public static final String TAG_VALUE = MIXED.repeat(MAX_TAG_VALUE / 4);

    private ExactValues() {}

    /** The number of characters MLflow (Python) counts. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Exactly the same double, bit for bit (so -0.0 differs from 0.0 and every digit counts). */
    public static boolean same(double a, double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }

    /**
     * MariaDB (seen with 10.11) stores -0.0 in a DOUBLE column as 0: the sign of zero is lost, the value is numerically
     * equal. Tolerated, and reported by the suites as a known deviation, only for exactly that.
     */
    public static boolean zeroSignLost(double sent, double got) {
        return same(sent, -0.0) && same(got, 0.0);
    }

    /** What logging the values did: per metric key the server's refusal, if it refused. */
    public record Logged(Map<String, String> refused) {}

    /**
     * Logs every metric with its own {@code log-metric} call (a backend that refuses one value must not hide the
     * others), the param and the tag at their length limits, and a param under the 250-character key. The JSON is
     * written here so that every double goes out in its shortest exact form.
     */
    public static Logged log(MlflowClient mlflow, String runId) {
        Map<String, String> refused = new LinkedHashMap<>();
        for (Point p : METRICS) {
            Response r = mlflow.postRaw(
                    "/runs/log-metric",
                    json(Map.of(
                            "run_id",
                            runId,
                            "key",
                            p.key(),
                            "value",
                            p.value(),
                            "timestamp",
                            p.timestamp(),
                            "step",
                            p.step())));
            if (r.statusCode() != 200) {
                refused.put(p.key(), r.statusCode() + " " + r.asString());
            }
        }
        mlflow.post("/runs/log-parameter", json(Map.of("run_id", runId, "key", "long_param", "value", PARAM_VALUE)));
        mlflow.post("/runs/log-parameter", json(Map.of("run_id", runId, "key", LONG_KEY, "value", "key at the limit")));
        mlflow.post("/runs/set-tag", json(Map.of("run_id", runId, "key", "long_tag", "value", TAG_VALUE)));
        return new Logged(refused);
    }

    /** The metric history of {@code key} as the API returns it, numbers parsed exactly (-0.0 stays -0.0). */
    public static List<Point> history(MlflowClient mlflow, String runId, String key) {
        Response r = mlflow.getRaw("/metrics/get-history", Map.of("run_id", runId, "metric_key", key));
        return points(tree(r, "metrics/get-history of " + key).path("metrics"));
    }

    /** {@code runs/get} parsed exactly. */
    public static JsonNode run(MlflowClient mlflow, String runId) {
        return tree(mlflow.getRaw("/runs/get", Map.of("run_id", runId)), "runs/get")
                .path("run");
    }

    /** The metric points of a {@code metrics} array (runs/get or get-history). */
    public static List<Point> points(JsonNode metrics) {
        List<Point> out = new ArrayList<>();
        for (JsonNode m : metrics) {
            out.add(new Point(
                    m.path("key").asText(),
                    m.path("value").asDouble(),
                    m.path("timestamp").asLong(),
                    m.path("step").asLong(0)));
        }
        return out;
    }

    /** {@code key -> value} of a params or tags array. */
    public static Map<String, String> keyValues(JsonNode entries) {
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach(e -> out.put(e.path("key").asText(), e.path("value").asText()));
        return out;
    }

    /**
     * Compares a point read back with the one logged: empty when exact, else what differs. {@code deviations} collects
     * the tolerated lost sign of zero.
     */
    public static List<String> differences(Point sent, Point got, String where, List<String> deviations) {
        List<String> out = new ArrayList<>();
        if (!same(sent.value(), got.value())) {
            if (zeroSignLost(sent.value(), got.value())) {
                deviations.add(where + ": " + sent.key() + " -0.0 came back as 0.0 (the sign of zero is lost)");
            } else {
                out.add(where + ": " + sent.key() + " value " + sent.value() + " came back as " + got.value());
            }
        }
        if (sent.timestamp() != got.timestamp()) {
            out.add(where + ": " + sent.key() + " timestamp " + sent.timestamp() + " came back as " + got.timestamp());
        }
        if (sent.step() != got.step()) {
            out.add(where + ": " + sent.key() + " step " + sent.step() + " came back as " + got.step());
        }
        return out;
    }

    private static JsonNode tree(Response r, String what) {
        if (r.statusCode() != 200) {
            throw new AssertionError(what + " answered " + r.statusCode() + ": " + r.asString());
        }
        try {
            return JSON.readTree(r.asString());
        } catch (Exception e) {
            throw new AssertionError(what + " is not JSON: " + r.asString(), e);
        }
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
