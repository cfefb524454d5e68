package org.mlflowharness.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A location the harness's own nginx serves in front of MLflow (the native template, and on compose nginx-proxy's
 * generated {@code location /} with the harness's vhost.d file), with requests that land in it, so that a check can
 * compare each answer through nginx with MLflow's direct answer to the same request and name the location that
 * differs. {@code path} matches the request paths nginx gives this location; {@code rewrite} turns MLflow's direct
 * body into what the location documents it sends ({@code rewriteNote} says what), identity elsewhere.
 */
public record ProxyLocation(
        String name, Pattern path, List<Probe> probes, UnaryOperator<String> rewrite, String rewriteNote) {

    /** A request with valid credentials that lands in a location; {@code body} is JSON, or null. */
    public record Probe(String method, String target, String body) {}

    /**
     * A DELETE of a path with a double slash: MLflow answers 308 with an absolute Location built from the Host it got
     * (and the scheme uvicorn takes from X-Forwarded-Proto), without running the view; so it shows what MLflow saw.
     */
    public static final String REDIRECT_PROBE = "/2.0/mlflow-artifacts/artifacts//harness-proxy-probe";

    /** The locations nginx serves for a stack started with {@code fault}, in nginx's order of precedence. */
    public static List<ProxyLocation> served(Fault fault) {
        List<ProxyLocation> out = new ArrayList<>();
        if (fault != Fault.MLFLOW_PRESIGNED_URLS) {
            out.add(new ProxyLocation(
                    "location ~ ^/(ajax-)?api/3\\.0/mlflow/server-info$ (compose/nginx/server-info.location)",
                    Pattern.compile("^/(ajax-)?api/3\\.0/mlflow/server-info$"),
                    List.of(get("/api/3.0/mlflow/server-info"), get("/ajax-api/3.0/mlflow/server-info")),
                    body -> body.replace("\"multipart_uploads_enabled\":true", "\"multipart_uploads_enabled\":false")
                            .replace("\"multipart_downloads_enabled\":true", "\"multipart_downloads_enabled\":false"),
                    "multipart_uploads_enabled and multipart_downloads_enabled set to false"));
        }
        switch (fault) {
            case NGINX_DROP_HEADERS ->
                out.add(plain(
                        "location /ajax-api/ (fault " + fault.id() + ")",
                        "^/ajax-api/",
                        get("/ajax-api/2.0/mlflow/experiments/search?max_results=1"),
                        new Probe("DELETE", "/ajax-api" + REDIRECT_PROBE, null)));
            case NGINX_WRONG_HOST ->
                out.add(plain(
                        "location /api/ (fault " + fault.id() + ")",
                        "^/api/",
                        get("/api/2.0/mlflow/experiments/search?max_results=1"),
                        new Probe("DELETE", "/api" + REDIRECT_PROBE, null)));
            default -> {
                // The other faults' locations take writes only, or answer without MLflow: other suites probe them.
            }
        }
        out.add(plain(
                "location / (every other request)",
                "",
                get("/"),
                get("/health"),
                get("/version"),
                get("/api/2.0/mlflow/experiments/search?max_results=1"),
                get("/ajax-api/2.0/mlflow/experiments/search?max_results=1"),
                new Probe("POST", "/api/2.0/mlflow/experiments/search", "{\"max_results\": 1}"),
                get("/api/2.0/mlflow/experiments/get?experiment_id=0"),
                get("/api/2.0/mlflow-artifacts/artifacts?path=0"),
                get("/api/2.0/mlflow/no-such-route"),
                new Probe("DELETE", "/api" + REDIRECT_PROBE, null),
                new Probe("DELETE", "/ajax-api" + REDIRECT_PROBE, null)));
        return List.copyOf(out);
    }

    /** The location of {@code locations} (nginx's order) that serves {@code target}. */
    public static ProxyLocation serving(List<ProxyLocation> locations, String target) {
        String path = target.replaceFirst("\\?.*$", "");
        return locations.stream()
                .filter(l -> l.path.matcher(path).find())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no location serves " + target));
    }

    private static Probe get(String target) {
        return new Probe("GET", target, null);
    }

    private static ProxyLocation plain(String name, String path, Probe... probes) {
        return new ProxyLocation(name, Pattern.compile(path), List.of(probes), UnaryOperator.identity(), null);
    }
}
