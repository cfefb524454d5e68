package org.mlflowharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.http.BasicAuth;
import org.mlflowharness.http.RawResponse;
import org.mlflowharness.model.Answer;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.InternalService;
import org.mlflowharness.suites.support.ProxiedAnswer;
import org.mlflowharness.suites.support.StackSuite;

/**
 * Basic auth in nginx guards every route family and every other path with every method, and nothing but MLflow answers
 * on the nginx port.
 */
@StackSuite
@Isolated(
        "it compares nginx's answer with MLflow's direct one to the same request, among them experiments/search, whose answer changes when another suite creates an experiment in between")
@Order(9)
@Tag("auth")
@DisplayName("auth: Basic auth on every route family, path and method; internal services not reachable through nginx")
class AuthSuite {

    /** One representative request per route family MLflow serves. */
    enum Route {
        UI("GET", "/"),
        TRACKING_API("GET", "/api/2.0/mlflow/experiments/search?max_results=1"),
        TRACKING_API_POST("POST", "/api/2.0/mlflow/experiments/create"),
        AJAX_API("GET", "/ajax-api/2.0/mlflow/experiments/search?max_results=1"),
        ARTIFACTS_API("GET", "/api/2.0/mlflow-artifacts/artifacts?path=0"),
        VERSION("GET", "/version"),
        HEALTH("GET", "/health");

        final String method;
        final String path;

        Route(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Response send(RequestSpecification spec) {
            return method.equals("POST")
                    ? spec.contentType("application/json").body("{}").post(path)
                    : spec.get(path);
        }
    }

    /** Ways of not having the right credentials. */
    enum BadCredentials {
        NONE(s -> s),
        WRONG_PASSWORD(null),
        UNKNOWN_USER(null),
        EMPTY_HEADER(s -> s.header("Authorization", "")),
        BASIC_WITHOUT_TOKEN(s -> s.header("Authorization", "Basic")),
        NOT_BASE64(s -> s.header("Authorization", "Basic !!!not-base64!!!")),
        NO_COLON(s -> s.header("Authorization", BasicAuth.header("justauser"))),
        BEARER(s -> s.header("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30."));

        final UnaryOperator<RequestSpecification> apply;

        BadCredentials(UnaryOperator<RequestSpecification> apply) {
            this.apply = apply;
        }

        RequestSpecification on(MlflowClient mlflow) {
            Endpoints e = mlflow.endpoints();
            return switch (this) {
                case WRONG_PASSWORD -> new MlflowClient(e.withCredentials(e.username(), e.password() + "x")).spec();
                case UNKNOWN_USER -> new MlflowClient(e.withCredentials("nobody-" + e.username(), e.password())).spec();
                default -> apply.apply(mlflow.anonymous());
            };
        }
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(Route.values())
                .flatMap(r -> Stream.of(BadCredentials.values()).map(c -> Arguments.of(r, c)));
    }

    @ParameterizedTest(name = "{0} {1} -> 401")
    @MethodSource("badRequests")
    @DisplayName("requests without valid credentials get 401 with a Basic challenge")
    void rejectsBadCredentials(Route route, BadCredentials credentials, MlflowClient mlflow) {
        Response r = route.send(credentials.on(mlflow));
        assertThat(r.statusCode())
                .as("nginx must demand credentials: " + route.method + " " + route.path + " with " + credentials)
                .isEqualTo(401);
        assertThat(r.header("WWW-Authenticate"))
                .as("nginx Basic challenge on " + route + " with " + credentials)
                .isNotNull()
                .startsWith("Basic realm=");
    }

    /**
     * Getting through means MLflow's own answer, not merely "not 401": where MLflow's direct address is known, the answer
     * through nginx must be the one MLflow gives directly with the client's Host ({@link ProxiedAnswer}); elsewhere
     * (external stacks) it must be an answer of MLflow's, not nginx's page nor MLflow's refusal of the Host nginx sent.
     */
    @ParameterizedTest(name = "{0} with the stack''s credentials gets MLflow''s own answer")
    @MethodSource("routes")
    @DisplayName("the right credentials get through on every route family")
    void acceptsRightCredentials(Route route, MlflowClient mlflow, Endpoints endpoints) {
        String body = route.method.equals("POST") ? "{}" : null;
        Optional<InternalService> direct = ProxiedAnswer.directMlflow(endpoints);
        if (direct.isPresent()) {
            ProxiedAnswer a = ProxiedAnswer.of(mlflow, direct.get(), route.method, route.path, body);
            assertThat(a.difference(UnaryOperator.identity()))
                    .as(route + " with valid credentials")
                    .isEmpty();
            return;
        }
        RawResponse r = mlflow.raw(
                route.method,
                route.path,
                body == null ? Map.of() : Map.of("Content-Type", "application/json"),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        Answer answer = Answer.of(r.status(), r.bodyText());
        assertThat(r.status())
                .as(
                        "%s with valid credentials (MLflow's direct address is not known: checked that MLflow answered): %s",
                        route, answer.meaning())
                .isNotIn(401, 502, 503, 504);
        assertThat(answer.layer().equals("nginx") || answer.cause().equals("MLflow host check"))
                .as("%s with valid credentials: %s", route, answer.meaning())
                .isFalse();
        if (route.method.equals("GET") && route != Route.ARTIFACTS_API) {
            assertThat(r.status())
                    .as("%s with valid credentials: %s", route, answer.meaning())
                    .isEqualTo(200);
        }
    }

    static Stream<Route> routes() {
        return Stream.of(Route.values());
    }

    /**
     * Paths outside MLflow's route families: random ones, and the usual prefixes under which proxies expose consoles and
     * internal services (object stores, databases, admin tools, framework endpoints). A proxy that adds one
     * {@code location} without auth for any of them fails here, naming the path.
     */
    static Stream<String> arbitraryPaths() {
        String bucket = HarnessConfig.fromEnvironment().get(Option.S3_BUCKET);
        return Stream.of(
                "/" + UUID.randomUUID(),
                "/" + UUID.randomUUID() + "/" + UUID.randomUUID() + ".json",
                "/minio",
                "/minio/",
                "/minio/health/live",
                "/rustfs",
                "/rustfs/",
                "/rustfs/console/",
                "/console",
                "/console/",
                "/storage",
                "/storage/",
                "/s3/",
                "/objects/",
                "/bucket/",
                "/" + bucket,
                "/" + bucket + "/",
                "/" + bucket + "/artifacts/",
                "/admin",
                "/admin/",
                "/phpmyadmin/",
                "/adminer.php",
                "/mysql/",
                "/db/",
                "/.env",
                "/.git/config",
                "/actuator",
                "/actuator/health",
                "/actuator/env",
                "/server-status",
                "/nginx_status",
                "/metrics",
                "/debug/pprof/",
                "/graphql",
                "/static-files/",
                "/favicon.ico",
                "/robots.txt",
                "/api/3.0/mlflow/server-info",
                "/ajax-api/3.0/mlflow/server-info",
                "/api/2.0/mlflow-artifacts/presigned/0/x",
                "/api/2.0/mlflow-artifacts/mpu/create/0");
    }

    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    /** Server header values of the upstreams behind the proxy: none may answer a request without credentials. */
    static final List<String> UPSTREAM_SERVERS = List.of(
            "uvicorn",
            "gunicorn",
            "werkzeug",
            "hypercorn",
            "python",
            "rustfs",
            "minio",
            "jetty",
            "s3proxy",
            "amazons3",
            "mysql",
            "mariadb");

    @ParameterizedTest(name = "{0}")
    @MethodSource("arbitraryPaths")
    @DisplayName(
            "any path, any method, without or with wrong credentials: 401 from the proxy, nothing from an upstream")
    void everyPathAndMethodNeedsCredentials(String path, MlflowClient mlflow) {
        Endpoints e = mlflow.endpoints();
        Map<String, String> none = new HashMap<>();
        none.put("Authorization", null);
        Map<String, Map<String, String>> credentials = Map.of(
                "no credentials",
                none,
                "a wrong password",
                Map.of("Authorization", BasicAuth.header(e.username(), e.password() + "x")));
        SoftAssertions soft = new SoftAssertions();
        List<String> seen = new ArrayList<>();
        for (String method : METHODS) {
            byte[] body =
                    List.of("POST", "PUT", "PATCH").contains(method) ? "{}".getBytes(StandardCharsets.UTF_8) : null;
            credentials.forEach((how, headers) -> {
                Map<String, String> h = new HashMap<>(headers);
                if (body != null) {
                    h.put("Content-Type", "application/json");
                }
                RawResponse r = mlflow.raw(method, path, h, body);
                String what = method + " " + path + " with " + how;
                seen.add(method + " " + r.status());
                soft.assertThat(r.status())
                        .as("%s: status (an upstream answered: %s)", what, abbreviate(r.bodyText()))
                        .isEqualTo(401);
                soft.assertThat(r.header("WWW-Authenticate"))
                        .as("%s: Basic challenge", what)
                        .isNotNull()
                        .startsWith("Basic realm=");
                String server = String.valueOf(r.header("Server")).toLowerCase(Locale.ROOT);
                soft.assertThat(UPSTREAM_SERVERS.stream()
                                .filter(server::contains)
                                .toList())
                        .as("%s: Server header %s is an upstream's", what, server)
                        .isEmpty();
                soft.assertThat(r.headers().keySet().stream()
                                .filter(k -> k.startsWith("x-amz-")
                                        || k.startsWith("x-minio")
                                        || k.startsWith("x-rustfs")
                                        || k.startsWith("x-mlflow"))
                                .toList())
                        .as("%s: upstream headers", what)
                        .isEmpty();
                String text = r.bodyText().toLowerCase(Locale.ROOT);
                soft.assertThat(text)
                        .as("%s: body must carry nothing of an upstream (S3 XML, MLflow JSON, database banner)", what)
                        .doesNotContain("<?xml")
                        .doesNotContain("<error>")
                        .doesNotContain("listbucketresult")
                        .doesNotContain("listallmybucketsresult")
                        .doesNotContain("error_code")
                        .doesNotContain("mlflow")
                        .doesNotContain("mysql")
                        .doesNotContain("mariadb");
            });
        }
        System.out.println("  auth " + path + ": " + String.join(", ", new java.util.LinkedHashSet<>(seen)));
        soft.assertAll();
    }

    @Test
    @DisplayName("the object store's bucket is not served through nginx")
    void objectStoreNotReachableThroughNginx(MlflowClient mlflow, Endpoints endpoints) {
        String bucket = endpoints.s3Access().map(Endpoints.S3Access::bucket).orElse("mlflow");
        for (String path :
                List.of("/" + bucket, "/" + bucket + "/", "/" + bucket + "?list-type=2", "/minio/health/live")) {
            Response r = mlflow.spec().get(path);
            assertThat(r.asString())
                    .as("GET " + path + " through nginx must not be an S3 answer")
                    .doesNotContain("ListBucketResult")
                    .doesNotContain("<Code>AccessDenied</Code>")
                    .doesNotContain("<Error><Code>");
            assertThat(r.header("x-amz-request-id"))
                    .as("S3 request id header on " + path)
                    .isNull();
        }
    }

    @Test
    @DisplayName("the nginx port does not speak the MySQL protocol")
    void databaseNotReachableThroughNginx(Endpoints endpoints) throws Exception {
        // A MySQL/MariaDB server greets first (protocol 10 handshake); an HTTP server waits for the request.
        try (Socket s = new Socket()) {
            s.connect(
                    new InetSocketAddress(
                            endpoints.trackingUri().getHost(),
                            endpoints.trackingUri().getPort()),
                    3000);
            s.setSoTimeout(1500);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException silent) {
                n = 0;
            }
            String greeting = n > 0 ? new String(buf, 0, n, StandardCharsets.ISO_8859_1) : "";
            assertThat(n > 4 && buf[4] == 10)
                    .as("a MySQL handshake on the nginx port")
                    .isFalse();
            assertThat(greeting.toLowerCase())
                    .as("greeting on the nginx port")
                    .doesNotContain("mysql")
                    .doesNotContain("mariadb");
        }
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 160 ? one.substring(0, 160) + "..." : one;
    }
}
