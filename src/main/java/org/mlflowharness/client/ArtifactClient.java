package org.mlflowharness.client;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.mlflowharness.http.BasicAuth;
import org.mlflowharness.model.Answer;
import org.mlflowharness.model.Endpoints;

/**
 * The proxied artifact API through nginx ({@code /api/2.0/mlflow-artifacts}), as {@link MlflowClient#artifacts()}.
 * Bodies are streamed with the JDK HttpClient (same base URI and credentials as {@link MlflowClient#spec()}, guarded
 * the same way, {@link GuardedHttp}): rest-assured's reporting filters would copy whole bodies into memory. Paths are
 * artifact paths relative to the artifact root, e.g. "&lt;exp&gt;/&lt;run&gt;/artifacts/dir/file"; every segment is
 * percent-encoded as UTF-8 here, callers pass plain text.
 */
public final class ArtifactClient {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** One entry of an artifact listing. {@code fileSize} is null for directories. */
    public record ArtifactFile(String path, boolean isDir, Long fileSize) {}

    /** What a download delivered: status, byte count and SHA-256 (hex) of the body, never the body itself. */
    public record Download(int status, long size, String sha256) {}

    private final Endpoints endpoints;

    ArtifactClient(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * The artifact-root-relative directory of a run, from its {@code artifact_uri}: {@code mlflow-artifacts:/1/abc/artifacts}
     * gives {@code 1/abc/artifacts}. Fails when the run's artifacts are not proxied.
     */
    public static String proxiedArtifactDir(String artifactUri) {
        String scheme = "mlflow-artifacts:";
        if (artifactUri == null || !artifactUri.startsWith(scheme)) {
            throw new AssertionError(
                    "artifact_uri " + artifactUri + " is not proxied (expected " + scheme + "/<exp>/<run>/artifacts)");
        }
        String rest = artifactUri.substring(scheme.length());
        if (rest.startsWith("//")) { // mlflow-artifacts://host:port/path
            rest = rest.substring(rest.indexOf('/', 2));
        }
        return rest.replaceFirst("^/+", "");
    }

    /** Percent-encodes each {@code /}-separated segment of a path as UTF-8 (RFC 3986 unreserved characters stay). */
    public static String encodePath(String path) {
        return Arrays.stream(path.split("/", -1)).map(ArtifactClient::encode).collect(Collectors.joining("/"));
    }

    /** Percent-encodes a string for a path segment or a query value: everything but A-Z a-z 0-9 - . _ ~ (space -> %20). */
    public static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** The URL of an artifact through nginx. */
    public URI url(String artifactPath) {
        return URI.create(endpoints.trackingUri() + MlflowClient.ARTIFACTS + "/" + encodePath(artifactPath));
    }

    /** PUTs {@code length} bytes read from {@code body} (streamed, with Content-Length) and asserts 200. */
    public void upload(String artifactPath, InputStream body, long length) {
        HttpResponse<String> r = put(artifactPath, body, length);
        if (r.statusCode() != 200) {
            throw new AssertionError("PUT " + url(artifactPath) + " answered " + r.statusCode() + ": "
                    + Answer.explain(r.statusCode(), r.body()));
        }
    }

    /** PUTs a file (streamed from disk) and asserts 200. */
    public void upload(String artifactPath, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            upload(artifactPath, in, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PUTs a streamed body and returns the response as is (for checks on refusals). */
    public HttpResponse<String> put(String artifactPath, InputStream body, long length) {
        // fromPublisher(.., length) sends Content-Length instead of chunked framing; it refuses 0, which needs
        // no stream.
        HttpRequest.BodyPublisher publisher = length == 0
                ? HttpRequest.BodyPublishers.ofByteArray(new byte[0])
                : HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> body), length);
        return GuardedHttp.send(
                request(url(artifactPath))
                        .PUT(publisher)
                        .header("Content-Type", "application/octet-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GETs an artifact, streaming the body into a SHA-256; asserts nothing (look at {@link Download#status()}). */
    public Download download(String artifactPath) {
        HttpResponse<InputStream> r =
                GuardedHttp.send(request(url(artifactPath)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            DeterministicContent.Digest d = DeterministicContent.digest(in);
            return new Download(r.statusCode(), d.size(), d.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + url(artifactPath), e);
        }
    }

    /** Lists a directory of the artifact root ({@code GET .../artifacts?path=dir}); asserts 200. Entries' paths are relative to {@code dir}. */
    public List<ArtifactFile> list(String dir) {
        URI url = URI.create(endpoints.trackingUri() + MlflowClient.ARTIFACTS + "?path=" + encode(dir));
        HttpResponse<String> r = GuardedHttp.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(
                    "GET " + url + " answered " + r.statusCode() + ": " + Answer.explain(r.statusCode(), r.body()));
        }
        List<Map<String, Object>> files = JsonPath.from(r.body()).getList("files");
        List<ArtifactFile> out = new ArrayList<>();
        if (files != null) {
            for (Map<String, Object> f : files) {
                boolean isDir = Boolean.TRUE.equals(f.get("is_dir"));
                Object size = f.get("file_size");
                // Proto3 JSON omits zero values: a file listed without file_size is 0 bytes long.
                Long fileSize =
                        size != null ? Long.valueOf(((Number) size).longValue()) : isDir ? null : Long.valueOf(0);
                out.add(new ArtifactFile((String) f.get("path"), isDir, fileSize));
            }
        }
        return out;
    }

    /** DELETEs an artifact (file or directory) and asserts 200. */
    public void delete(String artifactPath) {
        HttpResponse<String> r =
                GuardedHttp.send(request(url(artifactPath)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("DELETE " + url(artifactPath) + " answered " + r.statusCode() + ": "
                    + Answer.explain(r.statusCode(), r.body()));
        }
    }

    private HttpRequest.Builder request(URI url) {
        return HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Authorization", BasicAuth.header(endpoints.username(), endpoints.password()));
    }
}
