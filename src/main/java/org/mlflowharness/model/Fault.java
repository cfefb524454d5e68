package org.mlflowharness.model;

import java.net.URI;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A deliberate defect the native or the compose stack can be started with ({@code --fault}), to prove that the gate and the load
 * scenarios catch a broken layer instead of passing. Reports name the fault, so such a run is never mistaken for a
 * healthy stack.
 */
public enum Fault {
    NONE("none", "no fault"),
    NGINX_OPEN_ARTIFACTS("nginx-open-artifacts", "nginx serves /api/2.0/mlflow-artifacts/ without Basic auth"),
    MLFLOW_NO_SERVE_ARTIFACTS("mlflow-no-serve-artifacts", "MLflow runs with --no-serve-artifacts"),
    BUCKET_MISSING("bucket-missing", "the artifact bucket is never created"),
    DB_CASE_INSENSITIVE(
            "db-case-insensitive", "the database uses the server's default case-insensitive utf8mb4 collation"),
    DB_READ_ONLY("db-read-only", "MLflow's database user loses INSERT, UPDATE and DELETE once the schema exists"),
    NGINX_ACK_DROP_METRICS(
            "nginx-ack-drop-metrics", "nginx answers about 1 in 4 metric writes with 200 {} without forwarding them"),
    NGINX_CORRUPT_UPLOADS("nginx-corrupt-uploads", "nginx replaces the body of every artifact PUT"),
    NGINX_OPEN_STORE(
            "nginx-open-store",
            "nginx has one extra location, /storage/, proxied to the object store without Basic auth"),
    DB_METRICS_FLOAT(
            "db-metrics-float", "the metrics table's value column is narrowed to FLOAT once the schema exists"),
    DB_SLOW_CONNECT(
            "db-slow-connect",
            "every new connection of MLflow's database user waits 3 s before its first statement (init_connect ="
                    + " 'DO SLEEP(3)'), as with a server that looks its clients' names up in a DNS that does not answer"),
    DB_ARTICLE_EXACT(
            "db-article-exact",
            "MySQL set up exactly as the article's mysql image does: binary logging on, no "
                    + "log_bin_trust_function_creators, MLflow as MYSQL_USER with ALL on its schema only"),
    MLFLOW_PRESIGNED_URLS(
            "mlflow-presigned-urls",
            "nginx passes MLflow's server-info through unchanged (MLflow's default with an S3 store): "
                    + "clients are sent presigned URLs at the object store's own address"),
    NGINX_WRONG_HOST(
            "nginx-wrong-host",
            "nginx forwards Host: mlflow.example.com on every API call, which MLflow's host check refuses (403)"),
    NGINX_DROP_HEADERS(
            "nginx-drop-headers",
            "nginx's location /ajax-api/ sets one proxy header without the shared ones (proxy-headers.conf), "
                    + "so MLflow gets Host: mlflow and no X-Forwarded-* there"),
    NGINX_SLOW(
            "nginx-slow",
            "nginx holds every tracking API request (/api/2.0/mlflow/) back for "
                    + Fault.SLOW_MS
                    + " ms: it sends each back through itself, where limit_req delays the second pass"),
    BUCKET_JOB_FAILS("bucket-job-fails", "the bucket job (rustfs-init) fails", true),
    DB_NEVER_HEALTHY("db-never-healthy", "the database's healthcheck never passes", true);

    /**
     * The delay of {@code nginx-slow}: limit_req lets the first request of a key through and holds a second one of the
     * same key back by 1 / rate; the native nginx.conf's zone {@code harness_slow} has {@code rate=24r/m}, i.e. 2.5 s.
     */
    public static final int SLOW_MS = 2500;

    private final String id;
    private final String description;
    private final boolean compose;

    Fault(String id, String description) {
        this(id, description, false);
    }

    Fault(String id, String description, boolean compose) {
        this.id = id;
        this.description = description;
        this.compose = compose;
    }

    /** True for a defect of the Compose stack (its services and jobs), false for one the native stack is started with. */
    public boolean composeOnly() {
        return compose;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public static Fault parse(String value) {
        return Arrays.stream(values())
                .filter(f -> f.id.equalsIgnoreCase(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + value + "'; use one of "
                        + Arrays.stream(values()).map(Fault::id).collect(Collectors.joining(", "))));
    }

    /**
     * nginx locations that implement an nginx fault, placed before the catch-all location; empty otherwise. Each
     * includes {@code proxyHeaders} (the shared proxy headers, as nginx finds them) but those whose fault is the headers.
     * {@code objectStore} is the store's S3 endpoint as nginx reaches it.
     */
    public String nginxLocations(String authLines, String proxyHeaders, URI objectStore) {
        return switch (this) {
            case NGINX_OPEN_ARTIFACTS -> """
                    location /api/2.0/mlflow-artifacts/ {
                        include %s;
                        proxy_pass http://mlflow;
                    }
                    """.formatted(proxyHeaders);
            case NGINX_ACK_DROP_METRICS -> """
                    location ~ ^/api/2.0/mlflow/runs/log-(metric|batch)$ {
                        %s
                        include %s;
                        if ($request_id ~ "[0-3]$") {
                            return 200 "{}";
                        }
                        proxy_pass http://mlflow;
                    }
                    """.formatted(authLines, proxyHeaders);
            case NGINX_DROP_HEADERS -> """
                    location /ajax-api/ {
                        %s
                        proxy_set_header Accept-Encoding "";
                        proxy_pass http://mlflow;
                    }
                    """.formatted(authLines);
            case NGINX_WRONG_HOST -> """
                    location /api/ {
                        %s
                        proxy_set_header Host mlflow.example.com;
                        proxy_pass http://mlflow;
                    }
                    """.formatted(authLines);
            case NGINX_CORRUPT_UPLOADS -> """
                    location /api/2.0/mlflow-artifacts/ {
                        %s
                        include %s;
                        proxy_set_body $harness_fault_body;
                        proxy_pass http://mlflow;
                    }
                    """.formatted(authLines, proxyHeaders);
            case NGINX_SLOW -> """
                    location /api/2.0/mlflow/ {
                        %s
                        include %s;
                        limit_req zone=harness_slow burst=5;
                        limit_req_log_level info;
                        proxy_set_header X-Harness-Slow $harness_slow_key;
                        proxy_pass $harness_slow_upstream;
                    }
                    """.formatted(authLines, proxyHeaders);
            case NGINX_OPEN_STORE -> """
                    location /storage/ {
                        proxy_pass %s/;
                    }
                    """.formatted(objectStore.toString().replaceAll("/+$", ""));
            default -> "";
        };
    }
}
