package org.mlflowharness.stack;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.model.StackException;

/** A tracking URI nginx does not serve is named as nginx's default server, with the name to use instead. */
class ExternalStackTest {

    static final String NGINX_PAGE =
            "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n"
                    + "<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";

    private HttpServer nginx;

    /** Like the stack's nginx: server_name localhost proxies to MLflow; any other Host hits the default server (503). */
    private int fakeNginx(int upstreamStatus) throws Exception {
        nginx = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        nginx.createContext("/", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            int status = host.startsWith("localhost:") ? upstreamStatus : 503;
            String body = status == 200
                    ? "3.17.2"
                    : NGINX_PAGE.formatted(
                            status,
                            status == 503 ? "Service Temporarily Unavailable" : "Bad Gateway",
                            status,
                            status == 503 ? "Service Temporarily Unavailable" : "Bad Gateway");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        nginx.start();
        return nginx.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        nginx.stop(0);
    }

    private static ExternalStack external(String uri) {
        return new ExternalStack(HarnessConfig.of(
                Map.of(
                        Option.STACK,
                        "external",
                        Option.TRACKING_URI,
                        uri,
                        Option.USERNAME,
                        "mlflow",
                        Option.PASSWORD,
                        "secret"),
                Map.of()));
    }

    @Test
    void aHostNginxDoesNotServeIsItsDefaultServerNotMlflow() throws Exception {
        int port = fakeNginx(200);
        assertThatThrownBy(() -> external("http://127.0.0.1:" + port).start())
                .isInstanceOf(StackException.class)
                .hasMessage("nginx: GET /version through http://127.0.0.1:" + port
                        + " answered 503: nginx answered from its default "
                        + "server: no server_name matches Host '127.0.0.1:" + port + "'; MLflow never saw the request")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((StackException) e).fix())
                        .isEqualTo(
                                "nginx serves the name localhost: use MLFLOW_TRACKING_URI=http://localhost:" + port));
    }

    @Test
    void nginxs502IsNotBlamedOnMlflowsAnswer() throws Exception {
        int port = fakeNginx(502);
        assertThatThrownBy(() -> external("http://localhost:" + port).start())
                .hasMessageStartingWith("nginx: GET /version through http://localhost:" + port
                        + " answered 502: nginx's own 502 page: " + "nginx could not reach MLflow");
    }
}
