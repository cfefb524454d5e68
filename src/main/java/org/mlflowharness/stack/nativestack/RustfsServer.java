package org.mlflowharness.stack.nativestack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlflowharness.model.Endpoints.S3Access;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Readiness;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The real RustFS: a rustfs binary started with the environment of the {@code rustfs} service in
 * {@code compose/docker-compose.yml} (the article's settings: console off, CORS, log level, object cache), with only
 * the address, data directory and keys replaced by the native stack's. Ready when {@code GET /health} (the article's
 * healthcheck) and {@code GET /health/ready} answer 200; its version is what {@code /health} reports.
 */
final class RustfsServer extends ObjectStoreServer {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code ${NAME:-default}} as Compose resolves it when NAME is unset. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?}");

    private final Path binary;
    private final String expectedVersion;

    /** @param expectedVersion the version the binary must report (the cached build of it), or null for --rustfs-bin */
    RustfsServer(Path binary, String expectedVersion) {
        this.binary = binary;
        this.expectedVersion = expectedVersion;
    }

    @Override
    Started start(S3Access s3, Path dir, Launcher launcher) {
        Path data = dir.resolve("rustfs/data");
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new StackException(
                    "rustfs", "cannot create " + data + ": " + e.getMessage(), "pass a writable --work-dir");
        }
        URI health = URI.create(s3.endpoint() + "/health");
        URI ready = URI.create(s3.endpoint() + "/health/ready");
        ManagedProcess p = launcher.launch(
                "rustfs",
                List.of(binary.toString()),
                environment(NativeStack.composeDir(), s3, data),
                Readiness.http(health, 200),
                Duration.ofSeconds(90));
        String fix = "see " + p.log();
        List<String> findings = new ArrayList<>();
        int readyStatus = status(ready, p);
        p.awaitReady(Readiness.http(ready, 200), Duration.ofSeconds(90), fix);
        String version = version(health, p);
        if (readyStatus != 200) {
            findings.add("RustFS " + version
                    + ": GET /health (the article's Compose healthcheck) answered 200 while GET /health/ready "
                    + "still answered " + readyStatus
                    + ": the healthcheck can report RustFS healthy before its storage is ready "
                    + "(rustfs-init and MLflow wait on it)");
        }
        if (expectedVersion != null && !expectedVersion.equals(version)) {
            throw p.failure(
                    binary + " reports version " + version + " on GET /health, not " + expectedVersion,
                    "rebuild it: ./harness rustfs-build --rustfs-version " + expectedVersion,
                    null);
        }
        findings.addAll(ignoredSettings(ManagedProcess.tail(p.log(), 500), version));
        return new Started(p, "RustFS", version, "GET /health", null, findings);
    }

    /**
     * The rustfs service's environment from the Compose file, {@code ${VAR:-default}} resolved to the default, with
     * the address, volume and keys of this stack (and the external address's port) in place of the Compose ones.
     */
    static Map<String, String> environment(Path composeDir, S3Access s3, Path data) {
        Map<String, String> env =
                new LinkedHashMap<>(composeEnvironment(composeDir.resolve("docker-compose.yml"), "rustfs"));
        int port = s3.endpoint().getPort();
        env.put("RUSTFS_ADDRESS", "127.0.0.1:" + port);
        env.put("RUSTFS_VOLUMES", data.toString());
        env.put("RUSTFS_ACCESS_KEY", s3.accessKey());
        env.put("RUSTFS_SECRET_KEY", s3.secretKey());
        env.computeIfPresent("RUSTFS_EXTERNAL_ADDRESS", (k, v) -> ":" + port);
        return env;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> composeEnvironment(Path composeFile, String service) {
        Map<String, Object> root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(Files.readString(composeFile, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new StackException(
                    service,
                    "cannot read its settings from " + composeFile + ": " + e.getMessage(),
                    "run the harness from the repository root (./harness)");
        }
        Object services = root == null ? null : root.get("services");
        Object svc = services instanceof Map<?, ?> m ? m.get(service) : null;
        Object environment = svc instanceof Map<?, ?> m ? m.get("environment") : null;
        Map<String, String> env = new LinkedHashMap<>();
        if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String s = String.valueOf(entry);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : resolve(s.substring(eq + 1)));
            }
        } else if (environment instanceof Map<?, ?> map) {
            ((Map<Object, Object>) map)
                    .forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : resolve(String.valueOf(v))));
        } else {
            throw new StackException(
                    service,
                    composeFile + " has no environment for service " + service,
                    "restore the " + service + " service of the article's Compose file");
        }
        return env;
    }

    private static String resolve(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) == null ? "" : m.group(1)));
        }
        return m.appendTail(out).toString();
    }

    /** Where a log line came from, not what it says: left out of a finding. */
    private static final List<String> LOG_METADATA = List.of(
            "timestamp",
            "level",
            "message",
            "target",
            "filename",
            "line_number",
            "span",
            "spans",
            "threadName",
            "threadId");

    /**
     * Settings RustFS said it ignored while starting (its own log, WARN lines naming ignored variables or settings),
     * as its message and fields; RustFS logs JSON lines, or text lines with a terminal's colours.
     */
    static List<String> ignoredSettings(List<String> log, String version) {
        return log.stream()
                .filter(l -> l.contains("WARN") && l.toLowerCase().contains("ignored"))
                .map(l -> "RustFS " + version + " ignored part of the article's settings: "
                        + readable(l.replaceAll("\u001B\\[[0-9;]*m", "").trim()))
                .distinct()
                .toList();
    }

    private static String readable(String line) {
        if (!line.startsWith("{")) {
            return line;
        }
        try {
            JsonNode json = JSON.readTree(line);
            StringBuilder out = new StringBuilder(json.path("message").asText(line));
            json.fields().forEachRemaining(f -> {
                if (!LOG_METADATA.contains(f.getKey())) {
                    out.append(' ')
                            .append(f.getKey())
                            .append('=')
                            .append(f.getValue().isTextual() ? f.getValue().asText() : f.getValue());
                }
            });
            return out.toString();
        } catch (IOException e) {
            return line;
        }
    }

    private static int status(URI uri, ManagedProcess p) {
        try {
            return Readiness.HTTP
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw p.failure("interrupted", "", e);
        }
    }

    private String version(URI health, ManagedProcess p) {
        try {
            String body = Readiness.HTTP
                    .send(
                            HttpRequest.newBuilder(health)
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            String v = JSON.readTree(body).path("version").asText("");
            if (v.isEmpty()) {
                throw p.failure(
                        "GET /health answered without a version: " + body,
                        "check that " + binary + " is a RustFS server",
                        null);
            }
            return v;
        } catch (IOException e) {
            throw p.failure(
                    "GET /health gave no version: " + e.getMessage(),
                    "check that " + binary + " is a RustFS server",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw p.failure("interrupted", "", e);
        }
    }
}
