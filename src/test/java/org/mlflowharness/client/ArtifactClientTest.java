package org.mlflowharness.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflowharness.client.ArtifactClient.ArtifactFile;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.http.BasicAuth;
import org.mlflowharness.model.Endpoints;

/** The artifact client against a stand-in for nginx: paths encoded once, credentials sent, listings and refusals read. */
class ArtifactClientTest {

    private static final String NGINX_413 =
            "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
                    + "<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    private HttpServer server;
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private ArtifactClient artifacts;

    @BeforeEach
    void start() throws IOException {
        StackGuard.reset();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.put(
                    "target",
                    exchange.getRequestURI().getRawPath()
                            + (exchange.getRequestURI().getRawQuery() == null
                                    ? ""
                                    : "?" + exchange.getRequestURI().getRawQuery()));
            seen.put(
                    "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String text = exchange.getRequestMethod().equals("PUT")
                    ? NGINX_413
                    : "{\"files\": [{\"path\": \"a\", \"is_dir\": true}, {\"path\": \"empty.txt\", \"is_dir\": false},"
                            + " {\"path\": \"b.bin\", \"is_dir\": false, \"file_size\": 3}]}";
            exchange.getRequestBody().readAllBytes();
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("PUT") ? 413 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        URI tracking = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        artifacts = new MlflowClient(new Endpoints(tracking, "mlflow", "secret", null, null, List.of())).artifacts();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aListingIsReadWithZeroSizedFilesAndDirectories() {
        assertThat(artifacts.list("1/run id/artifacts"))
                .containsExactly(
                        new ArtifactFile("a", true, null),
                        new ArtifactFile("empty.txt", false, 0L),
                        new ArtifactFile("b.bin", false, 3L));
        assertThat(seen)
                .containsEntry("target", MlflowClient.ARTIFACTS + "?path=1%2Frun%20id%2Fartifacts")
                .containsEntry("authorization", BasicAuth.header("mlflow", "secret"));
    }

    @Test
    void aRefusedUploadNamesTheUrlAndTheLayerThatRefused() {
        byte[] bytes = "abc".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() ->
                        artifacts.upload("1/r/artifacts/naïve.bin", new ByteArrayInputStream(bytes), bytes.length))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "PUT " + artifacts.url("1/r/artifacts/naïve.bin") + " answered 413: nginx's own 413 page");
        assertThat(seen).containsEntry("target", MlflowClient.ARTIFACTS + "/1/r/artifacts/na%C3%AFve.bin");
    }

    @Test
    void theDirectoryOfAProxiedRunComesFromItsArtifactUri() {
        assertThat(ArtifactClient.proxiedArtifactDir("mlflow-artifacts:/1/abc/artifacts"))
                .isEqualTo("1/abc/artifacts");
        assertThat(ArtifactClient.proxiedArtifactDir("mlflow-artifacts://nginx:8080/1/abc/artifacts"))
                .isEqualTo("1/abc/artifacts");
        assertThatThrownBy(() -> ArtifactClient.proxiedArtifactDir("s3://bucket/artifacts/1/abc/artifacts"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("is not proxied");
        assertThat(ArtifactClient.encodePath("dir with space/a+b")).isEqualTo("dir%20with%20space/a%2Bb");
    }
}
