package org.mlflowharness.stack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackDescription.Component;

/**
 * Starts the real compose stack. Needs a Docker engine (and network access for images and pip); without one
 * JUnit reports the class as skipped. The no-Docker behaviour is checked in {@link ComposeStackWithoutDockerTest}.
 */
@RequiresDocker
class ComposeStackTest {

    @Test
    void theStackComesUpBehindNginxWithBasicAuthAndReportsItsVersions() throws Exception {
        HarnessConfig config = HarnessConfig.of(Map.of(Option.STACK, "compose"), Map.of());
        try (ComposeStack stack = new ComposeStack(config)) {
            RunningStack running = stack.start();

            assertThat(running.description().provider()).isEqualTo("compose");
            assertThat(running.description().components()).as("4 components, each with the version it reported")
                    .hasSize(4)
                    .extracting(Component::role).containsExactlyInAnyOrder("proxy", "tracking", "database", "object-store");
            assertThat(running.description().components()).allSatisfy(c -> assertThat(c.version()).as(c.role()).isNotBlank());
            assertThat(running.description().component("tracking").version()).isEqualTo(config.mlflowVersion());

            URI tracking = running.endpoints().trackingUri();
            assertThat(status(tracking.resolve("/"), null)).as("nginx without credentials").isEqualTo(401);
            String auth = running.endpoints().username() + ":" + running.endpoints().password();
            assertThat(status(tracking.resolve("/health"), auth)).as("MLflow /health through nginx with credentials").isEqualTo(200);
        }
    }

    private static int status(URI uri, String userColonPassword) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).GET();
        if (userColonPassword != null) {
            req.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
