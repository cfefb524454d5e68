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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    // ---- artifacts (proxied: /api/2.0/mlflow-artifacts) ---------------------------------------------------------
    // Bodies are streamed with the JDK HttpClient (same base URI and credentials as spec()): rest-assured's reporting
    // filters would copy whole bodies into memory. Paths are artifact paths relative to the artifact root, e.g.
    // "<exp>/<run>/artifacts/dir/file"; every segment is percent-encoded as UTF-8 here, callers pass plain text.

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Duration ARTIFACT_TIMEOUT = Duration.ofMinutes(10);

    /** One entry of an artifact listing. {@code fileSize} is null for directories. */
    public record ArtifactFile(String path, boolean isDir, Long fileSize) {
    }

    /** What a download delivered: status, byte count and SHA-256 (hex) of the body, never the body itself. */
    public record Download(int status, long size, String sha256) {
    }

    /**
     * The artifact-root-relative directory of a run, from its {@code artifact_uri}: {@code mlflow-artifacts:/1/abc/artifacts}
     * gives {@code 1/abc/artifacts}. Fails when the run's artifacts are not proxied.
     */
    public static String proxiedArtifactDir(String artifactUri) {
        String scheme = "mlflow-artifacts:";
        if (artifactUri == null || !artifactUri.startsWith(scheme)) {
            throw new AssertionError("artifact_uri " + artifactUri + " is not proxied (expected " + scheme + "/<exp>/<run>/artifacts)");
        }
        String rest = artifactUri.substring(scheme.length());
        if (rest.startsWith("//")) {   // mlflow-artifacts://host:port/path
            rest = rest.substring(rest.indexOf('/', 2));
        }
        return rest.replaceFirst("^/+", "");
    }

    /** Percent-encodes each {@code /}-separated segment of a path as UTF-8 (RFC 3986 unreserved characters stay). */
    public static String encodePath(String path) {
        return java.util.Arrays.stream(path.split("/", -1)).map(MlflowClient::encode).collect(java.util.stream.Collectors.joining("/"));
    }

    /** Percent-encodes a string for a path segment or a query value: everything but A-Z a-z 0-9 - . _ ~ (space -> %20). */
    public static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** The URL of an artifact through nginx. */
    public URI artifactUrl(String artifactPath) {
        return URI.create(endpoints.trackingUri() + ARTIFACTS + "/" + encodePath(artifactPath));
    }

    /** PUTs {@code length} bytes read from {@code body} (streamed, with Content-Length) and asserts 200. */
    public void uploadArtifact(String artifactPath, InputStream body, long length) {
        HttpResponse<String> r = putArtifact(artifactPath, body, length);
        if (r.statusCode() != 200) {
            throw new AssertionError("PUT " + artifactUrl(artifactPath) + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
        }
    }

    /** PUTs a file (streamed from disk) and asserts 200. */
    public void uploadArtifact(String artifactPath, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            uploadArtifact(artifactPath, in, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PUTs a streamed body and returns the response as is (for checks on refusals). */
    public HttpResponse<String> putArtifact(String artifactPath, InputStream body, long length) {
        // fromPublisher(.., length) sends Content-Length instead of chunked framing; it refuses 0, which needs no stream.
        HttpRequest.BodyPublisher publisher = length == 0 ? HttpRequest.BodyPublishers.ofByteArray(new byte[0])
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), length);
        return send(artifactRequest(artifactUrl(artifactPath)).PUT(publisher)
                .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs an artifact, streaming the body into a SHA-256; asserts nothing (look at {@link Download#status()}). */
    public Download downloadArtifact(String artifactPath) {
        HttpResponse<InputStream> r = send(artifactRequest(artifactUrl(artifactPath)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest sha = DeterministicContent.newSha256();
        long size = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                sha.update(buf, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + artifactUrl(artifactPath), e);
        }
        return new Download(r.statusCode(), size, DeterministicContent.hex(sha.digest()));
    }

    /** Lists a directory of the artifact root ({@code GET .../artifacts?path=dir}); asserts 200. Entries' paths are relative to {@code dir}. */
    public List<ArtifactFile> listArtifacts(String dir) {
        URI url = URI.create(endpoints.trackingUri() + ARTIFACTS + "?path=" + encode(dir));
        HttpResponse<String> r = send(artifactRequest(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
        }
        List<Map<String, Object>> files = JsonPath.from(r.body()).getList("files");
        List<ArtifactFile> out = new ArrayList<>();
        if (files != null) {
            for (Map<String, Object> f : files) {
                boolean isDir = Boolean.TRUE.equals(f.get("is_dir"));
                Object size = f.get("file_size");
                // Proto3 JSON omits zero values: a file listed without file_size is 0 bytes long.
                Long fileSize = size != null ? Long.valueOf(((Number) size).longValue()) : isDir ? null : Long.valueOf(0);
                out.add(new ArtifactFile((String) f.get("path"), isDir, fileSize));
            }
        }
        return out;
    }

    /** DELETEs an artifact (file or directory) and asserts 200. */
    public void deleteArtifact(String artifactPath) {
        HttpResponse<String> r = send(artifactRequest(artifactUrl(artifactPath)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("DELETE " + artifactUrl(artifactPath) + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
        }
    }

    private HttpRequest.Builder artifactRequest(URI url) {
        return HttpRequest.newBuilder(url).timeout(ARTIFACT_TIMEOUT).header("Authorization", basicAuth());
    }

    private String basicAuth() {
        return "Basic " + Base64.getEncoder().encodeToString((endpoints.username() + ":" + endpoints.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return HTTP.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }

    // ---- raw HTTP (security checks: the exact bytes on the wire, no client-side normalization) --------------------

    /** A raw HTTP/1.1 response: status, headers (names lower-cased), de-chunked body (at most 4 MiB are kept). */
    public record RawResponse(int status, String statusLine, Map<String, String> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Who produced the answer: nginx's own error page, or the upstream (MLflow) behind it. */
        public String layer() {
            String text = bodyText();
            return text.contains("<center>nginx") ? "nginx" : "upstream";
        }
    }

    /**
     * Sends {@code METHOD target HTTP/1.1} to nginx exactly as given (the target is not normalized or re-encoded),
     * with the stack's credentials unless {@code headers} has an Authorization entry, and {@code Host} set to the
     * tracking URI's authority unless {@code headers} names another. One connection per request, closed after it.
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
        return rawExchange(endpoints.trackingUri().getHost(), endpoints.trackingUri().getPort(), method, target, h, body);
    }

    /** As {@link #raw} but to any host:port (e.g. an internal service, for diagnosis) with exactly the given headers. */
    public static RawResponse rawExchange(String host, int port, String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16 * 1024];
            int n;
            try {
                while (all.size() < 4 * 1024 * 1024 && (n = in.read(buf)) >= 0) {
                    all.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // keep what arrived: a server that holds the connection open has answered all it will
            }
            return parse(all.toByteArray(), method + " " + target);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target + " to " + host + ":" + port + " failed", e);
        }
    }

    private static RawResponse parse(byte[] raw, String what) {
        int end = -1;
        for (int i = 0; i + 3 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new AssertionError(what + ": no complete HTTP response head in " + raw.length + " bytes: "
                    + abbreviate(new String(raw, StandardCharsets.ISO_8859_1)));
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new RawResponse(Integer.parseInt(status[1]), lines[0], headers, body);
    }

    private static byte[] dechunk(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = 0;
        while (p < in.length) {
            int lineEnd = p;
            while (lineEnd + 1 < in.length && !(in[lineEnd] == '\r' && in[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            String sizeText = new String(in, p, lineEnd - p, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                break;   // truncated: keep what was decoded
            }
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            int n = Math.min(size, in.length - start);
            if (n <= 0) {
                break;
            }
            out.write(in, start, n);
            p = start + size + 2;
        }
        return out.toByteArray();
    }
}
