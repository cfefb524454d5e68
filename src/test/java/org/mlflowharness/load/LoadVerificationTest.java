package org.mlflowharness.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.model.Endpoints;

/** Reading metric histories back after a step, against a stand-in MLflow that is still working off a backlog. */
class LoadVerificationTest {

    private static final String POOL_EXHAUSTED = "{\"error_code\": \"BAD_REQUEST\", \"message\": \"QueuePool limit of"
            + " size 5 overflow 10 reached, connection timed out, timeout 30.00\"}";

    private HttpServer server;
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private MlflowClient client;

    @BeforeEach
    void start() throws IOException {
        StackGuard.reset();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            boolean refuse = refusals.getAndDecrement() > 0;
            byte[] body = (refuse
                            ? POOL_EXHAUSTED
                            : "{\"metrics\": [{\"key\": \"m\", \"value\": 1.5, \"timestamp\": 7, \"step\": 3}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(refuse ? 400 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        URI tracking = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        client = new MlflowClient(new Endpoints(tracking, "mlflow", "secret", null, null, List.of()));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aReadTheStackRefusesWhileItWorksOffItsBacklogIsTriedAgainAndSaidOnce() {
        refusals.set(2);
        List<String> said = new ArrayList<>();
        List<MetricLedger.Point> points =
                LoadVerification.history(client, said::add).history("run1", "m");
        assertThat(points).containsExactly(new MetricLedger.Point("m", 3, 7, 1.5));
        assertThat(requests.get()).as("two refused, the third answered").isEqualTo(3);
        assertThat(said)
                .singleElement()
                .asString()
                .contains("QueuePool limit of size 5 overflow 10 reached")
                .contains("tried again for up to 120 s");
    }
}
