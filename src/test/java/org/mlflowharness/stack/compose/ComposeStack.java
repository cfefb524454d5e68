package org.mlflowharness.stack.compose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.stack.Endpoints;
import org.mlflowharness.stack.Endpoints.DatabaseAccess;
import org.mlflowharness.stack.Endpoints.InternalService;
import org.mlflowharness.stack.Endpoints.S3Access;
import org.mlflowharness.stack.Htpasswd;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackDescription;
import org.mlflowharness.stack.StackDescription.Component;
import org.mlflowharness.stack.StackException;
import org.mlflowharness.stack.StackProvider;
import org.mlflowharness.stack.Stacks;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.utility.LogUtils;

/**
 * The article's stack (compose/docker-compose.yml) run by Testcontainers' {@link ComposeContainer} with the local
 * {@code docker compose}. Each run works on its own copy of compose/ under {@code <work-dir>/compose-<id>/} (the
 * repository is never modified), with freshly generated credentials, a random project name and the versions of
 * {@link HarnessConfig}. nginx, MySQL and RustFS are reached through Testcontainers' ambassador: nginx for the
 * suites, the stores for direct verification only. {@link #stop()} runs {@code down -v}.
 */
public final class ComposeStack implements StackProvider {

    static final String PROXY = "nginx-proxy";
    static final String TRACKING = "mlflow";
    static final String DB = "db";
    static final String STORE = "rustfs";
    static final String USER = "mlflow";
    /** Start order; a failure is blamed on the first service here that is broken. */
    private static final List<String> SERVICES = List.of("volume-permission-helper", DB, STORE, "rustfs-init", TRACKING, PROXY);
    private static final List<String> ONE_SHOT = List.of("volume-permission-helper", "rustfs-init");
    private static final String PROJECT_LABEL = "com.docker.compose.project";
    private static final String SERVICE_LABEL = "com.docker.compose.service";
    private static final int LOG_TAIL_LINES = 40;

    private final HarnessConfig config;
    private final Path composeSource;
    private Duration startupTimeout = Duration.ofMinutes(10);
    private ComposeContainer compose;
    private String projectPrefix;
    private Path runDir;
    private RunningStack running;

    public ComposeStack(HarnessConfig config) {
        this(config, Path.of("compose"));
    }

    /** @param composeSource the directory holding docker-compose.yml, .env.example, mlflow/ and nginx/ */
    public ComposeStack(HarnessConfig config, Path composeSource) {
        this.config = config;
        this.composeSource = composeSource.toAbsolutePath().normalize();
    }

    /** How long every service together may take to become ready once {@code docker compose up} returned. */
    public ComposeStack withStartupTimeout(Duration timeout) {
        this.startupTimeout = timeout;
        return this;
    }

    @Override
    public synchronized RunningStack start() {
        if (running != null) {
            return running;
        }
        if (!Stacks.dockerAvailable()) {
            throw new StackException("compose", "no Docker engine answers (Testcontainers found none to talk to)",
                    "use --stack native, or start Docker");
        }
        String id = Htpasswd.secret(4);
        projectPrefix = "mlflowharness" + id;
        String password = Htpasswd.secret(16);
        Map<String, String> env = env(password);
        runDir = prepareRunDir(id, env, password);

        compose = new ComposeContainer(projectPrefix, runDir.resolve("docker-compose.yml").toFile())
                .withEnv(env)
                .withBuild(true)
                // The image names hold ${VAR:-default}; `docker compose up` resolves and pulls them itself.
                .withPull(false)
                .withExposedService(PROXY, 80, new WaitAllStrategy()
                        .withStrategy(Wait.forHttp("/").forStatusCode(401))
                        .withStrategy(Wait.forHttp("/health").withBasicCredentials(USER, password).forStatusCode(200)))
                .withExposedService(DB, 3306, Wait.forHealthcheck())
                .withExposedService(STORE, 9000, Wait.forHealthcheck())
                .withStartupTimeout(startupTimeout);
        try {
            compose.start();
            Endpoints endpoints = endpoints(env, password);
            running = new RunningStack(endpoints, describe(endpoints));
            return running;
        } catch (StackException e) {
            stop();
            throw e;
        } catch (RuntimeException e) {
            StackException failure = diagnose(e);
            stop();
            throw failure;
        }
    }

    @Override
    public synchronized void stop() {
        ComposeContainer c = compose;
        compose = null;
        running = null;
        if (c != null) {
            c.stop(); // docker compose down -v: ComposeContainer removes volumes unless withRemoveVolumes(false)
        }
    }

    /** The per-run copy of compose/, or null before {@link #start()}. */
    public Path runDir() {
        return runDir;
    }

    private Map<String, String> env(String password) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MLFLOW_VERSION", config.get(Option.MLFLOW_VERSION));
        env.put("RUSTFS_VERSION", config.get(Option.RUSTFS_VERSION));
        env.put("MYSQL_VERSION", config.get(Option.MYSQL_VERSION));
        env.put("NGINX_PROXY_VERSION", config.get(Option.NGINX_PROXY_VERSION));
        env.put("NGINX_VARIANT", config.nginxVariant().id());
        env.put("NGINX_PORT", String.valueOf(config.port())); // 0: Docker picks a free host port
        env.put("VIRTUAL_HOST", "localhost");
        env.put("MLFLOW_DB_PASSWORD", Htpasswd.secret(16));
        env.put("MYSQL_ROOT_PASSWORD", Htpasswd.secret(16));
        env.put("S3_ACCESS_KEY", "harness" + Htpasswd.secret(6));
        env.put("S3_SECRET_KEY", Htpasswd.secret(20));
        env.put("S3_BUCKET", config.get(Option.S3_BUCKET));
        return env;
    }

    /** Copies compose/ (without .env and htpasswd files), writes .env and the htpasswd file of VIRTUAL_HOST. */
    private Path prepareRunDir(String id, Map<String, String> env, String password) {
        Path dir = config.workDir().resolve("compose-" + id);
        try (Stream<Path> files = Files.walk(composeSource)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = composeSource.relativize(p);
                if (rel.toString().equals(".env") || (rel.startsWith("nginx/htpasswd") && Files.isRegularFile(p))) {
                    continue;
                }
                Path target = dir.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(dir.resolve(".env"), dotEnv(Files.readString(dir.resolve(".env.example")), env));
            Files.createDirectories(dir.resolve("nginx/htpasswd"));
            Files.writeString(dir.resolve("nginx/htpasswd").resolve(env.get("VIRTUAL_HOST")), Htpasswd.line(USER, password));
            return dir;
        } catch (IOException e) {
            throw new StackException("compose", "cannot prepare " + dir + ": " + e.getMessage(),
                    "check --work-dir and that " + composeSource + " exists", List.of(), e);
        }
    }

    /** .env.example with this run's values in place: the per-run .env reproduces the run by hand. */
    static String dotEnv(String example, Map<String, String> values) {
        Map<String, String> left = new LinkedHashMap<>(values);
        StringBuilder out = new StringBuilder();
        for (String line : example.stripTrailing().split("\n")) {
            int eq = line.indexOf('=');
            String key = eq > 0 && !line.startsWith("#") ? line.substring(0, eq).strip() : null;
            out.append(key != null && left.containsKey(key) ? key + "=" + left.remove(key) : line).append('\n');
        }
        left.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString().stripTrailing() + "\n";
    }

    private Endpoints endpoints(Map<String, String> env, String password) {
        // "localhost", not the ambassador's host: nginx-proxy routes on the Host header, which must be VIRTUAL_HOST.
        URI tracking = URI.create("http://" + env.get("VIRTUAL_HOST") + ":" + compose.getServicePort(PROXY, 80));
        String dbHost = compose.getServiceHost(DB, 3306);
        int dbPort = compose.getServicePort(DB, 3306);
        String s3Host = compose.getServiceHost(STORE, 9000);
        int s3Port = compose.getServicePort(STORE, 9000);
        return new Endpoints(tracking, USER, password,
                new S3Access(URI.create("http://" + s3Host + ":" + s3Port), env.get("S3_ACCESS_KEY"), env.get("S3_SECRET_KEY"),
                        env.get("S3_BUCKET"), "artifacts", "us-east-1"),
                new DatabaseAccess("jdbc:mysql://" + dbHost + ":" + dbPort + "/mlflow?allowPublicKeyRetrieval=true", "mlflow",
                        env.get("MLFLOW_DB_PASSWORD")),
                List.of(new InternalService(DB, dbHost, dbPort), new InternalService(STORE, s3Host, s3Port)));
    }

    /** Versions as the running components report them. Compose starts them together: no per-component times. */
    private StackDescription describe(Endpoints e) {
        String project = projectName();
        return new StackDescription("compose", config.nginxVariant(), List.of(
                new Component("proxy", "nginx", nginxVersion(),
                        "nginx -v in " + PROXY + " (nginxproxy/nginx-proxy:" + config.get(Option.NGINX_PROXY_VERSION) + ")",
                        null, logsCommand(project, PROXY), null),
                new Component("tracking", "MLflow", mlflowVersion(e), "GET /version through nginx", null,
                        logsCommand(project, TRACKING), null),
                new Component("database", "MySQL", databaseVersion(e.database()), "SELECT VERSION()", null,
                        logsCommand(project, DB), null),
                new Component("object-store", "RustFS", rustfsVersion(e.s3().endpoint()), "GET /health version", null,
                        logsCommand(project, STORE), null)));
    }

    private String nginxVersion() {
        ContainerState nginx = compose.getContainerByServiceName(PROXY)
                .orElseThrow(() -> new StackException(PROXY, "no running container", "see docker compose ps"));
        try {
            String out = nginx.execInContainer("nginx", "-v").getStderr().strip(); // "nginx version: nginx/1.27.3"
            int slash = out.lastIndexOf('/');
            return slash >= 0 ? out.substring(slash + 1).strip() : out;
        } catch (IOException | InterruptedException ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new StackException(PROXY, "nginx -v failed: " + ex.getMessage(), "see its log", List.of(), ex);
        }
    }

    private static String mlflowVersion(Endpoints e) {
        String auth = Base64.getEncoder().encodeToString((e.username() + ":" + e.password()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = get(e.trackingUri().resolve("/version"), Map.of("Authorization", "Basic " + auth), TRACKING);
        if (r.statusCode() != 200) {
            throw new StackException(TRACKING, "GET /version through nginx answered " + r.statusCode(), "see the mlflow log");
        }
        return r.body().strip();
    }

    private static String databaseVersion(DatabaseAccess db) {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException ex) {
            throw new StackException(DB, "SELECT VERSION() failed: " + ex.getMessage(), "see the db log", List.of(), ex);
        }
    }

    private static String rustfsVersion(URI s3) {
        HttpResponse<String> r = get(s3.resolve("/health"), Map.of(), STORE);
        try {
            String version = new ObjectMapper().readTree(r.body()).path("version").asText("");
            if (r.statusCode() != 200 || version.isBlank()) {
                throw new StackException(STORE, "GET /health answered " + r.statusCode() + " without a version: " + r.body(), "see the rustfs log");
            }
            return version;
        } catch (IOException ex) {
            throw new StackException(STORE, "GET /health is not JSON: " + r.body(), "see the rustfs log", List.of(), ex);
        }
    }

    private static HttpResponse<String> get(URI uri, Map<String, String> headers, String component) {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(req::header);
        try {
            return HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new StackException(component, "GET " + uri + " failed: " + ex, "see the " + component + " log", List.of(), ex);
        }
    }

    // --- failure diagnosis: which service, why, and its log tail ---

    /** One compose container as Docker sees it. */
    private record ServiceState(String service, String containerId, String summary, boolean broken, boolean notReady) {
    }

    private StackException diagnose(RuntimeException cause) {
        List<ServiceState> states;
        try {
            states = serviceStates();
        } catch (RuntimeException listingFailed) {
            states = List.of();
        }
        Optional<ServiceState> culprit = states.stream().filter(ServiceState::broken).findFirst();
        if (culprit.isEmpty()) {
            culprit = states.stream().filter(ServiceState::notReady).findFirst();
        }
        if (culprit.isEmpty()) {
            String message = String.valueOf(cause.getMessage());
            culprit = states.stream().filter(s -> message.contains(s.service())).findFirst();
        }
        String fix = "see the log tail; the run's compose files and .env are in " + runDir;
        if (culprit.isEmpty()) {
            return new StackException("compose", "did not come up: " + rootMessage(cause), fix, List.of(), cause);
        }
        ServiceState s = culprit.get();
        return new StackException(s.service(), s.summary() + "; " + rootMessage(cause), fix, logTail(s.containerId()), cause);
    }

    /** The project's containers in start order. */
    private List<ServiceState> serviceStates() {
        DockerClient docker = DockerClientFactory.instance().client();
        List<ServiceState> states = new ArrayList<>();
        for (String service : SERVICES) {
            for (Container c : projectContainers(docker)) {
                if (!service.equals(c.getLabels().get(SERVICE_LABEL))) {
                    continue;
                }
                InspectContainerResponse.ContainerState st = docker.inspectContainerCmd(c.getId()).exec().getState();
                String health = st.getHealth() == null ? null : st.getHealth().getStatus();
                long exit = st.getExitCodeLong() == null ? 0 : st.getExitCodeLong();
                boolean runningNow = Boolean.TRUE.equals(st.getRunning());
                boolean broken = Boolean.TRUE.equals(st.getRestarting()) || "unhealthy".equals(health)
                        || (!runningNow && exit != 0);
                boolean notReady = "starting".equals(health) || (!runningNow && !ONE_SHOT.contains(service));
                String summary = "container " + st.getStatus() + (health == null ? "" : ", health " + health)
                        + (runningNow ? "" : ", exit code " + exit);
                states.add(new ServiceState(service, c.getId(), summary, broken, notReady));
            }
        }
        return states;
    }

    private List<Container> projectContainers(DockerClient docker) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(PROJECT_LABEL)).exec().stream()
                .filter(c -> c.getLabels().getOrDefault(PROJECT_LABEL, "").startsWith(projectPrefix))
                .toList();
    }

    private String projectName() {
        try {
            return projectContainers(DockerClientFactory.instance().client()).stream()
                    .map(c -> c.getLabels().get(PROJECT_LABEL)).findFirst().orElse(projectPrefix + "*");
        } catch (RuntimeException e) {
            return projectPrefix + "*";
        }
    }

    private static String logsCommand(String project, String service) {
        return "docker compose -p " + project + " logs " + service;
    }

    private static List<String> logTail(String containerId) {
        try {
            List<String> lines = LogUtils.getOutput(DockerClientFactory.instance().client(), containerId).lines().toList();
            return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        } catch (RuntimeException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (cause: " + root.getMessage() + ")";
    }
}
