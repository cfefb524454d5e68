package org.mlflowharness.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mlflowharness.http.BasicAuth;
import org.mlflowharness.http.RequestHeads;
import org.mlflowharness.model.Endpoints;

/** Raw requests to nginx: the stack's Host and credentials unless the check names others, or none. */
class MlflowClientRawTest {

    @Test
    void hostAndCredentialsAreTheStacksUnlessReplacedOrRemoved() throws Exception {
        assertThat(requestHead(Map.of()))
                .isEqualTo("GET /version HTTP/1.1\r\nHost: localhost:PORT\r\n" + "Authorization: "
                        + BasicAuth.header("mlflow", "secret") + "\r\nConnection: close\r\n\r\n");
        Map<String, String> other = new HashMap<>();
        other.put("host", "mlflow.example.com");
        other.put("Authorization", null);
        assertThat(requestHead(other))
                .isEqualTo("GET /version HTTP/1.1\r\nhost: mlflow.example.com\r\nConnection: close\r\n\r\n");
    }

    /** The head of the request {@link MlflowClient#raw} sent with {@code headers}, the port replaced by PORT. */
    private static String requestHead(Map<String, String> headers) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> head = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    String h = RequestHeads.read(s.getInputStream());
                    s.getOutputStream()
                            .write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return h;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            int port = server.getLocalPort();
            MlflowClient mlflow = new MlflowClient(
                    new Endpoints(URI.create("http://localhost:" + port), "mlflow", "secret", null, null, List.of()));
            assertThat(mlflow.raw("GET", "/version", headers, null).status()).isEqualTo(200);
            return head.get().replace(":" + port, ":PORT");
        }
    }
}
