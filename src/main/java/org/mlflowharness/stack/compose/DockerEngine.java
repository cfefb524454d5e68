package org.mlflowharness.stack.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mlflowharness.http.RawHttp;
import org.mlflowharness.http.RawResponse;

/**
 * Asks the Docker engine (DOCKER_HOST, else /var/run/docker.sock) a question over its HTTP API with a hard time limit,
 * without Testcontainers: an engine that does not answer, or a registry that cannot be reached, is a one-line reason,
 * found in seconds, never a stack trace or a minute of retries.
 */
public final class DockerEngine {

    public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the engine said: {@code version} when it answers, else {@code reason} says why not. */
    public record Status(boolean answers, String version, String reason, String where) {
        public String describe() {
            return answers
                    ? "Docker " + version + " answers at " + where
                    : "no Docker engine answers at " + where + ": " + reason;
        }
    }

    private DockerEngine() {}

    /** Where the engine is asked: DOCKER_HOST, else the default socket. */
    public static String where() {
        String host = System.getenv("DOCKER_HOST");
        return host == null || host.isBlank() ? "unix://" + DEFAULT_SOCKET : host;
    }

    /** {@code GET /version} within {@code timeout}. */
    public static Status ping(Duration timeout) {
        return ping(where(), timeout);
    }

    /** {@code GET /version} of the engine at {@code where} ({@code unix:///path} or {@code tcp://host:port}). */
    static Status ping(String where, Duration timeout) {
        try {
            Response r = get(where, "/version", timeout);
            JsonNode v = JSON.readTree(r.body());
            if (r.status() != 200 || !v.has("Version")) {
                return new Status(
                        false,
                        null,
                        "not a Docker engine's answer: HTTP " + r.status() + " " + oneLine(r.body()),
                        where);
            }
            return new Status(
                    true,
                    v.path("Version").asText() + " (API " + v.path("ApiVersion").asText("?") + ")",
                    null,
                    where);
        } catch (IOException e) {
            return new Status(false, null, e.getMessage(), where);
        }
    }

    /**
     * Whether the engine can reach the registry that holds {@code image}: {@code GET /distribution/<image>/json} asks the
     * registry for the image's manifest without pulling it. Empty when it can; else why not.
     */
    public static java.util.Optional<String> registryUnreachable(String image, Duration timeout) {
        try {
            Response r = get(where(), "/distribution/" + image + "/json", timeout);
            if (r.status() == 200) {
                return java.util.Optional.empty();
            }
            String message = r.body();
            try {
                message = JSON.readTree(r.body()).path("message").asText(r.body());
            } catch (IOException notJson) {
                // keep the raw body
            }
            return java.util.Optional.of("the registry of " + image + " does not answer: " + oneLine(message));
        } catch (IOException e) {
            return java.util.Optional.of("the registry of " + image + " does not answer: " + e.getMessage());
        }
    }

    private record Response(int status, String body) {}

    /** One HTTP/1.0 GET to the engine, within {@code timeout} (connect and read together). */
    private static Response get(String where, String path, Duration timeout) throws IOException {
        CompletableFuture<Response> call = CompletableFuture.supplyAsync(() -> {
            try {
                return where.startsWith("unix://")
                        ? viaSocket(Path.of(URI.create(where).getPath()), path)
                        : viaTcp(where, path, timeout);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new IOException("no answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
            throw new IOException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static Response viaSocket(Path socket, String path) throws IOException {
        if (!Files.exists(socket)) {
            throw new IOException(socket + " does not exist (no engine started; ./harness docker-setup starts one)");
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(
                    ("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) > 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            RawResponse r = RawHttp.parse(out.toByteArray());
            return new Response(r.status(), r.bodyText());
        } catch (java.net.SocketException e) {
            throw new IOException(socket + ": " + e.getMessage()
                    + " (a stale socket: the engine is not running; ./harness docker-setup starts one)");
        }
    }

    private static Response viaTcp(String dockerHost, String path, Duration timeout) throws IOException {
        URI base = URI.create(dockerHost.replaceFirst("^tcp://", "http://"));
        try {
            var r = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .build()
                    .send(
                            java.net.http.HttpRequest.newBuilder(base.resolve(path))
                                    .timeout(timeout)
                                    .GET()
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static String oneLine(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }

    /** {@code ./harness test} asks this before the compose gate: exit 0 and the engine's version, or 1 and the reason. */
    public static void main(String[] args) {
        Status s = ping(Duration.ofSeconds(5));
        System.out.println(s.describe());
        System.exit(s.answers() ? 0 : 1);
    }
}
