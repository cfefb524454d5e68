package org.mlflowharness.client;

import io.restassured.http.ContentType;
import io.restassured.http.Method;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.http.BasicAuth;
import org.mlflowharness.http.RawHttp;
import org.mlflowharness.http.RawResponse;
import org.mlflowharness.model.Answer;
import org.mlflowharness.model.Endpoints;

/**
 * The one typed MLflow client of the harness, over rest-assured, always through nginx ({@link Endpoints#trackingUri()}).
 * Typed calls assert the HTTP status they expect and return what the suites need; {@link #spec()} and
 * {@link #anonymous()} give raw requests for checks on status codes and headers, {@link #raw} the exact bytes on the
 * wire; artifacts are streamed by {@link #artifacts()}, the model registry is {@link #registry()}. No request is sent
 * once a component of the stack is down ({@link StackGuard}, through {@link GuardedHttp}: the test is aborted instead),
 * and every answer is seen by the breaker; errors name the layer that answered ({@link Answer}): nginx's own pages are
 * never reported as MLflow's answers.
 */
public final class MlflowClient {

    public static final String API = "/api/2.0/mlflow";
    public static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";

    private final Endpoints endpoints;
    private final ArtifactClient artifacts;
    private final RegistryClient registry;

    public MlflowClient(Endpoints endpoints) {
        this.endpoints = endpoints;
        this.artifacts = new ArtifactClient(endpoints);
        this.registry = new RegistryClient(this);
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** The proxied artifact API, streamed. */
    public ArtifactClient artifacts() {
        return artifacts;
    }

    /** The model registry: registered models, model versions, their tags and aliases. */
    public RegistryClient registry() {
        return registry;
    }

    /** A request to the tracking server through nginx, with the stack's credentials sent preemptively. */
    public RequestSpecification spec() {
        return anonymous().auth().preemptive().basic(endpoints.username(), endpoints.password());
    }

    /** A request through nginx without credentials. */
    public RequestSpecification anonymous() {
        return GuardedHttp.anonymous(endpoints.trackingUri());
    }

    // ---- server ---------------------------------------------------------------------------------------------------

    public String version() {
        return spec().get("/version")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .trim();
    }

    /** {@code GET /api/3.0/mlflow/server-info} (MLflow 3.x); empty when this server has no such endpoint (404). */
    public Optional<JsonPath> serverInfo() {
        Response r = spec().get("/api/3.0/mlflow/server-info");
        return r.statusCode() == 404 ? Optional.empty() : Optional.of(ok("GET /api/3.0/mlflow/server-info", r));
    }

    // ---- experiments ----------------------------------------------------------------------------------------------

    public String createExperiment(String name) {
        return post("/experiments/create", Map.of("name", name)).getString("experiment_id");
    }

    /** Creates an experiment with tags ({@code key -> value}) and returns its id. */
    public String createExperiment(String name, Map<String, String> tags) {
        return post("/experiments/create", Map.of("name", name, "tags", keyValues(tags)))
                .getString("experiment_id");
    }

    /** {@code experiments/get}: the whole body, {@code experiment.*}. */
    public JsonPath getExperiment(String experimentId) {
        return get("/experiments/get", Map.of("experiment_id", experimentId));
    }

    /** {@code experiments/get-by-name}: the whole body, {@code experiment.*}. */
    public JsonPath getExperimentByName(String name) {
        return get("/experiments/get-by-name", Map.of("experiment_name", name));
    }

    /** {@code experiments/search} with a raw body (filter, order_by, max_results, page_token, view_type). */
    public JsonPath searchExperiments(Map<String, ?> body) {
        return post("/experiments/search", body);
    }

    public void renameExperiment(String experimentId, String newName) {
        post("/experiments/update", Map.of("experiment_id", experimentId, "new_name", newName));
    }

    /** Deletes an experiment the harness created; already-deleted or missing ones are fine. */
    public void deleteExperiment(String experimentId) {
        Response r = spec().contentType(ContentType.JSON)
                .body(Map.of("experiment_id", experimentId))
                .post(API + "/experiments/delete");
        if (r.statusCode() != 200 && r.statusCode() != 404 && !r.asString().contains("already deleted")) {
            throw new AssertionError("deleting experiment " + experimentId + " answered " + r.statusCode() + ": "
                    + Answer.explain(r.statusCode(), r.asString()));
        }
    }

    public void restoreExperiment(String experimentId) {
        post("/experiments/restore", Map.of("experiment_id", experimentId));
    }

    public void setExperimentTag(String experimentId, String key, String value) {
        post("/experiments/set-experiment-tag", Map.of("experiment_id", experimentId, "key", key, "value", value));
    }

    public void deleteExperimentTag(String experimentId, String key) {
        post("/experiments/delete-experiment-tag", Map.of("experiment_id", experimentId, "key", key));
    }

    // ---- runs -----------------------------------------------------------------------------------------------------

    /** Creates a run and returns {@code run.info} (run_id, experiment_id, artifact_uri, ...). */
    public JsonPath createRun(String experimentId) {
        JsonPath json =
                post("/runs/create", Map.of("experiment_id", experimentId, "start_time", System.currentTimeMillis()));
        return JsonPath.from(json.prettify()).setRootPath("run.info");
    }

    /** Creates a run with a name, start time and tags and returns the whole body ({@code run.info}, {@code run.data}). */
    public JsonPath createRun(String experimentId, String runName, long startTime, Map<String, String> tags) {
        return post(
                "/runs/create",
                Map.of(
                        "experiment_id",
                        experimentId,
                        "run_name",
                        runName,
                        "start_time",
                        startTime,
                        "tags",
                        keyValues(tags)));
    }

    /** {@code runs/get}: the whole body, {@code run.info.*} and {@code run.data.*}. */
    public JsonPath getRun(String runId) {
        return get("/runs/get", Map.of("run_id", runId));
    }

    /** {@code runs/update} with only the non-null fields; returns the body ({@code run_info.*}). */
    public JsonPath updateRun(String runId, String status, Long endTime, String runName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", runId);
        if (status != null) {
            body.put("status", status);
        }
        if (endTime != null) {
            body.put("end_time", endTime);
        }
        if (runName != null) {
            body.put("run_name", runName);
        }
        return post("/runs/update", body);
    }

    public void deleteRun(String runId) {
        post("/runs/delete", Map.of("run_id", runId));
    }

    public void restoreRun(String runId) {
        post("/runs/restore", Map.of("run_id", runId));
    }

    /** {@code runs/search} with a raw body (experiment_ids, filter, run_view_type, max_results, order_by, page_token). */
    public JsonPath searchRuns(Map<String, ?> body) {
        return post("/runs/search", body);
    }

    public void logParam(String runId, String key, String value) {
        post("/runs/log-parameter", Map.of("run_id", runId, "key", key, "value", value));
    }

    public void setTag(String runId, String key, String value) {
        post("/runs/set-tag", Map.of("run_id", runId, "key", key, "value", value));
    }

    public void deleteTag(String runId, String key) {
        post("/runs/delete-tag", Map.of("run_id", runId, "key", key));
    }

    public void logMetric(String runId, String key, double value, long timestamp, long step) {
        post(
                "/runs/log-metric",
                Map.of("run_id", runId, "key", key, "value", value, "timestamp", timestamp, "step", step));
    }

    /**
     * Logs a metric whose value is sent exactly as given: a number, or a string such as {@code "NaN"},
     * {@code "Infinity"}, {@code "-Infinity"} (how protobuf JSON, and so MLflow's own client, writes them).
     */
    public void logMetricRaw(String runId, String key, Object value, long timestamp, long step) {
        post(
                "/runs/log-metric",
                Map.of("run_id", runId, "key", key, "value", value, "timestamp", timestamp, "step", step));
    }

    /** {@code runs/log-batch}; the lists hold protobuf-JSON objects ({@link #metric}, {@link #keyValue}). */
    public void logBatch(String runId, List<?> metrics, List<?> params, List<?> tags) {
        post("/runs/log-batch", logBatchBody(runId, metrics, params, tags));
    }

    public static Map<String, Object> logBatchBody(String runId, List<?> metrics, List<?> params, List<?> tags) {
        return Map.of("run_id", runId, "metrics", metrics, "params", params, "tags", tags);
    }

    /** One metric of the history of a run, as {@code metrics/get-history} returns it. */
    public record Metric(String key, Object value, long timestamp, long step) {}

    /** {@code metrics/get-history}: every logged value of a metric, in the order the server returns them. */
    public List<Metric> metricHistory(String runId, String key) {
        // Doubles, not rest-assured's default floats: a float cannot hold 1e308 or the digits of most doubles.
        JsonPath json = get("/metrics/get-history", Map.of("run_id", runId, "metric_key", key))
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        List<Map<String, Object>> raw = json.getList("metrics");
        List<Metric> out = new ArrayList<>();
        for (Map<String, Object> m : raw == null ? List.<Map<String, Object>>of() : raw) {
            out.add(new Metric(
                    (String) m.get("key"),
                    m.get("value"),
                    ((Number) m.get("timestamp")).longValue(),
                    ((Number) m.getOrDefault("step", 0)).longValue()));
        }
        return out;
    }

    /** A metric as log-batch takes it. */
    public static Map<String, Object> metric(String key, Object value, long timestamp, long step) {
        return Map.of("key", key, "value", value, "timestamp", timestamp, "step", step);
    }

    /** A param or tag as log-batch and create calls take it. */
    public static Map<String, String> keyValue(String key, String value) {
        return Map.of("key", key, "value", value);
    }

    /** Reads {@code key -> value} pairs from a list of {key, value} objects at {@code path} (params or tags). */
    public static Map<String, String> keyValues(JsonPath json, String path) {
        List<Map<String, String>> raw = json.getList(path);
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            raw.forEach(kv -> out.put(kv.get("key"), kv.get("value")));
        }
        return out;
    }

    private static List<Map<String, String>> keyValues(Map<String, String> map) {
        return map.entrySet().stream()
                .map(e -> keyValue(e.getKey(), e.getValue()))
                .toList();
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    /** GETs {@code /api/2.0/mlflow<path>} with query parameters, asserts 200 and returns the body. */
    public JsonPath get(String path, Map<String, ?> query) {
        return ok("GET " + path, getRaw(path, query));
    }

    /** GETs {@code /api/2.0/mlflow<path>} with query parameters; no check, for negative tests. */
    public Response getRaw(String path, Map<String, ?> query) {
        return spec().queryParams(query).get(API + path);
    }

    /** POSTs a body (an object serialized to JSON, or a String sent as is) as JSON; no check, for negative tests. */
    public Response postRaw(String path, Object body) {
        return spec().contentType(ContentType.JSON).body(body).post(API + path);
    }

    /** Sends JSON with {@code method} to {@code /api/2.0/mlflow<path>}, asserts 200 and returns the body. */
    public JsonPath send(Method method, String path, Object body) {
        return ok(
                method + " " + path,
                spec().contentType(ContentType.JSON).body(body).request(method, API + path));
    }

    /** POSTs JSON to {@code /api/2.0/mlflow<path>}, asserts 200 and returns the body. */
    public JsonPath post(String path, Object body) {
        return ok("POST " + path, postRaw(path, body));
    }

    /** The body of a 200 answer; anything else fails with the status and the server's message (or the layer that answered). */
    private static JsonPath ok(String call, Response r) {
        if (r.statusCode() != 200) {
            throw new AssertionError(call + " answered " + r.statusCode() + " instead of 200: "
                    + Answer.explain(r.statusCode(), r.asString()));
        }
        return r.jsonPath();
    }

    // ---- probes and raw HTTP (security checks: the exact bytes on the wire, no client-side normalization) ---------

    /**
     * A GET of {@code pathAndQuery} through nginx with the stack's credentials and a short timeout, for probes: the
     * status, or 0 when no answer came in time.
     */
    public int status(String pathAndQuery, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoints.trackingUri() + pathAndQuery))
                .timeout(timeout)
                .header("Authorization", basicAuth())
                .GET()
                .build();
        try {
            return GuardedHttp.send(request, HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * Sends {@code METHOD target HTTP/1.1} to nginx exactly as given (the target is not normalized or re-encoded),
     * with the stack's credentials unless {@code headers} has an Authorization entry, and {@code Host} set to the
     * tracking URI's authority unless {@code headers} names another ({@link RawHttp#exchange}).
     */
    public RawResponse raw(String method, String target, Map<String, String> headers, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", endpoints.trackingUri().getAuthority());
        h.put("Authorization", basicAuth());
        headers.forEach((k, v) -> {
            h.keySet().removeIf(existing -> existing.equalsIgnoreCase(k));
            if (v != null) {
                h.put(k, v);
            }
        });
        return RawHttp.exchange(
                endpoints.trackingUri().getHost(), endpoints.trackingUri().getPort(), method, target, h, body);
    }

    private String basicAuth() {
        return BasicAuth.header(endpoints.username(), endpoints.password());
    }
}
