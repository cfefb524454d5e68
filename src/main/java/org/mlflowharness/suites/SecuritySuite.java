package org.mlflowharness.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlflowharness.suites.Traversal.KNOWN_NUL_ANSWER;
import static org.mlflowharness.suites.Traversal.PASSWD_MARKER;

import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.http.BasicAuth;
import org.mlflowharness.http.RawHttp;
import org.mlflowharness.http.RawResponse;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.InternalService;
import org.mlflowharness.suites.Traversal.Fixture;
import org.mlflowharness.suites.Traversal.Form;
import org.mlflowharness.suites.Traversal.Route;
import org.mlflowharness.suites.Traversal.Target;
import org.mlflowharness.suites.support.ScratchRun;
import org.mlflowharness.suites.support.StackSuite;

/**
 * Path traversal on every artifact route, model-version sources, the Host header, secrets in responses and internal
 * services behind nginx. Requests that probe traversal go out as raw bytes ({@link MlflowClient#raw}) so that no
 * client normalizes {@code ..} or re-encodes {@code %2e} before the stack sees it.
 */
@StackSuite
@Order(7)
@Tag("security")
@DisplayName("security: traversal, model-version sources, Host header, secrets in responses, internal services")
class SecuritySuite {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    @DisplayName(
            "traversal on every artifact route is refused and never returns a file, another run's artifact or an object outside the root")
    void traversalIsRefused(Route route, MlflowClient mlflow, TestReporter reporter) {
        try (Fixture f = new Fixture(mlflow, route == Route.MODEL_VERSION_GET_ARTIFACT)) {
            SoftAssertions soft = new SoftAssertions();
            Map<String, String> observed = new TreeMap<>();
            java.util.Set<String> deviations = new java.util.TreeSet<>();
            byte[] probe = "harness-traversal-probe".getBytes(StandardCharsets.UTF_8);
            for (Form form : Form.values()) {
                for (Target t : f.targets) {
                    String payload = form.spell(t.up(), form.absolute() ? t.absolutePath() : t.path());
                    String target = route.target(f, payload, form.absolute());
                    RawResponse r =
                            mlflow.raw(route.method, target, Map.of(), route == Route.ARTIFACT_PUT ? probe : null);
                    String what = route.method + " " + target + " (" + form + ", aiming at " + t.name() + ")";
                    soft.assertThat(r.bodyText())
                            .as("body of %s", what)
                            .doesNotContain(PASSWD_MARKER)
                            .doesNotContain(f.canary);
                    observed.merge(form.name(), r.status() + " " + r.layer(), (a, b) -> a.equals(b) ? a : a + ", " + b);
                    if (route == Route.ARTIFACT_DELETE && form.absolute() && r.status() == 308) {
                        // Flask merges the leading slashes and redirects inside the artifact root; not followed here.
                        String location =
                                Optional.ofNullable(r.header("location")).orElse("");
                        soft.assertThat(URI.create(location).getRawPath())
                                .as("308 Location of %s", what)
                                .isEqualTo(MlflowClient.ARTIFACTS + "/" + t.absolutePath());
                        continue;
                    }
                    if (form == Form.NUL_IN_DOTS && r.status() / 100 != 4 && KNOWN_NUL_ANSWER.containsKey(route)) {
                        // Known deviation (MLflow 3.17.2): "..\0" is not "..", so validate_path_is_safe lets it
                        // through and the path becomes a literal S3 key that does not exist. Accepted only with the
                        // exact answer seen.
                        soft.assertThat(r.status())
                                .as(
                                        "status of %s: known deviation, expected exactly %s (body: %s)",
                                        what, KNOWN_NUL_ANSWER.get(route), abbreviate(r.bodyText()))
                                .isEqualTo(KNOWN_NUL_ANSWER.get(route));
                        soft.assertThat(r.bodyText())
                                .as("body of %s: nothing listed", what)
                                .doesNotContain("\"files\"");
                        deviations.add(form + " " + r.status());
                        continue;
                    }
                    soft.assertThat(r.status())
                            .as("status of %s (body: %s)", what, abbreviate(r.bodyText()))
                            .isBetween(400, 499);
                }
            }
            f.checkCanaries(soft);
            observed.forEach((form, answer) -> reporter.publishEntry("traversal " + form, answer));
            if (!deviations.isEmpty()) {
                reporter.publishEntry("known deviation (not 4xx, no content)", deviations.toString());
            }
            soft.assertAll();
        }
    }

    @Test
    @DisplayName(
            "model-version sources with traversal, NUL or local paths are refused with 400 INVALID_PARAMETER_VALUE")
    void modelVersionSourceTraversalIsRefused(MlflowClient mlflow) {
        try (Fixture f = new Fixture(mlflow, true)) {
            String base = f.run.artifactUri();
            List<String> sources = List.of(
                    base + "/../../../../etc",
                    base + "/..%2f..%2f..%2f",
                    base + "/%2e%2e/%2e%2e/%2e%2e",
                    base + "/%252e%252e/%252e%252e",
                    base + "%00",
                    "mlflow-artifacts:/" + f.other.dir() + "/../../" + f.run.dir(),
                    "/etc/passwd",
                    "file:///etc/passwd",
                    "../../../etc/passwd",
                    "s3://mlflow/artifacts/../../x");
            SoftAssertions soft = new SoftAssertions();
            for (String source : sources) {
                Response r = mlflow.spec()
                        .contentType("application/json")
                        .body(Map.of("name", f.model, "source", source, "run_id", f.run.runId()))
                        .post(MlflowClient.API + "/model-versions/create");
                soft.assertThat(r.statusCode())
                        .as("model-versions/create with source %s (body: %s)", source, abbreviate(r.asString()))
                        .isEqualTo(400);
                soft.assertThat(r.asString()).as("error of source %s", source).contains("INVALID_PARAMETER_VALUE");
            }
            Response versions = mlflow.spec()
                    .queryParam("filter", "name='" + f.model + "'")
                    .get(MlflowClient.API + "/model-versions/search");
            soft.assertThat(versions.jsonPath().getList("model_versions.source", String.class))
                    .as("versions of %s after the refused ones", f.model)
                    .containsExactly(base);
            soft.assertAll();
        }
    }

    @Test
    @DisplayName(
            "the stack answers under the name it is served as, and refuses an unknown Host: which layer refuses is reported")
    void hostHeader(MlflowClient mlflow, Endpoints endpoints, TestReporter reporter) {
        String served = endpoints.trackingUri().getAuthority();
        // An API path: MLflow exempts /health and /version from its Host check (security_utils.HEALTH_ENDPOINTS).
        String api = MlflowClient.API + "/experiments/search?max_results=1";
        RawResponse ok = mlflow.raw("GET", api, Map.of(), null);
        assertThat(ok.status())
                .as("GET %s through nginx with Host: %s (the name the stack is served under)", api, served)
                .isEqualTo(200);
        assertThat(ok.bodyText()).as("body with Host: %s", served).startsWith("{");

        List<String> report = new ArrayList<>();
        for (String host : List.of(
                "mlflow.example.com",
                "mlflow.example.com:" + endpoints.trackingUri().getPort())) {
            RawResponse r = mlflow.raw("GET", api, Map.of("Host", host), null);
            String layer = r.layer().equals("nginx")
                    ? "nginx (no server block for this name; default server)"
                    : r.bodyText().contains("Invalid Host header")
                            ? "MLflow's Host check (--allowed-hosts)"
                            : "upstream";
            report.add("Host: " + host + " -> " + r.status() + " from " + layer);
            assertThat(r.status())
                    .as("GET %s through nginx with unknown Host: %s answered by %s", api, host, layer)
                    .isIn(400, 403, 404, 421, 444, 503);
            assertThat(r.bodyText()).as("body with unknown Host: %s", host).doesNotContain("experiments");
        }

        Optional<InternalService> direct = endpoints.internalServices().stream()
                .filter(s -> s.name().equals("mlflow"))
                .findFirst();
        if (direct.isPresent()) {
            InternalService s = direct.get();
            // What MLflow itself says to the Host nginx forwards ($http_host) and to a real domain name.
            RawResponse forwarded = RawHttp.exchange(s.host(), s.port(), "GET", api, Map.of("Host", served), null);
            RawResponse domain =
                    RawHttp.exchange(s.host(), s.port(), "GET", api, Map.of("Host", "mlflow.example.com"), null);
            RawResponse health =
                    RawHttp.exchange(s.host(), s.port(), "GET", "/health", Map.of("Host", "mlflow.example.com"), null);
            report.add("MLflow directly: Host: " + served + " -> " + forwarded.status()
                    + "; Host: mlflow.example.com -> " + domain.status()
                    + " " + abbreviate(domain.bodyText().trim()) + " (but /health -> " + health.status()
                    + ": exempt, so a health check"
                    + " under a domain name passes while the API is refused)");
            assertThat(forwarded.status())
                    .as(
                            "MLflow itself with the Host nginx forwards (%s): the stack is configured for the name it is served under",
                            served)
                    .isEqualTo(200);
            if (atLeast(mlflow.version(), 3, 5)) {
                assertThat(domain.status())
                        .as(
                                "MLflow %s itself, GET %s with Host: mlflow.example.com (outside the default --allowed-hosts)",
                                mlflow.version(), api)
                        .isEqualTo(403);
                assertThat(domain.bodyText()).as("MLflow's refusal").contains("Invalid Host header");
            }
        } else {
            report.add("MLflow not reachable directly: only the nginx layer was checked");
        }
        for (int i = 0; i < report.size(); i++) {
            reporter.publishEntry("host header " + (i + 1), report.get(i));
        }
        reporter.publishEntry(
                "host header note",
                "serving under another name needs an nginx server_name for it AND "
                        + "(MLflow >= 3.5) --allowed-hosts with that name");
    }

    @Test
    @DisplayName("no response body or header carries the Basic password, the S3 keys or the DB password")
    void secretsNeverInResponses(MlflowClient mlflow, Endpoints endpoints) {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("Basic auth password", endpoints.password());
        endpoints.s3Access().ifPresent(s -> {
            secrets.put("S3 secret key", s.secretKey());
            secrets.put("S3 access key", s.accessKey());
        });
        endpoints.databaseAccess().ifPresent(d -> secrets.put("database password", d.password()));
        try (ScratchRun run = ScratchRun.create(mlflow, "security-secrets")) {
            byte[] bytes = "x".getBytes(StandardCharsets.UTF_8);
            mlflow.artifacts().upload(run.path("file.txt"), new java.io.ByteArrayInputStream(bytes), 1);
            List<String> targets = List.of(
                    "/",
                    "/version",
                    "/health",
                    "/api/3.0/mlflow/server-info",
                    MlflowClient.API + "/experiments/get?experiment_id=" + run.experimentId(),
                    MlflowClient.API + "/runs/get?run_id=" + run.runId(),
                    MlflowClient.API + "/artifacts/list?run_id=" + run.runId(),
                    MlflowClient.ARTIFACTS + "?path=" + run.dir(),
                    MlflowClient.ARTIFACTS + "/" + run.dir() + "/file.txt",
                    MlflowClient.ARTIFACTS + "/" + run.dir() + "/missing.txt",
                    MlflowClient.API + "/experiments/get?experiment_id=999999999",
                    MlflowClient.API + "/runs/get?run_id=00000000000000000000000000000000",
                    MlflowClient.API + "/experiments/get",
                    "/get-artifact?path=missing.txt&run_uuid=" + run.runId(),
                    "/no-such-route");
            List<RawResponse> responses = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (String t : targets) {
                responses.add(mlflow.raw("GET", t, Map.of(), null));
                labels.add("GET " + t);
            }
            responses.add(mlflow.raw(
                    "POST",
                    MlflowClient.API + "/runs/log-metric",
                    Map.of("Content-Type", "application/json"),
                    "{\"run_id\":\"nope\",\"key\":\"k\"}".getBytes(StandardCharsets.UTF_8)));
            labels.add("POST log-metric (invalid)");
            responses.add(mlflow.raw(
                    "GET", "/version", Map.of("Authorization", BasicAuth.header(endpoints.username(), "wrong")), null));
            labels.add("GET /version with a wrong password");
            responses.add(mlflow.raw("GET", "/version", Map.of("Host", "mlflow.example.com"), null));
            labels.add("GET /version with an unknown Host");

            assertThat(responses.get(0).status()).as("GET / (the UI) status").isEqualTo(200);
            assertThat(responses.get(5).status()).as("GET runs/get status").isEqualTo(200);
            SoftAssertions soft = new SoftAssertions();
            for (int i = 0; i < responses.size(); i++) {
                RawResponse r = responses.get(i);
                String everything = r.statusLine() + "\n" + r.headers() + "\n" + r.bodyText();
                for (Map.Entry<String, String> s : secrets.entrySet()) {
                    soft.assertThat(everything)
                            .as("%s (status %d) must not contain the %s", labels.get(i), r.status(), s.getKey())
                            .doesNotContain(s.getValue());
                }
            }
            soft.assertAll();
        }
    }

    @Test
    @DisplayName("internal services are not reachable through nginx by Host header, absolute-form target or CONNECT")
    void internalServicesNotReachableThroughNginx(MlflowClient mlflow, Endpoints endpoints, TestReporter reporter) {
        List<InternalService> services = endpoints.internalServices();
        org.junit.jupiter.api.Assumptions.assumeFalse(services.isEmpty(), "the stack lists no internal services");
        SoftAssertions soft = new SoftAssertions();
        List<String> seen = new ArrayList<>();
        for (InternalService s : services) {
            String authority = s.host() + ":" + s.port();
            Map<String, RawResponse> answers = new LinkedHashMap<>();
            answers.put("Host: " + authority, mlflow.raw("GET", "/", Map.of("Host", authority), null));
            answers.put(
                    "Host: " + authority + " without credentials",
                    mlflow.raw("GET", "/version", Map.of("Host", authority, "Authorization", ""), null));
            answers.put(
                    "absolute-form http://" + authority + "/",
                    mlflow.raw("GET", "http://" + authority + "/", Map.of("Host", authority), null));
            answers.put(
                    "absolute-form without credentials",
                    mlflow.raw(
                            "GET",
                            "http://" + authority + "/version",
                            Map.of("Host", authority, "Authorization", ""),
                            null));
            answers.put("CONNECT " + authority, mlflow.raw("CONNECT", authority, Map.of("Host", authority), null));
            answers.forEach((how, r) -> {
                String what = s.name() + " via " + how;
                seen.add(what + " -> " + r.status() + " " + r.layer());
                String body = r.bodyText();
                soft.assertThat(r.status() / 100)
                        .as("%s: status class (must not be served: %d)", what, r.status())
                        .isNotEqualTo(2);
                soft.assertThat(body)
                        .as("%s: S3 XML", what)
                        .doesNotContain("ListAllMyBucketsResult")
                        .doesNotContain("ListBucketResult")
                        .doesNotContain("<Error><Code>");
                soft.assertThat(r.header("x-amz-request-id"))
                        .as("%s: S3 request id header", what)
                        .isNull();
                soft.assertThat(body.toLowerCase())
                        .as("%s: database greeting", what)
                        .doesNotContain("mysql_native_password")
                        // MySQL 8.4+ greets with this plugin only (mysql_native_password is gone from 9.x)
                        .doesNotContain("caching_sha2_password")
                        .doesNotContain("mariadb");
            });
        }
        reporter.publishEntry("internal services through nginx", String.join("; ", seen));
        soft.assertAll();
    }

    private static boolean atLeast(String version, int major, int minor) {
        String[] p = version.split("[.+-]");
        try {
            int ma = Integer.parseInt(p[0]);
            int mi = p.length > 1 ? Integer.parseInt(p[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return true; // unknown scheme: expect the current behaviour
        }
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
