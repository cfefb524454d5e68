package org.mlflowharness.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which layer produced an answer that is not a success, and what that means: nginx's own error pages (its default
 * server, 502 and 504 when MLflow cannot be reached or does not answer, 413) are never blamed on MLflow, and an
 * MLflow error that says it lost its database names the database.
 *
 * @param status  the HTTP status, or 0 when no answer arrived
 * @param layer   {@code nginx}, {@code mlflow}, {@code none} (no answer) or {@code unknown}
 * @param cause   a short class of the failure ("nginx 502", "database connection error", ...), for counting
 * @param meaning one sentence for messages: who answered and what it means
 */
public record Answer(int status, String layer, String cause, String meaning) {

    /** How MLflow's errors read when its database connection is gone (pymysql / mysqlclient error texts and codes). */
    private static final List<String> DATABASE_GONE = List.of(
            "can't connect to mysql server",
            "lost connection to mysql server",
            "mysql server has gone away",
            "(2003,",
            "(2006,",
            "(2013,");

    /** The answer {@code status} with {@code body}, classified by who sent it. */
    public static Answer of(int status, String body) {
        String text = body == null ? "" : body;
        if (isNginxPage(text)) {
            return new Answer(
                    status,
                    "nginx",
                    "nginx " + status,
                    switch (status) {
                        case 502 ->
                            "nginx's own 502 page: nginx could not reach MLflow (MLflow is down or not listening where nginx's "
                                    + "upstream points); MLflow never saw the request";
                        case 503 ->
                            "nginx's own 503 page: nginx answered by itself, typically from its default server because no "
                                    + "server_name matches the Host header; MLflow never saw the request";
                        case 504 ->
                            "nginx's own 504 page: MLflow took the request but sent no answer within nginx's proxy_read_timeout "
                                    + "(a hung MLflow worker, or MLflow retrying a database it cannot reach)";
                        case 413 ->
                            "nginx's own 413 page: the body is larger than nginx's client_max_body_size; MLflow never saw it";
                        case 401 -> "nginx's own 401 page: nginx's Basic auth refused the credentials";
                        default -> "nginx's own " + status + " page, not MLflow's answer";
                    });
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (status == 403 && lower.contains("invalid host header")) {
            return new Answer(
                    status,
                    "mlflow",
                    "MLflow host check",
                    "MLflow's host check refused the Host header nginx forwarded "
                            + "(MLflow >= 3.5 --allowed-hosts); make nginx forward a Host MLflow allows, or add that name to --allowed-hosts");
        }
        if (text.stripLeading().startsWith("{") && lower.contains("error_code")) {
            if (status >= 500 && DATABASE_GONE.stream().anyMatch(lower::contains)) {
                return new Answer(
                        status,
                        "mlflow",
                        "database connection error",
                        "MLflow answered " + status + " because it cannot reach its database: " + abbreviate(text));
            }
            return new Answer(status, "mlflow", "mlflow " + status, "MLflow's own answer: " + abbreviate(text));
        }
        return new Answer(status, "unknown", String.valueOf(status), "answered " + status + ": " + abbreviate(text));
    }

    /** No answer at all: {@code reason} is the client's ("Connection refused", "timeout", ...). */
    public static Answer none(String reason) {
        String r = String.valueOf(reason).toLowerCase(Locale.ROOT);
        String cause = r.contains("refused")
                ? "connection refused"
                : r.contains("reset")
                        ? "connection reset"
                        : r.contains("timeout") || r.contains("timed out") ? "timeout" : "no answer";
        return new Answer(0, "none", cause, "no answer (" + reason + ")");
    }

    /**
     * The cause when this answer means that the stack may not be serving at all: nothing listens, a 502/503/504 (nginx
     * cannot reach MLflow or gets no answer, or nobody serves this Host), MLflow without its database. Empty for answers
     * a serving stack gives (2xx, 4xx, MLflow's own 500s).
     */
    public Optional<String> stackDownCause() {
        boolean down = status == 502
                || status == 503
                || status == 504
                || cause.equals("connection refused")
                || cause.equals("database connection error");
        return down ? Optional.of(cause) : Optional.empty();
    }

    /** The component an answer that means "down" points at: the one to name in the report. */
    public String component() {
        if (cause.equals("database connection error")) {
            return "database";
        }
        if (status == 502 || status == 504 || layer.equals("mlflow")) {
            return "mlflow"; // the proxy could not reach it or got no answer from it
        }
        return layer.equals("unknown")
                ? "stack"
                : "nginx"; // nothing listens at the tracking URI, or nginx answered by itself
    }

    /**
     * What a failed answer says, for assertion messages: MLflow's own message as it is; for nginx's own error pages, a
     * database MLflow cannot reach and MLflow's Host check, which layer answered and what that means.
     */
    public static String explain(int status, String body) {
        Answer a = of(status, body);
        boolean named = a.layer().equals("nginx")
                || a.cause().equals("database connection error")
                || a.cause().equals("MLflow host check");
        return named ? a.meaning() : body == null ? "" : body.length() > 800 ? body.substring(0, 800) + "..." : body;
    }

    /** nginx's generated error pages end with {@code <hr><center>nginx[/version]</center>}, with or without server_tokens. */
    public static boolean isNginxPage(String body) {
        return body.contains("<center>nginx");
    }

    private static String abbreviate(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
