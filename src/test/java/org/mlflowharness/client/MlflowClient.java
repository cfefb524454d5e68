package org.mlflowharness.client;

import static io.restassured.RestAssured.given;

import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.filter.Filter;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflowharness.stack.Endpoints;

/**
 * The one typed MLflow client of the harness, over rest-assured, always through nginx ({@link Endpoints#trackingUri()}).
 * Typed calls assert the HTTP status they expect and return what the suites need; {@link #spec()} and
 * {@link #anonymous()} give raw requests for checks on status codes and headers.
 */
public final class MlflowClient {

    public static final String API = "/api/2.0/mlflow";
    public static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";

    private static final List<Filter> FILTERS = new ArrayList<>();

    private final Endpoints endpoints;

    public MlflowClient(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    /** Filters added to every request of every client (reporting attaches requests and responses this way). */
    public static synchronized void addGlobalFilter(Filter filter) {
        if (FILTERS.stream().noneMatch(f -> f.getClass() == filter.getClass())) {
            FILTERS.add(filter);
        }
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** A request to the tracking server through nginx, with the stack's credentials sent preemptively. */
    public RequestSpecification spec() {
        return anonymous().auth().preemptive().basic(endpoints.username(), endpoints.password());
    }

    /** A request through nginx without credentials. */
    public RequestSpecification anonymous() {
        RequestSpecBuilder b = new RequestSpecBuilder().setBaseUri(endpoints.trackingUri().toString())
                .setConfig(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.connection.timeout", 10_000).setParam("http.socket.timeout", 600_000)))
                .setUrlEncodingEnabled(true);
        synchronized (MlflowClient.class) {
            FILTERS.forEach(b::addFilter);
        }
        return given().spec(b.build());
    }

    // ---- server ---------------------------------------------------------------------------------------------------

    public String version() {
        return spec().get("/version").then().statusCode(200).extract().asString().trim();
    }

    // ---- experiments ----------------------------------------------------------------------------------------------

    public String createExperiment(String name) {
        return post("/experiments/create", Map.of("name", name)).getString("experiment_id");
    }

    public JsonPath getExperiment(String experimentId) {
        return spec().queryParam("experiment_id", experimentId).get(API + "/experiments/get")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Deletes an experiment the harness created; already-deleted or missing ones are fine. */
    public void deleteExperiment(String experimentId) {
        Response r = spec().contentType(ContentType.JSON).body(Map.of("experiment_id", experimentId))
                .post(API + "/experiments/delete");
        if (r.statusCode() != 200 && r.statusCode() != 404) {
            throw new AssertionError("deleting experiment " + experimentId + " answered " + r.statusCode() + ": " + r.asString());
        }
    }

    // ---- runs -----------------------------------------------------------------------------------------------------

    /** Creates a run and returns {@code run.info} (run_id, experiment_id, artifact_uri, ...). */
    public JsonPath createRun(String experimentId) {
        JsonPath json = post("/runs/create", Map.of("experiment_id", experimentId, "start_time", System.currentTimeMillis()));
        return JsonPath.from(json.prettify()).setRootPath("run.info");
    }

    public void logMetric(String runId, String key, double value, long timestamp, long step) {
        post("/runs/log-metric", Map.of("run_id", runId, "key", key, "value", value, "timestamp", timestamp, "step", step));
    }

    /** POSTs JSON to {@code /api/2.0/mlflow<path>}, asserts 200 and returns the body. */
    public JsonPath post(String path, Object body) {
        return spec().contentType(ContentType.JSON).body(body).post(API + path)
                .then().statusCode(200).extract().jsonPath();
    }

    // ---- load -----------------------------------------------------------------------------------------------------

    /** One stored metric point as get-history returns it. */
    public record MetricPoint(String key, double value, long timestamp, long step) {
    }

    /** The full history of one metric of a run, following page tokens. */
    public List<MetricPoint> metricHistory(String runId, String key) {
        List<MetricPoint> points = new ArrayList<>();
        String token = null;
        do {
            RequestSpecification r = spec().queryParam("run_id", runId).queryParam("metric_key", key).queryParam("max_results", 25000);
            if (token != null) {
                r = r.queryParam("page_token", token);
            }
            JsonPath json = r.get(API + "/metrics/get-history").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> metrics = json.getList("metrics");
            if (metrics != null) {
                for (Map<String, Object> m : metrics) {
                    points.add(new MetricPoint((String) m.get("key"), ((Number) m.get("value")).doubleValue(),
                            ((Number) m.get("timestamp")).longValue(), m.get("step") == null ? 0 : ((Number) m.get("step")).longValue()));
                }
            }
            token = json.getString("next_page_token");
        } while (token != null && !token.isEmpty());
        return points;
    }

    /** PUTs a small artifact through the proxied artifact API; {@code path} is {@code <exp>/<run>/artifacts/<name>}. */
    public void putArtifact(String path, byte[] body) {
        spec().contentType("application/octet-stream").body(body).put(ARTIFACTS + "/" + path).then().statusCode(200);
    }

    /**
     * Downloads a proxied artifact and returns the SHA-256 (hex) of its body and its length, streaming: the body is
     * never held in memory (rest-assured buffers responses, so this uses the JDK client).
     */
    public String[] downloadSha256(String path) {
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10)).build();
            String auth = java.util.Base64.getEncoder().encodeToString((endpoints.username() + ":" + endpoints.password())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(endpoints.trackingUri().resolve(ARTIFACTS + "/" + path))
                    .header("Authorization", "Basic " + auth).timeout(java.time.Duration.ofMinutes(30)).GET().build();
            java.net.http.HttpResponse<java.io.InputStream> res = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream in = res.body()) {
                if (res.statusCode() != 200) {
                    throw new AssertionError("GET " + path + " answered " + res.statusCode());
                }
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int n; (n = in.read(buf)) >= 0; total += n) {
                    md.update(buf, 0, n);
                }
                return new String[] {java.util.HexFormat.of().formatHex(md.digest()), String.valueOf(total)};
            }
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new AssertionError("downloading " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted downloading " + path, e);
        }
    }
}
