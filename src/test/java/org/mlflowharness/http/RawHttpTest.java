package org.mlflowharness.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The one parser of raw HTTP responses, on answers as nginx, MLflow and the Docker engine send them. */
class RawHttpTest {

    @Test
    void aPlainResponseHasItsStatusHeadersAndBody() throws Exception {
        RawResponse r = parse(
                "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n2.22.1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(r.header("content-type")).isEqualTo("text/plain");
        assertThat(r.header("Server")).as("names are matched without case").isEqualTo("nginx");
        assertThat(r.bodyText()).isEqualTo("2.22.1");
        assertThat(r.layer()).isEqualTo("upstream");
    }

    @Test
    void aChunkedBodyIsDechunkedAndRepeatedHeadersAreJoined() throws Exception {
        RawResponse r =
                parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n"
                        + "4\r\n{\"a\"\r\n6;ext=1\r\n:\"ü\"}\r\n0\r\n\r\n");
        assertThat(r.bodyText()).isEqualTo("{\"a\":\"ü\"}");
        assertThat(r.header("set-cookie")).isEqualTo("a=1, b=2");
    }

    @Test
    void aTruncatedChunkKeepsWhatCame() throws Exception {
        RawResponse r = parse("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\na\r\n01234");
        assertThat(r.bodyText()).isEqualTo("01234");
    }

    @Test
    void nginxsOwnErrorPageIsToldApartAndAnHttp10AnswerIsParsedToo() throws Exception {
        RawResponse r = parse(
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"mlflow\"\r\n\r\n"
                        + "<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n"
                        + "<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.layer()).isEqualTo("nginx");
        RawResponse docker = parse("HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"page not found\"}");
        assertThat(docker.status()).isEqualTo(404);
        assertThat(docker.headers()).isEmpty();
        assertThat(docker.bodyText()).isEqualTo("{\"message\":\"page not found\"}");
    }

    @Test
    void somethingThatIsNotAnHttpResponseIsRefused() {
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("no complete HTTP response head in 36 bytes: ");
        assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH_9.2\r\n\r\n"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("not an HTTP status line: SSH-2.0-OpenSSH_9.2");
        assertThatThrownBy(() -> parse("HTTP/1.1 OK\r\n\r\n")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void exchangeSendsTheTargetAndHeadersExactlyAsGiven() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    String head = RequestHeads.read(s.getInputStream());
                    s.getOutputStream().write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return head;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Host", "mlflow.example.com");
            headers.put("Authorization", BasicAuth.header("u", "p"));
            RawResponse r =
                    RawHttp.exchange("127.0.0.1", server.getLocalPort(), "GET", "/a/../b%2F?x=%zz", headers, null);
            assertThat(r.status()).isEqualTo(204);
            assertThat(request.get())
                    .isEqualTo("GET /a/../b%2F?x=%zz HTTP/1.1\r\nHost: mlflow.example.com\r\n"
                            + "Authorization: Basic dTpw\r\nConnection: close\r\n\r\n");
        }
    }

    @Test
    void anAnswerThatIsNotHttpFailsTheCheckNamingTheRequest() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    RequestHeads.read(s.getInputStream());
                    s.getOutputStream().write("garbage".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the assertion below reports it
                }
            });
            assertThatThrownBy(() ->
                            RawHttp.exchange("127.0.0.1", server.getLocalPort(), "GET", "/version", Map.of(), null))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("GET /version: no complete HTTP response head in 7 bytes: garbage");
        }
    }

    private static RawResponse parse(String raw) throws ProtocolException {
        return RawHttp.parse(raw.getBytes(StandardCharsets.UTF_8));
    }
}
