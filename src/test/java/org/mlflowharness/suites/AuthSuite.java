package org.mlflowharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.stack.Endpoints;
import org.mlflowharness.suites.support.StackSuite;

/**
 * Basic auth in nginx guards every route family, and nothing but MLflow answers on the nginx port.
 */
@StackSuite
@Tag("auth")
@DisplayName("auth: Basic auth on every route family; internal services not reachable through nginx")
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
            return method.equals("POST") ? spec.contentType("application/json").body("{}").post(path) : spec.get(path);
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
        NO_COLON(s -> s.header("Authorization", "Basic " + b64("justauser"))),
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
        return Stream.of(Route.values()).flatMap(r -> Stream.of(BadCredentials.values()).map(c -> Arguments.of(r, c)));
    }

    @ParameterizedTest(name = "{0} {1} -> 401")
    @MethodSource("badRequests")
    @DisplayName("requests without valid credentials get 401 with a Basic challenge")
    void rejectsBadCredentials(Route route, BadCredentials credentials, MlflowClient mlflow) {
        Response r = route.send(credentials.on(mlflow));
        assertThat(r.statusCode()).as("nginx must demand credentials: " + route.method + " " + route.path + " with " + credentials)
                .isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).as("nginx Basic challenge on " + route + " with " + credentials)
                .isNotNull().startsWith("Basic realm=");
    }

    @ParameterizedTest(name = "{0} with the stack's credentials is not 401")
    @MethodSource("routes")
    @DisplayName("the right credentials get through on every route family")
    void acceptsRightCredentials(Route route, MlflowClient mlflow) {
        Response r = route.send(mlflow.spec());
        assertThat(r.statusCode()).as(route + " with valid credentials").isNotIn(401, 403, 502, 503, 504);
        if (route.method.equals("GET") && route != Route.ARTIFACTS_API) {
            assertThat(r.statusCode()).as(route + " with valid credentials").isEqualTo(200);
        }
    }

    static Stream<Route> routes() {
        return Stream.of(Route.values());
    }

    @Test
    @DisplayName("the object store's bucket is not served through nginx")
    void objectStoreNotReachableThroughNginx(MlflowClient mlflow, Endpoints endpoints) {
        String bucket = endpoints.s3Access().map(Endpoints.S3Access::bucket).orElse("mlflow");
        for (String path : List.of("/" + bucket, "/" + bucket + "/", "/" + bucket + "?list-type=2", "/minio/health/live")) {
            Response r = mlflow.spec().get(path);
            assertThat(r.asString()).as("GET " + path + " through nginx must not be an S3 answer")
                    .doesNotContain("ListBucketResult").doesNotContain("<Code>AccessDenied</Code>").doesNotContain("<Error><Code>");
            assertThat(r.header("x-amz-request-id")).as("S3 request id header on " + path).isNull();
        }
    }

    @Test
    @DisplayName("the nginx port does not speak the MySQL protocol")
    void databaseNotReachableThroughNginx(Endpoints endpoints) throws Exception {
        // A MySQL/MariaDB server greets first (protocol 10 handshake); an HTTP server waits for the request.
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(endpoints.trackingUri().getHost(), endpoints.trackingUri().getPort()), 3000);
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
            assertThat(n > 4 && buf[4] == 10).as("a MySQL handshake on the nginx port").isFalse();
            assertThat(greeting.toLowerCase()).as("greeting on the nginx port").doesNotContain("mysql").doesNotContain("mariadb");
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
