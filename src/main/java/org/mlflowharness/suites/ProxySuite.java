package org.mlflowharness.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.qameta.allure.Allure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.parallel.Isolated;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.InternalService;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.ProxyLocation;
import org.mlflowharness.model.ProxyLocation.Probe;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.suites.support.ProxiedAnswer;
import org.mlflowharness.suites.support.StackExtension;
import org.mlflowharness.suites.support.StackSuite;

/**
 * The harness's own nginx passes MLflow's answers through: for every location it serves ({@link ProxyLocation}), with
 * valid credentials, the answer through nginx is MLflow's direct answer to the same request with the client's Host
 * (status, body and Location, but for a rewrite the location documents), and MLflow's redirects name the client's Host
 * and scheme. An answer MLflow would not give (403 "Invalid Host header" because a location dropped the forwarded
 * headers, an nginx 404, another body) fails, naming the location. MLflow's answers do not show X-Forwarded-For,
 * -Host or -Port; that every location sends them is checked on the rendered configuration (NginxConfigTest).
 */
@StackSuite
@Isolated(
        "it compares nginx's answer with MLflow's direct one to the same request, among them experiments/search, whose answer changes when another suite creates an experiment in between")
@Order(8)
@Tag("proxy")
@DisplayName("proxy: every location of the harness's nginx answers as MLflow does directly")
class ProxySuite {

    @Test
    @DisplayName(
            "server-info through nginx: 200, MLflow's answer with multipart_uploads_enabled and multipart_downloads_enabled false")
    void serverInfoIsMlflowsWithTransfersProxied(MlflowClient mlflow, Endpoints endpoints, TestReporter reporter) {
        InternalService direct = directOrSkip(endpoints);
        for (String target : List.of("/api/3.0/mlflow/server-info", "/ajax-api/3.0/mlflow/server-info")) {
            ProxiedAnswer a = ProxiedAnswer.of(mlflow, direct, "GET", target, null);
            Assumptions.assumeFalse(
                    a.direct().status() == 404, "MLflow " + mlflow.version() + " has no " + target + " (404 directly)");
            assertThat(a.proxied().status())
                    .as(
                            "GET %s through nginx with valid credentials (body: %s)",
                            target, a.proxied().bodyText())
                    .isEqualTo(200);
            assertThat(a.proxied().bodyText())
                    .as("GET %s through nginx", target)
                    .contains("\"multipart_uploads_enabled\":false")
                    .contains("\"multipart_downloads_enabled\":false");
            ProxyLocation location = ProxyLocation.serving(ProxyLocation.served(Fault.NONE), target);
            assertThat(a.difference(location.rewrite()))
                    .as("GET %s: MLflow's answer but for %s", target, location.rewriteNote())
                    .isEmpty();
            reporter.publishEntry(target, a.proxied().bodyText());
        }
    }

    @TestFactory
    @DisplayName("every location answers as MLflow does directly, with the client's Host")
    Stream<DynamicTest> everyLocationAnswersAsMlflow(
            MlflowClient mlflow, Endpoints endpoints, StackDescription description) {
        Optional<InternalService> direct = ProxiedAnswer.directMlflow(endpoints);
        List<ProxyLocation> locations = ProxyLocation.served(faultOf(description));
        List<Probe> probes =
                locations.stream().flatMap(l -> l.probes().stream()).distinct().toList();
        return locations.stream()
                .map(location -> dynamicTest(location.name(), () -> {
                    StackExtension.labels("proxy");
                    Assumptions.assumeTrue(direct.isPresent(), skipReason(description));
                    SoftAssertions soft = new SoftAssertions();
                    List<String> seen = new ArrayList<>();
                    for (Probe p : probes.stream()
                            .filter(p -> ProxyLocation.serving(locations, p.target()) == location)
                            .toList()) {
                        ProxiedAnswer a = ProxiedAnswer.of(mlflow, direct.get(), p.method(), p.target(), p.body());
                        seen.add(a.request() + " -> " + a.proxied().status()
                                + (a.proxied().header("location") == null
                                        ? ""
                                        : " " + a.proxied().header("location")));
                        soft.assertThat(a.difference(location.rewrite()))
                                .as("%s: %s", location.name(), a.request())
                                .isEmpty();
                        if (p.target().endsWith(ProxyLocation.REDIRECT_PROBE)
                                && a.direct().header("location") != null) {
                            soft.assertThat(String.valueOf(a.proxied().header("location")))
                                    .as(
                                            "%s: %s answered %d: MLflow's redirect names the "
                                                    + "Host and scheme it saw, which must be the client's",
                                            location.name(),
                                            a.request(),
                                            a.proxied().status())
                                    .startsWith(endpoints.trackingUri().getScheme() + "://"
                                            + endpoints.trackingUri().getAuthority() + "/");
                        }
                    }
                    Allure.addAttachment("answers through nginx", "text/plain", String.join("\n", seen), ".txt");
                    soft.assertAll();
                }));
    }

    /** MLflow's direct address, or the test is skipped saying why. */
    static InternalService directOrSkip(Endpoints endpoints) {
        Optional<InternalService> direct = ProxiedAnswer.directMlflow(endpoints);
        Assumptions.assumeTrue(
                direct.isPresent(),
                "MLflow's direct address is not known for this stack: nothing to compare nginx's answers with");
        return direct.get();
    }

    private static String skipReason(StackDescription description) {
        return "MLflow's direct address is not known on the " + description.provider()
                + " provider: nginx's answers cannot be compared " + "with MLflow's own";
    }

    /** The deliberate fault the stack runs with (its description names it as {@code id: description}). */
    static Fault faultOf(StackDescription description) {
        return description.fault() == null
                ? Fault.NONE
                : Fault.parse(description.fault().replaceFirst(":.*$", ""));
    }
}
