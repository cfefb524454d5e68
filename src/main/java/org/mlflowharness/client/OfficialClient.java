package org.mlflowharness.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.proc.ManagedProcess;

/**
 * The official MLflow Python client, as users run it: {@code src/main/resources/client/driver.py} in a virtualenv of
 * the client release, against the tracking URI with the stack's Basic credentials, doing the steps users do (params,
 * metrics, tags, artifacts from 0 B to hundreds of MiB, a model logged, loaded, registered and loaded by alias,
 * downloads). The driver records each step in a JSON file as it ends; {@link #run} reads it back, also after a crash or
 * a timeout (the steps not reached are then listed as such).
 */
public final class OfficialClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One step of the driver, as it recorded it. {@code skipped} says why the step was not done when the client release
     * does not offer it ("not in client 2.9: ..."), else null: a limit of the client the harness runs, not of the stack.
     */
    public record Step(
            String name, boolean ok, double seconds, String detail, String error, String traceback, String skipped) {}

    /** What the driver did: its steps in order, the plan it announced, what the server advertised, and how it ended. */
    public record Result(
            String clientVersion,
            String python,
            List<String> plan,
            List<Step> steps,
            JsonNode serverInfo,
            JsonNode presigned,
            boolean timedOut,
            Path log) {

        /** Planned steps the driver did not reach (it crashed or was stopped). */
        public List<String> notReached() {
            List<String> done = steps.stream().map(Step::name).toList();
            return plan.stream().filter(p -> !done.contains(p)).toList();
        }
    }

    /**
     * What to run: the interpreter of the client's virtualenv, the tracking URI and credentials, names of what the
     * driver creates, the artifact sizes, addresses the client must not reach ({@code name} with {@code url} or
     * {@code host}/{@code port}), and how to wrap the command (e.g. into a network namespace).
     */
    public record Invocation(
            Path python,
            Endpoints endpoints,
            String experimentName,
            String modelName,
            List<Long> sizes,
            List<Map<String, Object>> unreachable,
            UnaryOperator<List<String>> wrap,
            Path workDir,
            Duration timeout) {}

    private OfficialClient() {}

    /** Runs the driver to its end (or the timeout, when it is stopped) and returns what it recorded. */
    public static Result run(Invocation inv) {
        try {
            Files.createDirectories(inv.workDir());
            Path driver = inv.workDir().resolve("driver.py");
            try (InputStream in = OfficialClient.class.getResourceAsStream("/client/driver.py")) {
                if (in == null) {
                    throw new IllegalStateException("client/driver.py is not on the class path (src/main/resources)");
                }
                Files.copy(in, driver, StandardCopyOption.REPLACE_EXISTING);
            }
            Path resultFile = inv.workDir().resolve("result.json");
            Files.deleteIfExists(resultFile);
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("tracking_uri", inv.endpoints().trackingUri().toString());
            config.put("experiment_name", inv.experimentName());
            config.put("model_name", inv.modelName());
            config.put("work_dir", inv.workDir().resolve("files").toString());
            config.put("result_file", resultFile.toString());
            config.put("sizes", inv.sizes());
            config.put("unreachable", inv.unreachable());
            Path configFile = inv.workDir().resolve("config.json");
            JSON.writeValue(configFile.toFile(), config);

            Map<String, String> env = new LinkedHashMap<>();
            env.put("MLFLOW_TRACKING_USERNAME", inv.endpoints().username());
            env.put("MLFLOW_TRACKING_PASSWORD", inv.endpoints().password());
            // Nothing leaves for MLflow's telemetry endpoint.
            env.put("MLFLOW_DISABLE_TELEMETRY", "true");
            env.put("DO_NOT_TRACK", "true");
            // One retry, short back-off: an unreachable URL fails in seconds instead of minutes (126 s per file
            // with the client's defaults); a healthy stack needs no retry.
            env.put("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1");
            env.put("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "1");
            env.put("PYTHONUNBUFFERED", "1");
            Path log = inv.workDir().resolve("driver.log");
            ManagedProcess p = ManagedProcess.start(
                    "mlflow-client",
                    inv.wrap().apply(List.of(inv.python().toString(), driver.toString(), configFile.toString())),
                    env,
                    inv.workDir(),
                    log);
            boolean finished = p.awaitExit(inv.timeout());
            if (!finished) {
                p.stop();
            }
            return read(resultFile, !finished, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result read(Path resultFile, boolean timedOut, Path log) throws IOException {
        if (!Files.exists(resultFile)) {
            return new Result("unknown", "unknown", List.of(), List.of(), null, null, timedOut, log);
        }
        JsonNode r = JSON.readTree(resultFile.toFile());
        List<String> plan = new ArrayList<>();
        r.path("plan").forEach(n -> plan.add(n.asText()));
        List<Step> steps = new ArrayList<>();
        for (JsonNode s : r.path("steps")) {
            steps.add(new Step(
                    s.path("name").asText(),
                    s.path("ok").asBoolean(),
                    s.path("seconds").asDouble(),
                    s.path("detail").asText(""),
                    s.path("error").isNull() || s.path("error").isMissingNode()
                            ? null
                            : s.path("error").asText(),
                    s.path("traceback").asText(null),
                    s.path("skipped").asText(null)));
        }
        return new Result(
                r.path("client_version").asText(),
                r.path("python").asText(),
                plan,
                steps,
                r.get("server_info"),
                r.get("presigned"),
                timedOut,
                log);
    }
}
