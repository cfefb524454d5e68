package org.mlflowharness.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.http.BasicAuth;
import org.mlflowharness.http.RawHttp;
import org.mlflowharness.model.Answer;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.Endpoints.S3Access;
import org.mlflowharness.model.ResourceProbe;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.model.StackDescription.Component;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Readiness;

/**
 * An existing deployment the harness did not start and never stops: MLFLOW_TRACKING_URI with Basic auth, and
 * optionally the S3 endpoint and JDBC URL for direct verification (checks needing them are skipped otherwise).
 */
public final class ExternalStack implements StackProvider {

    private final HarnessConfig config;

    public ExternalStack(HarnessConfig config) {
        this.config = config;
    }

    @Override
    public RunningStack start() {
        URI uri = config.optional(Option.TRACKING_URI)
                .map(URI::create)
                .orElseThrow(() -> new StackException(
                        "external",
                        "no tracking URI given",
                        "set MLFLOW_TRACKING_URI (or --tracking-uri) to the stack's nginx URL"));
        if (uri.getHost() == null || !uri.getScheme().startsWith("http")) {
            throw new StackException(
                    "external", "tracking URI '" + uri + "' is not an http(s) URL", "use e.g. http://localhost:15000");
        }
        String user = config.get(Option.USERNAME);
        String password = config.get(Option.PASSWORD);
        HttpResponse<String> version = get(uri.resolve("/version"), user, password);
        if (version.statusCode() == 401) {
            throw new StackException(
                    "nginx",
                    "credentials rejected (401) at " + uri,
                    "set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD to a user in the stack's htpasswd");
        }
        if (version.statusCode() != 200) {
            throw notServing(uri, user, password, version);
        }
        S3Access s3 = config.optional(Option.S3_ENDPOINT)
                .map(e -> new S3Access(
                        URI.create(e),
                        config.get(Option.S3_ACCESS_KEY),
                        config.get(Option.S3_SECRET_KEY),
                        config.get(Option.S3_BUCKET),
                        config.get(Option.S3_PREFIX),
                        "us-east-1"))
                .orElse(null);
        DatabaseAccess db = config.optional(Option.JDBC_URL)
                .map(u -> new DatabaseAccess(u, config.get(Option.JDBC_USER), config.get(Option.JDBC_PASSWORD)))
                .orElse(null);

        List<Component> components = new ArrayList<>();
        components.add(new Component(
                "proxy",
                "proxy",
                version.headers().firstValue("Server").orElse("unknown (no Server header)"),
                "Server response header",
                null,
                null,
                null));
        components.add(new Component("tracking", "MLflow", version.body().trim(), "GET /version", null, null, null));
        components.add(db == null ? unknown("database", "no JDBC URL given") : database(db));
        components.add(s3 == null ? unknown("object-store", "no S3 endpoint given") : objectStore(s3));
        // The stores the harness was given are what must never answer through the proxy: the internal-services checks
        // run against these addresses (none given: those checks are skipped with the reason).
        List<Endpoints.InternalService> internal = new ArrayList<>();
        if (db != null) {
            internal.add(db.service());
        }
        if (s3 != null) {
            internal.add(Endpoints.InternalService.objectStore(s3));
        }
        Endpoints endpoints = new Endpoints(uri, user, password, s3, db, internal);
        return new RunningStack(endpoints, new StackDescription("external", config.nginxVariant(), components));
    }

    /**
     * Why {@code GET /version} did not answer 200, naming the layer that answered: nginx's default server (a Host nginx
     * has no server_name for: with the name it does serve when "localhost" turns out to be one), nginx's own 502/504
     * (MLflow unreachable or silent behind it), or MLflow itself.
     */
    static StackException notServing(URI uri, String user, String password, HttpResponse<String> version) {
        int status = version.statusCode();
        Answer a = Answer.of(status, version.body());
        String what = "GET /version through " + uri + " answered " + status + ": ";
        if (a.layer().equals("nginx") && status == 503) {
            return new StackException(
                    "nginx",
                    what + "nginx answered from its default server: no server_name matches Host '" + uri.getAuthority()
                            + "'; MLflow never saw the request",
                    servedName(uri, user, password));
        }
        if (a.layer().equals("nginx")) {
            return new StackException(
                    "nginx",
                    what + a.meaning(),
                    status == 502 || status == 504
                            ? "check that MLflow runs and that nginx's upstream points at it (its error log names the upstream)"
                            : "check nginx's configuration for this route");
        }
        return new StackException("mlflow", what + a.meaning(), "check MLflow's log; nginx passed the request on");
    }

    /** What to use instead of a Host nginx does not serve: "localhost" when nginx serves that, else how to find the name. */
    private static String servedName(URI uri, String user, String password) {
        String candidate = "localhost";
        if (!candidate.equalsIgnoreCase(uri.getHost())) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Host", candidate + ":" + uri.getPort());
            headers.put("Authorization", BasicAuth.header(user, password));
            try {
                int status = RawHttp.exchange(uri.getHost(), uri.getPort(), "GET", "/version", headers, null)
                        .status();
                if (status == 200 || status == 401) {
                    URI served = URI.create(uri.getScheme() + "://" + candidate + ":" + uri.getPort());
                    return "nginx serves the name " + candidate + ": use MLFLOW_TRACKING_URI=" + served;
                }
            } catch (RuntimeException | AssertionError e) {
                // no better hint than the general one
            }
        }
        return "use the host name nginx's server_name serves (nginx-proxy: the VIRTUAL_HOST) in MLFLOW_TRACKING_URI";
    }

    /** An external stack is never stopped by the harness. */
    @Override
    public void stop() {}

    @Override
    public ResourceProbe resources() {
        return ResourceProbe.unavailable("an external stack's processes run where the harness cannot see them");
    }

    private static Component unknown(String role, String why) {
        return new Component(role, "unknown", "unknown", why, null, null, null);
    }

    private static Component database(DatabaseAccess db) {
        try (var c = db.connect();
                var rs = c.createStatement().executeQuery("SELECT VERSION()")) {
            rs.next();
            String v = rs.getString(1);
            return new Component(
                    "database",
                    v.toLowerCase().contains("mariadb") ? "MariaDB" : "MySQL",
                    v,
                    "SELECT VERSION()",
                    null,
                    null,
                    null);
        } catch (Exception e) {
            throw new StackException(
                    "database",
                    "cannot connect to " + db.jdbcUrl() + ": " + e.getMessage(),
                    "check HARNESS_JDBC_URL, HARNESS_JDBC_USER and HARNESS_JDBC_PASSWORD, or leave them unset to skip database checks");
        }
    }

    private static Component objectStore(S3Access s3) {
        try {
            HttpResponse<String> health = Readiness.HTTP.send(
                    HttpRequest.newBuilder(s3.endpoint().resolve("/health"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (health.statusCode() == 200 && health.body().contains("\"version\"")) {
                var json = new ObjectMapper().readTree(health.body());
                return new Component(
                        "object-store", "RustFS", json.path("version").asText(), "GET /health", null, null, null);
            }
            return new Component(
                    "object-store",
                    "S3",
                    "unknown (no version reported)",
                    "GET /health answered " + health.statusCode(),
                    null,
                    null,
                    null);
        } catch (Exception e) {
            throw new StackException(
                    "object-store",
                    "cannot reach " + s3.endpoint() + ": " + e.getMessage(),
                    "check HARNESS_S3_ENDPOINT, or leave it unset to skip direct store checks");
        }
    }

    private static HttpResponse<String> get(URI uri, String user, String password) {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15));
        if (user != null && !user.isEmpty()) {
            req.header("Authorization", BasicAuth.header(user, password));
        }
        try {
            return Readiness.HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new StackException(
                    "external", "nothing answers at " + uri, "check MLFLOW_TRACKING_URI and that the stack is up");
        } catch (Exception e) {
            throw new StackException(
                    "external", "GET " + uri + " failed: " + e, "check MLFLOW_TRACKING_URI and that the stack is up");
        }
    }
}
