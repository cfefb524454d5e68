package org.mlflowharness.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.qameta.allure.Allure;
import io.restassured.response.Response;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.client.OfficialClient;
import org.mlflowharness.client.OfficialClient.Result;
import org.mlflowharness.client.OfficialClient.Step;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.InternalService;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.NetworkNamespace;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.nativestack.Toolchain;
import org.mlflowharness.suites.support.StackExtension;
import org.mlflowharness.suites.support.StackSuite;

/**
 * The official MLflow Python client (the server's release, or {@code --client-version}) does what users do, through
 * the tracking URI only: every step of {@code src/main/resources/client/driver.py} is a test. On the native stack the
 * client runs in a network namespace that reaches nginx and nothing else (proven first: direct requests to the store,
 * the database and MLflow fail from it), as every client of a stack with internal stores does; on the compose and
 * external stacks it runs on this host, as users do. When the server sends the client to addresses it cannot reach
 * (presigned URLs at the store's own address), the suite names the URL, the server behaviour behind it and the fixes.
 */
@StackSuite
@Order(6)
@Tag("client")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName(
        "client: the official MLflow Python client through the tracking URI only: tracking, artifacts 0 B to 64 MiB + 1 B "
                + "(600 MiB when multipart is offered), model, registry")
class ClientSuite {

    /** 0 B, 1 B and 1 MiB + 1 B (above nginx's default 1 MiB body limit); the largest comes from {@link #largest}. */
    static final List<Long> SMALL_SIZES = List.of(0L, 1L, 1_048_577L);

    /** Above the client's 500 MiB multipart threshold (MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE), as large models are. */
    static final long MULTIPART_SIZE = 600L << 20;

    /** Larger than nginx's and MLflow's buffers: one proxied PUT, the route any larger file takes when multipart is off. */
    static final long PROXIED_SIZE = (64L << 20) + 1;

    static final Duration TIMEOUT = Duration.ofMinutes(15);
    static final String PRESIGNED_STEP = "presigned URLs the server hands out are reachable by the client";

    private Result result;
    private String context;

    @Test
    @Order(1)
    @DisplayName(
            "the official client runs all its steps, and what it created is deleted (experiment, artifacts, registered model)")
    void runTheOfficialClient(RunningStack stack, MlflowClient mlflow) {
        Endpoints endpoints = stack.endpoints();
        boolean isolate = "native".equals(stack.description().provider());
        Optional<String> cannotIsolate = isolate ? NetworkNamespace.unavailable() : Optional.empty();
        Assumptions.assumeTrue(
                cannotIsolate.isEmpty(),
                () -> "cannot isolate the client from the stores: " + cannotIsolate.orElse(""));
        HarnessConfig config = HarnessConfig.fromEnvironment();
        Toolchain tools = new Toolchain(config, config.workDir().resolve("install-logs"), System.out::println);
        String serverVersion = mlflow.version();
        String requested = config.optional(Option.CLIENT_VERSION).orElse(serverVersion);
        String version = requested.equals("previous-minor") ? tools.previousMinorMlflow(serverVersion) : requested;
        Path python = tools.mlflowPython(version);
        Path work = config.workDir().resolve("client").resolve(Names.unique("client"));
        List<Long> sizes = new ArrayList<>(SMALL_SIZES);
        sizes.add(config.clientLargeArtifact().orElseGet(() -> largest(mlflow)));
        String experiment = Names.unique("client");
        String model = Names.unique("client-model");
        long t0 = System.nanoTime();
        String where;
        List<String> cleanup;
        NetworkNamespace ns = null;
        try {
            List<Map<String, Object>> unreachable = new ArrayList<>();
            if (isolate) {
                URI uri = endpoints.trackingUri();
                ns = NetworkNamespace.create(
                        uri.getHost(), new InetSocketAddress(uri.getHost(), uri.getPort()), work.resolve("netns.log"));
                unreachable = mustNotReach(endpoints, ns.hostAddress());
                where = ns.describe();
            } else {
                where = "this host, as users run it (" + stack.description().provider() + " stack)";
            }
            result = OfficialClient.run(new OfficialClient.Invocation(
                    python,
                    endpoints,
                    experiment,
                    model,
                    sizes,
                    unreachable,
                    ns == null ? c -> c : ns::wrap,
                    work,
                    TIMEOUT));
        } finally {
            if (ns != null) {
                ns.close();
            }
            cleanup = cleanup(mlflow, experiment, model);
            Dirs.deleteRecursively(work.resolve("files"));
        }
        context = "MLflow client " + result.clientVersion() + " (Python " + result.python() + ") against server "
                + serverVersion + " in " + where;
        System.out.printf(
                "  client: %s; %d of %d steps passed, %d not in this client, in %.1f s; log %s%n",
                context,
                result.steps().stream().filter(Step::ok).count(),
                result.plan().size(),
                result.steps().stream().filter(s -> s.skipped() != null).count(),
                (System.nanoTime() - t0) / 1e9,
                result.log());
        Allure.addAttachment(
                "client driver log", "text/plain", String.join("\n", ManagedProcess.tail(result.log(), 400)), ".txt");
        assertThat(result.plan())
                .as(
                        "steps the client driver recorded%s; last lines of %s:%n%s",
                        result.timedOut() ? " before the " + TIMEOUT.toMinutes() + "-minute timeout" : "",
                        result.log(),
                        String.join("\n", ManagedProcess.tail(result.log(), 20)))
                .isNotEmpty();
        assertThat(result.notReached())
                .as(
                        "steps the driver did not reach (it %s; last lines of %s:%n%s)",
                        result.timedOut() ? "was stopped after " + TIMEOUT.toMinutes() + " minutes" : "ended early",
                        result.log(),
                        String.join("\n", ManagedProcess.tail(result.log(), 15)))
                .isEmpty();
        assertThat(cleanup)
                .as("cleanup of experiment %s and model %s", experiment, model)
                .isEmpty();
    }

    /**
     * The largest artifact when {@code --client-large-artifact} is {@code auto}: the multipart route when server-info
     * offers multipart uploads (600 MiB, above the client's threshold), otherwise a file larger than every buffer on the
     * way, which goes as one proxied PUT as any larger file would.
     */
    static long largest(MlflowClient mlflow) {
        boolean multipart = mlflow.serverInfo()
                .map(info -> Boolean.TRUE.equals(info.get("multipart_uploads_enabled")))
                .orElse(false);
        return multipart ? MULTIPART_SIZE : PROXIED_SIZE;
    }

    @TestFactory
    @Order(2)
    @DisplayName("official client step")
    Stream<DynamicTest> eachStep() {
        if (result == null) {
            return Stream.empty(); // the run above was skipped or could not start; it says why
        }
        return result.steps().stream()
                .map(step -> dynamicTest(step.name(), () -> {
                    StackExtension.labels("client");
                    Allure.addAttachment(
                            "step",
                            "text/plain",
                            context + "\n\n" + step.detail()
                                    + (step.traceback() == null ? "" : "\n\n" + step.traceback()),
                            ".txt");
                    Assumptions.assumeTrue(step.skipped() == null, step.skipped());
                    if (!step.ok()) {
                        throw new AssertionError(message(step, result));
                    }
                }));
    }

    /**
     * Addresses the isolated client must not reach: every internal service where it listens for the harness and at
     * the host end of the namespace's veth (the only address the namespace can route to); the store by an S3 request.
     */
    private static List<Map<String, Object>> mustNotReach(Endpoints endpoints, String hostEnd) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (InternalService s : endpoints.internalServices()) {
            for (String host : List.of(s.host(), hostEnd)) {
                Map<String, Object> target = new LinkedHashMap<>();
                if (s.name().equals("object-store") && endpoints.s3() != null) {
                    String url = "http://" + host + ":" + s.port() + "/"
                            + endpoints.s3().bucket();
                    target.put("name", "object store (S3 GET " + url + ")");
                    target.put("url", url);
                } else {
                    target.put(
                            "name",
                            (s.name().equals("mlflow") ? "MLflow server (behind nginx)" : s.name()) + " at " + host
                                    + ":" + s.port());
                    target.put("host", host);
                    target.put("port", s.port());
                }
                out.add(target);
            }
        }
        return out;
    }

    /** A failed step's message; for unreachable presigned URLs: which URLs, what makes the server send them, the fixes. */
    static String message(Step step, Result result) {
        List<String> unreachable = new ArrayList<>();
        if (result.presigned() != null) {
            result.presigned()
                    .path("unreachable")
                    .forEach(u -> unreachable.add(u.asText().replaceFirst(" \\(.*$", "")));
        }
        if (unreachable.isEmpty()) {
            return step.error();
        }
        if (!step.name().equals(PRESIGNED_STEP)) {
            return step.error() + " [the server sends this client to presigned URLs it cannot reach: see '"
                    + PRESIGNED_STEP + "']";
        }
        String store = unreachable.stream()
                .map(u -> u.replaceFirst("^\\S+ URL (\\w+://[^/]+).*$", "$1"))
                .distinct()
                .collect(Collectors.joining(", "));
        JsonNode info = result.serverInfo();
        return "presigned URLs at the object store's own address " + store
                + " are unreachable. Cause: server-info says "
                + "multipart_downloads_enabled="
                + info.path("multipart_downloads_enabled").asText() + ", multipart_uploads_enabled="
                + info.path("multipart_uploads_enabled").asText()
                + " (MLflow's default when it proxies S3; no server flag) and URLs are signed "
                + "for the server's MLFLOW_S3_ENDPOINT_URL. Fix: keep transfers proxied (the proxy answers server-info with both false, as the "
                + "harness's nginx does, or clients set MLFLOW_ENABLE_PROXY_MULTIPART_DOWNLOAD=false and MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=false)"
                + ", or publish the store at an MLFLOW_S3_ENDPOINT_URL clients reach too. URLs: "
                + String.join("; ", unreachable);
    }

    /** Deletes the registered model, the experiment's artifacts (models included) and the experiment; returns what failed. */
    private static List<String> cleanup(MlflowClient mlflow, String experiment, String model) {
        List<String> problems = new ArrayList<>();
        try {
            mlflow.registry().deleteRegisteredModelIfExists(model);
        } catch (RuntimeException | AssertionError e) {
            problems.add("registered model " + model + ": " + e.getMessage());
        }
        Response r = mlflow.getRaw("/experiments/get-by-name", Map.of("experiment_name", experiment));
        if (r.statusCode() == 404) {
            return problems;
        }
        if (r.statusCode() != 200) {
            problems.add("experiment " + experiment + ": get-by-name answered " + r.statusCode());
            return problems;
        }
        String id = r.jsonPath().getString("experiment.experiment_id");
        try {
            mlflow.artifacts().delete(id);
            mlflow.endpoints().s3Access().ifPresent(s3 -> {
                try (ObjectStore store = new ObjectStore(s3)) {
                    List<String> left = store.keys(s3.artifactRoot() + "/" + id + "/");
                    if (!left.isEmpty()) {
                        problems.add(left.size() + " objects of experiment " + id + " are still in the store, e.g. "
                                + left.get(0));
                    }
                }
            });
        } catch (RuntimeException | AssertionError e) {
            problems.add("artifacts of experiment " + id + ": " + e.getMessage());
        }
        try {
            mlflow.deleteExperiment(id);
        } catch (RuntimeException | AssertionError e) {
            problems.add("experiment " + id + ": " + e.getMessage());
        }
        return problems;
    }
}
