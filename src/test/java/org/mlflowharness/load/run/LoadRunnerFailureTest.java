package org.mlflowharness.load.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.ProfileLoader;
import org.mlflowharness.load.ScenarioKind;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.model.load.ScenarioResult;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackProvider;

/** A stack that refuses every API call: the load stage reports it as a scenario that could not complete, not a crash. */
class LoadRunnerFailureTest {

    @TempDir
    Path dir;

    @Test
    void aWarmUpThatEveryRequestFailsEndsInAnErrorSectionNamingTheLayer() throws Exception {
        HttpServer mlflow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        mlflow.createContext(
                "/",
                exchange -> { // what MLflow >= 3.5 answers to a Host outside --allowed-hosts
                    byte[] body = "Invalid Host header - possible DNS rebinding attack detected"
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(403, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        mlflow.start();
        try {
            Profile smoke = new ProfileLoader(Path.of("scenarios")).load("smoke");
            RunningStack stack = new RunningStack(
                    new Endpoints(
                            URI.create("http://127.0.0.1:" + mlflow.getAddress().getPort()),
                            "u",
                            "p",
                            null,
                            null,
                            List.of()),
                    new StackDescription("fake", smoke.nginxVariant(), List.of()));
            StackProvider provider = new StackProvider() {
                public RunningStack start() {
                    return stack;
                }

                public void stop() {}
            };
            List<String> printed = new ArrayList<>();
            LoadRunner.Result r = new LoadRunner(stack, smoke, true, dir, printed::add, provider, "")
                    .run(List.of(ScenarioKind.METRIC_LOGGING, ScenarioKind.MIXED));

            assertThat(r.passed()).isFalse();
            assertThat(r.error()).isInstanceOf(AssertionError.class);
            assertThat(r.load().verdict()).isEqualTo("ERROR");
            Map<String, ScenarioResult> scenarios = r.load().scenarios();
            assertThat(scenarios)
                    .as("the run stops at the first scenario that could not complete")
                    .containsOnlyKeys("metric-logging");
            assertThat(((ScenarioResult.NotCompleted) scenarios.get("metric-logging")).error())
                    .contains("answered 403")
                    .contains("MLflow's host check refused the Host header nginx forwarded");
            assertThat(printed).anyMatch(l -> l.contains("metric-logging could not complete"));
        } finally {
            mlflow.stop(0);
        }
    }
}
