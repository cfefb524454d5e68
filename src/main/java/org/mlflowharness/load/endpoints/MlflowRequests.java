package org.mlflowharness.load.endpoints;

import static io.gatling.javaapi.core.CoreDsl.InputStreamBody;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.stopLoadGeneratorIf;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.NoResponse;
import org.mlflowharness.load.RequestRecorder;
import org.mlflowharness.model.Endpoints;

/**
 * The MLflow calls of the load scenarios, one reusable request builder each, always through nginx with Basic auth.
 * Every request saves its status and response time ({@link #STATUS}, {@link #MILLIS}) and checks for 200;
 * {@link #recorded} wraps a request so that the harness's own {@link org.mlflowharness.load.RequestRecorder} and
 * the integrity ledgers see each outcome.
 */
public final class MlflowRequests {

    public static final String STATUS = "status";
    public static final String MILLIS = "millis";
    /** Session attribute with Gatling's reason when a request got no HTTP response. */
    public static final String NO_RESPONSE = "noResponse";

    private static final String API = MlflowClient.API;

    private MlflowRequests() {}

    /** Basic auth, JSON, and no warm-up request (the default warm-up URL is outside 127.0.0.0/8). */
    public static HttpProtocolBuilder protocol(Endpoints e) {
        return http.baseUrl(e.trackingUri().toString().replaceAll("/$", ""))
                .basicAuth(e.username(), e.password())
                .acceptHeader("application/json")
                .disableWarmUp()
                .disableCaching();
    }

    private static HttpRequestActionBuilder checked(HttpRequestActionBuilder r) {
        return r.check(status().saveAs(STATUS), responseTimeInMillis().saveAs(MILLIS), status().is(200));
    }

    private static HttpRequestActionBuilder postJson(String name, String path, String bodyEl) {
        return checked(http(name)
                .post(API + path)
                .header("Content-Type", "application/json")
                .body(StringBody(bodyEl)));
    }

    // ---- tracking ---------------------------------------------------------------------------------------------------

    public static final HttpRequestActionBuilder CREATE_RUN = postJson(
                    "create run", "/runs/create", "{\"experiment_id\":\"#{experimentId}\",\"start_time\":#{startTime}}")
            .check(jsonPath("$.run.info.run_id").optional().saveAs("runId"));

    /** Body in session attribute {@code batchBody}. */
    public static final HttpRequestActionBuilder LOG_BATCH = postJson("log-batch", "/runs/log-batch", "#{batchBody}");

    /** Body in session attribute {@code metricBody}. */
    public static final HttpRequestActionBuilder LOG_METRIC =
            postJson("log-metric", "/runs/log-metric", "#{metricBody}");

    public static final HttpRequestActionBuilder END_RUN = postJson(
            "end run", "/runs/update", "{\"run_id\":\"#{runId}\",\"status\":\"FINISHED\",\"end_time\":#{endTime}}");

    public static final HttpRequestActionBuilder SEARCH_EXPERIMENTS = postJson(
            "search experiments",
            "/experiments/search",
            "{\"max_results\":50,\"filter\":\"name LIKE '#{namePrefix}%'\"}");

    public static final HttpRequestActionBuilder SEARCH_RUNS = postJson(
            "search runs",
            "/runs/search",
            "{\"experiment_ids\":[\"#{experimentId}\"],\"max_results\":50,\"order_by\":[\"attributes.start_time DESC\"]}");

    /**
     * The search a user runs over a large store: runs of the experiments in {@code volumeExperiments} (a JSON list's
     * items) filtered on a param and a metric, ordered by the metric (the data-volume fill's keys).
     */
    public static final HttpRequestActionBuilder SEARCH_RUNS_FILTERED = postJson(
            "search runs (filter, order-by)",
            "/runs/search",
            "{\"experiment_ids\":[#{volumeExperiments}],\"filter\":\"params.p0 = 'v3' and metrics.m0 > 0.5\","
                    + "\"order_by\":[\"metrics.m0 DESC\"],\"max_results\":100}");

    /** The whole history of metric {@code long} of run {@code longRunId}. */
    public static final HttpRequestActionBuilder LONG_METRIC_HISTORY = checked(http("metric history (long run)")
            .get(API + "/metrics/get-history")
            .queryParam("run_id", "#{longRunId}")
            .queryParam("metric_key", "long"));

    public static final HttpRequestActionBuilder METRIC_HISTORY = checked(http("metric history")
            .get(API + "/metrics/get-history")
            .queryParam("run_id", "#{seedRunId}")
            .queryParam("metric_key", "loss"));

    // ---- artifacts (proxied: /api/2.0/mlflow-artifacts) -------------------------------------------------------------

    public static final HttpRequestActionBuilder LIST_ARTIFACTS = checked(http("list artifacts")
            .get(MlflowClient.ARTIFACTS)
            .queryParam("path", "#{experimentId}/#{seedRunId}/artifacts"));

    public static final HttpRequestActionBuilder GET_ARTIFACT = checked(http("download artifact")
            .get(MlflowClient.ARTIFACTS + "/#{experimentId}/#{seedRunId}/artifacts/model.txt"));

    /** A small artifact whose content is in session attribute {@code smallBody}. */
    public static final HttpRequestActionBuilder PUT_SMALL_ARTIFACT = checked(http("put small artifact")
            .put(MlflowClient.ARTIFACTS + "/#{experimentId}/#{runId}/artifacts/notes-#{iteration}.txt")
            .header("Content-Type", "application/octet-stream")
            .body(StringBody("#{smallBody}")));

    /**
     * A streamed upload of {@code size} deterministic bytes (seed {@code seed}) to {@code path}: never held in memory.
     * Content-Length is sent, so nginx and MLflow see a normal (non-chunked) PUT.
     */
    public static HttpRequestActionBuilder putLarge(Duration timeout) {
        return checked(http("PUT artifact #{sizeLabel}")
                .put(MlflowClient.ARTIFACTS + "/#{path}")
                .header("Content-Type", "application/octet-stream")
                .header("Content-Length", "#{size}")
                .body(InputStreamBody(s -> DeterministicContent.open(s.getLong("size"), s.getLong("seed"))))
                .requestTimeout(timeout));
    }

    // ---- recording --------------------------------------------------------------------------------------------------

    /**
     * Runs {@code request} and hands its outcome (status or null, session) to the recorder, the breaker and {@code then}.
     * When no response arrived, the session passed to {@code then} holds Gatling's reason in {@link #NO_RESPONSE}. Once
     * a component of the stack is down ({@link StackGuard}) the load generator stops: nothing after it is a measurement.
     */
    public static ChainBuilder recorded(
            Function<Session, String> name, HttpRequestActionBuilder request, BiConsumer<Integer, Session> then) {
        NoResponse reasons = NoResponse.reasons();
        return exec(s -> {
                    reasons.forget(s.userId());
                    return s.remove(STATUS).remove(MILLIS).remove(NO_RESPONSE);
                })
                .exec(request)
                .exec(s -> {
                    Integer status = s.contains(STATUS) ? Integer.valueOf(((Number) s.get(STATUS)).intValue()) : null;
                    long millis = s.contains(MILLIS) ? ((Number) s.get(MILLIS)).longValue() : -1;
                    Session out = status == null ? s.set(NO_RESPONSE, reasons.of(s.userId())) : s;
                    LoadContext.current()
                            .recorder
                            .record(
                                    name.apply(s),
                                    status == null
                                            ? RequestRecorder.noResponse(out.getString(NO_RESPONSE))
                                            : String.valueOf(status),
                                    millis);
                    if (status == null) {
                        StackGuard.observeNoAnswer(out.getString(NO_RESPONSE));
                    } else {
                        StackGuard.observe(status, "");
                    }
                    then.accept(status, out);
                    return out;
                })
                .exec(stopLoadGeneratorIf(
                        s -> "stopped: "
                                + StackGuard.down().map(d -> d.getMessage()).orElse(""),
                        s -> StackGuard.down().isPresent()));
    }

    public static ChainBuilder recorded(String name, HttpRequestActionBuilder request) {
        return recorded(s -> name, request, (st, s) -> {});
    }
}
