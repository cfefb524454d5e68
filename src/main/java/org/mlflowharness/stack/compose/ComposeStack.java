package org.mlflowharness.stack.compose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.io.File;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.http.BasicAuth;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.Endpoints.InternalService;
import org.mlflowharness.model.Endpoints.S3Access;
import org.mlflowharness.model.Fault;
import org.mlflowharness.stack.Htpasswd;
import org.mlflowharness.stack.ProxiedTransfers;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.model.StackDescription.Component;
import org.mlflowharness.model.StackException;
import org.mlflowharness.stack.StackProvider;
import org.mlflowharness.stack.nativestack.Toolchain;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.proc.Poll;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.utility.LogUtils;

/**
 * The article's stack (compose/docker-compose.yml) run by Testcontainers: {@link DockerComposeContainer} with the local
 * {@code docker-compose} v1, or {@link ComposeContainer} where the {@code docker compose} v2 plugin exists. Nothing is
 * pulled that a registry-less host cannot have: Ryuk is disabled ({@code TESTCONTAINERS_RYUK_DISABLED=true}, set by
 * {@code ./harness}; {@link #stop()} and the harness's Ctrl-C hook run {@code down -v}), no port goes through
 * Testcontainers' socat ambassador (nginx publishes its port on 127.0.0.1; the stores are reached for verification
 * at their addresses on the stack's own internal bridge network, which the host routes to), and with
 * {@code --images offline} the images are the local set of {@code compose/docker-compose.offline.yml}.
 *
 * <p>Each run works on its own copy of compose/ under {@code <work-dir>/compose/<id>/} (the repository is never
 * modified), with fresh credentials, its own Compose project, and a state file for {@code status} and {@code down}.
 */
public final class ComposeStack implements StackProvider {

    static final String PROXY = "nginx-proxy";
    static final String TRACKING = "mlflow";
    static final String DB = "db";
    static final String STORE = "rustfs";
    static final String BUCKET_JOB = "rustfs-init";
    static final String PERMISSION_JOB = "volume-permission-helper";
    static final String USER = "mlflow";
    static final String INTERNAL_NET = "mlflow-internal-net";
    static final String OFFLINE_FILE = "docker-compose.offline.yml";
    static final String FAULT_FILE = "docker-compose.fault.yml";
    /** Start order; a failure is blamed on the first service here that is broken. */
    private static final List<String> SERVICES = List.of(PERMISSION_JOB, DB, STORE, BUCKET_JOB, TRACKING, PROXY);
    private static final List<String> ONE_SHOT = List.of(PERMISSION_JOB, BUCKET_JOB);
    private static final String PROJECT_LABEL = "com.docker.compose.project";
    private static final String SERVICE_LABEL = "com.docker.compose.service";
    private static final int LOG_TAIL_LINES = 40;
    /** What the registry mode needs first: its answer decides --images auto. */
    private static final Duration REGISTRY_PROBE = Duration.ofSeconds(3);

    private final HarnessConfig config;
    private final Path composeSource;
    private final Consumer<String> out;
    private final ComposeState attached;
    private Duration startupTimeout = Duration.ofMinutes(10);
    private Startable compose;
    private volatile String identifier;
    private ComposeState state;
    private RunningStack running;
    /** Set by {@link #stop()} from another thread (Ctrl-C) while {@link #start()} builds images: start gives up. */
    private volatile boolean stopRequested;

    public ComposeStack(HarnessConfig config, Consumer<String> out) {
        this(config, Path.of(System.getProperty("harness.home", ".")).resolve("compose"), out, null);
    }

    /** @param composeSource the directory holding docker-compose.yml, .env.example, mlflow/, nginx/ and offline/ */
    public ComposeStack(HarnessConfig config, Path composeSource, Consumer<String> out) {
        this(config, composeSource, out, null);
    }

    private ComposeStack(HarnessConfig config, Path composeSource, Consumer<String> out, ComposeState attached) {
        this.config = config;
        this.composeSource = composeSource.toAbsolutePath().normalize();
        this.out = out;
        this.attached = attached;
        this.running = attached == null ? null : attached.stack();
    }

    /** A stack that {@code up --detach} left running, used as it is: {@link #stop()} leaves it running. */
    public static ComposeStack attach(HarnessConfig config, ComposeState detached, Consumer<String> out) {
        return new ComposeStack(config, Path.of("compose"), out, detached);
    }

    /** The prefix of this run's Compose project name (Testcontainers appends a random suffix), or null before start. */
    public String projectPrefix() {
        return identifier;
    }

    /** Where the running compose stack's state file lives; {@code status} and {@code down} read it. */
    public static Path stateFile(HarnessConfig config) {
        return config.workDir().resolve("compose").resolve("stack.json");
    }

    /** How long every service together may take to become ready once {@code up} returned. */
    public ComposeStack withStartupTimeout(Duration timeout) {
        this.startupTimeout = timeout;
        return this;
    }

    @Override
    public synchronized RunningStack start() {
        if (running != null) {
            return running;
        }
        stopRequested = false;
        DockerEngine.Status engine = DockerEngine.ping(Duration.ofSeconds(5));
        if (!engine.answers()) {
            throw new StackException("compose", engine.describe(), "./harness docker-setup starts one, or use --stack native");
        }
        if (ComposeState.read(stateFile(config)).filter(s -> !projectsNamed(s.project()).isEmpty()).isPresent()) {
            throw new StackException("compose", "a compose stack (or what is left of one) exists from " + stateFile(config).getParent(),
                    "use it (./harness status), or remove it first: ./harness down");
        }
        List<String> composeCommand = composeCommand();
        boolean offline = offlineImages();
        if (offline && !Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            throw new StackException("compose", "Testcontainers would pull its Ryuk image, and no registry answers",
                    "set TESTCONTAINERS_RYUK_DISABLED=true (./harness sets it)");
        }
        if (offline) {
            new OfflineImages(config, composeSource, out).ensure();
        }
        String id = Htpasswd.secret(4);
        String password = Htpasswd.secret(16);
        Map<String, String> env = env();
        Path runDir = prepareRunDir(id, env, password);
        List<String> files = new ArrayList<>(List.of("docker-compose.yml"));
        if (offline) {
            files.add(OFFLINE_FILE);
        }
        if (config.fault() != Fault.NONE) {
            files.add(FAULT_FILE);
        }
        identifier = "mlflowharness" + id;
        if (stopRequested) {
            throw new StackException("compose", "stopped before up (interrupted)", "");
        }
        List<File> fileList = files.stream().map(f -> runDir.resolve(f).toFile()).toList();
        compose = composeCommand.size() == 1
                ? new DockerComposeContainer<>(identifier, fileList).withEnv(env).withBuild(!offline).withPull(false)
                        .withRemoveVolumes(true).withStartupTimeout(startupTimeout)
                : new ComposeContainer(identifier, fileList).withEnv(env).withBuild(!offline).withPull(false)
                        .withRemoveVolumes(true).withStartupTimeout(startupTimeout);
        out.accept("  compose: " + String.join(" ", composeCommand) + " up -d (project " + identifier + "*, files "
                + String.join(" + ", files) + " in " + runDir + ")");
        // Before up: should the harness be killed from here on, ./harness down finds the project by its prefix.
        state = new ComposeState(identifier, runDir.toString(), composeCommand, files, null);
        state.write(stateFile(config));
        try {
            compose.start();
            String project = projectOf(identifier);
            state = new ComposeState(project, runDir.toString(), composeCommand, files, null);
            state.write(stateFile(config));
            Endpoints endpoints = endpoints(project, env, password);
            awaitTracking(project, endpoints);
            running = new RunningStack(endpoints, describe(project, endpoints,
                    ComposeFileChecker.parseEnv(Files.readString(runDir.resolve(".env")))));
            state = new ComposeState(project, runDir.toString(), composeCommand, files, running);
            state.write(stateFile(config));
            return running;
        } catch (IOException e) {
            stop();
            throw new StackException("compose", "cannot read " + runDir.resolve(".env") + ": " + e.getMessage(), "check --work-dir");
        } catch (StackException e) {
            StackException failure = e.logTail().isEmpty() ? diagnose(identifier, runDir, e) : e;
            stop();
            throw failure;
        } catch (RuntimeException e) {
            StackException failure = diagnose(identifier, runDir, e);
            stop();
            throw failure;
        }
    }

    /** Runs {@code down -v} for this run's project; while {@link #start()} runs, once it has returned or failed. */
    @Override
    public void stop() {
        stopRequested = true;
        if (attached != null) {
            return;
        }
        synchronized (this) {
            stopProject();
        }
    }

    private void stopProject() {
        Startable c = compose;
        compose = null;
        running = null;
        if (c != null) {
            c.stop(); // down -v: containers, networks and volumes of this project
            try {
                Files.deleteIfExists(stateFile(config));
            } catch (IOException e) {
                out.accept("warning: could not delete " + stateFile(config) + ": " + e.getMessage());
            }
        }
    }

    /** Stops a stack that {@code up --detach} left (or a killed harness left behind); false when there was none. */
    public static boolean stopDetached(HarnessConfig config, Consumer<String> out) {
        Optional<ComposeState> s = ComposeState.read(stateFile(config));
        if (s.isEmpty()) {
            return false;
        }
        Path log = config.workDir().resolve("compose").resolve("down.log");
        // The recorded name is a prefix when the harness was killed during up (Testcontainers appends a random suffix).
        for (String project : projectsNamed(s.get().project())) {
            Command.run("compose", s.get().withProject(project).command("down", "-v", "--remove-orphans"), log, Duration.ofMinutes(3),
                    "see " + log + "; remove what is left with docker ps -a / docker network ls / docker volume ls, label "
                            + PROJECT_LABEL + "=" + project);
        }
        Dirs.deleteRecursively(Path.of(s.get().runDir()));
        try {
            Files.deleteIfExists(stateFile(config));
        } catch (IOException e) {
            out.accept("warning: could not delete " + stateFile(config) + ": " + e.getMessage());
        }
        return true;
    }

    /** The state of a compose stack that runs (all its long-running services up), if any. */
    public static Optional<ComposeState> running(HarnessConfig config) {
        return ComposeState.read(stateFile(config)).filter(s -> s.stack() != null)
                .filter(s -> projectContainers(s.project()).stream().filter(c -> "running".equals(c.getState())).count()
                        >= SERVICES.size() - ONE_SHOT.size());
    }

    /** {@code docker-compose} (v1) when it is installed, else {@code docker compose} (v2) when that plugin answers. */
    static List<String> composeCommand() {
        if (Toolchain.which("docker-compose").isPresent()) {
            return List.of("docker-compose");
        }
        try {
            Process p = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                return List.of("docker", "compose");
            }
        } catch (IOException e) {
            // no docker CLI
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new StackException("compose", "neither docker-compose nor the docker compose plugin is installed",
                "./harness docker-setup installs docker-compose");
    }

    /** --images: offline (true), registry (false), or auto: the registry when it answers within seconds. */
    private boolean offlineImages() {
        String mode = config.get(Option.IMAGES);
        return switch (mode) {
            case "offline" -> true;
            case "registry" -> false;
            case "auto" -> {
                String probe = "nginxproxy/nginx-proxy:" + config.get(Option.NGINX_PROXY_VERSION);
                Optional<String> unreachable = DockerEngine.registryUnreachable(probe, REGISTRY_PROBE);
                out.accept("  images: " + unreachable.map(r -> "offline (" + r + ")").orElse("registry (it answers for " + probe + ")"));
                yield unreachable.isPresent();
            }
            default -> throw new HarnessConfig.ConfigException("--images '" + mode + "': use registry, offline or auto");
        };
    }

    /** Whether compose could run here, in a few seconds: null when it can, else the reason (for --stack auto). */
    public static String unavailableReason(HarnessConfig config) {
        DockerEngine.Status engine = DockerEngine.ping(Duration.ofSeconds(3));
        if (!engine.answers()) {
            return engine.describe();
        }
        try {
            composeCommand();
        } catch (StackException e) {
            return e.getMessage();
        }
        if (config.get(Option.IMAGES).equals("registry")) {
            return null;
        }
        Optional<String> registry = DockerEngine.registryUnreachable("nginxproxy/nginx-proxy:" + config.get(Option.NGINX_PROXY_VERSION),
                REGISTRY_PROBE);
        String offline = OfflineImages.unavailableReason();
        return registry.isEmpty() || offline == null ? null : registry.get() + ", and " + offline;
    }

    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MLFLOW_VERSION", config.get(Option.MLFLOW_VERSION));
        env.put("RUSTFS_VERSION", config.get(Option.RUSTFS_VERSION));
        env.put("MYSQL_VERSION", config.get(Option.MYSQL_VERSION));
        env.put("NGINX_PROXY_VERSION", config.get(Option.NGINX_PROXY_VERSION));
        env.put("NGINX_VARIANT", config.nginxVariant().id());
        // Loopback only; 0 lets Docker pick a free port.
        env.put("NGINX_PORT", "127.0.0.1:" + config.port());
        env.put("VIRTUAL_HOST", "localhost");
        env.put("MLFLOW_DB_PASSWORD", Htpasswd.secret(16));
        env.put("MYSQL_ROOT_PASSWORD", Htpasswd.secret(16));
        env.put("S3_ACCESS_KEY", "harness" + Htpasswd.secret(6));
        env.put("S3_SECRET_KEY", Htpasswd.secret(20));
        env.put("S3_BUCKET", config.get(Option.S3_BUCKET));
        return env;
    }

    /**
     * Copies compose/ (without .env, htpasswd files and wheels) to {@code <work-dir>/compose/<id>/}, writes .env, the
     * htpasswd and vhost.d files of VIRTUAL_HOST (vhost.d: server-info with presigned transfers off, as on the native
     * stack) and, for a deliberate fault, the override that breaks one service.
     */
    private Path prepareRunDir(String id, Map<String, String> env, String password) {
        Path root = config.workDir().resolve("compose");
        try (Stream<Path> old = Files.exists(root) ? Files.list(root) : Stream.empty()) {
            old.filter(Files::isDirectory).forEach(Dirs::deleteRecursively); // earlier runs: nothing of them runs any more
        } catch (IOException e) {
            throw new StackException("compose", "cannot clean " + root + ": " + e.getMessage(), "check --work-dir");
        }
        Path dir = root.resolve(id);
        try (Stream<Path> files = Files.walk(composeSource)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String rel = composeSource.relativize(p).toString();
                if (rel.equals(".env") || (rel.startsWith("nginx/htpasswd/") && Files.isRegularFile(p))
                        || (rel.startsWith("mlflow/wheels/") && !rel.endsWith(".gitkeep"))) {
                    continue;
                }
                Path target = dir.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            Files.writeString(dir.resolve(".env"), dotEnv(Files.readString(dir.resolve(".env.example")), env));
            Files.setPosixFilePermissions(dir.resolve(".env"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.createDirectories(dir.resolve("nginx/htpasswd"));
            Files.writeString(dir.resolve("nginx/htpasswd").resolve(env.get("VIRTUAL_HOST")), Htpasswd.line(USER, password));
            Files.createDirectories(dir.resolve("nginx/vhost.d"));
            Files.writeString(dir.resolve("nginx/vhost.d").resolve(env.get("VIRTUAL_HOST")), ProxiedTransfers.location(dir,
                    "auth_basic \"Restricted " + env.get("VIRTUAL_HOST") + "\"; auth_basic_user_file /etc/nginx/htpasswd/"
                            + env.get("VIRTUAL_HOST") + ";", "/etc/nginx/proxy-headers.conf"));
            Optional<String> fault = faultOverride(config.fault());
            if (fault.isPresent()) {
                Files.writeString(dir.resolve(FAULT_FILE), fault.get());
            }
            return dir;
        } catch (IOException e) {
            throw new StackException("compose", "cannot prepare " + dir + ": " + e.getMessage(),
                    "check --work-dir and that " + composeSource + " exists", List.of(), e);
        }
    }

    /** The override file that implements a compose fault (--fault), or empty. */
    static Optional<String> faultOverride(Fault fault) {
        return switch (fault) {
            case BUCKET_JOB_FAILS -> Optional.of("""
                    # --fault bucket-job-fails: the bucket job fails, as with wrong keys or a broken store
                    services:
                      rustfs-init:
                        entrypoint: ["/bin/sh", "-c", "echo 'deliberate fault: bucket creation refused' >&2; exit 3"]
                    """);
            case DB_NEVER_HEALTHY -> Optional.of("""
                    # --fault db-never-healthy: the database's healthcheck never passes
                    services:
                      db:
                        healthcheck:
                          test: ["CMD", "sh", "-c", "echo 'deliberate fault: healthcheck fails' >&2; exit 1"]
                          interval: 2s
                          timeout: 5s
                          retries: 3
                          start_period: 0s
                    """);
            default -> Optional.empty();
        };
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

    // --- the running project, as Docker sees it ---

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    private static List<Container> projectContainers(String project) {
        try {
            return docker().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(PROJECT_LABEL, project)).exec();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The Compose projects whose name starts with {@code prefix}, as their containers, networks and volumes say. */
    private static java.util.Set<String> projectsNamed(String prefix) {
        java.util.Set<String> projects = new java.util.TreeSet<>();
        DockerClient d = docker();
        d.listContainersCmd().withShowAll(true).withLabelFilter(List.of(PROJECT_LABEL)).exec()
                .forEach(c -> projects.add(c.getLabels().get(PROJECT_LABEL)));
        d.listNetworksCmd().exec().forEach(n -> projects.add(n.getLabels() == null ? "" : n.getLabels().getOrDefault(PROJECT_LABEL, "")));
        Optional.ofNullable(d.listVolumesCmd().exec().getVolumes()).orElse(List.of())
                .forEach(v -> projects.add(v.getLabels() == null ? "" : v.getLabels().getOrDefault(PROJECT_LABEL, "")));
        projects.removeIf(p -> p == null || !p.startsWith(prefix));
        return projects;
    }

    /** The project Testcontainers made of {@code identifier} (it appends a random suffix). */
    private static String projectOf(String identifier) {
        return docker().listContainersCmd().withShowAll(true).withLabelFilter(List.of(PROJECT_LABEL)).exec().stream()
                .map(c -> c.getLabels().get(PROJECT_LABEL)).filter(p -> p.startsWith(identifier)).findFirst()
                .orElseThrow(() -> new StackException("compose", "no container of project " + identifier + "* after up", "see docker ps -a"));
    }

    private static InspectContainerResponse inspect(String project, String service) {
        Container c = projectContainers(project).stream().filter(x -> service.equals(x.getLabels().get(SERVICE_LABEL))).findFirst()
                .orElseThrow(() -> new StackException(service, "no container of project " + project, "see docker ps -a"));
        return docker().inspectContainerCmd(c.getId()).exec();
    }

    /** The service's address on the network whose name ends with {@code network} (the host routes to Docker bridges). */
    private static String address(String project, String service, String network) {
        return inspect(project, service).getNetworkSettings().getNetworks().entrySet().stream()
                .filter(e -> e.getKey().endsWith(network)).map(Map.Entry::getValue).map(ContainerNetwork::getIpAddress)
                .filter(ip -> ip != null && !ip.isBlank()).findFirst()
                .orElseThrow(() -> new StackException(service, "has no address on " + network, "see docker inspect"));
    }

    private Endpoints endpoints(String project, Map<String, String> env, String password) {
        Ports.Binding[] bindings = inspect(project, PROXY).getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(80));
        if (bindings == null || bindings.length == 0) {
            throw new StackException(PROXY, "port 80 is not published", "see docker-compose port " + PROXY + " 80");
        }
        // "localhost", not 127.0.0.1: nginx-proxy routes on the Host header, which must be VIRTUAL_HOST.
        URI tracking = URI.create("http://" + env.get("VIRTUAL_HOST") + ":" + bindings[0].getHostPortSpec());
        String db = address(project, DB, INTERNAL_NET);
        String s3 = address(project, STORE, INTERNAL_NET);
        String mlflow = address(project, TRACKING, "mlflow-net");
        return new Endpoints(tracking, USER, password,
                new S3Access(URI.create("http://" + s3 + ":9000"), env.get("S3_ACCESS_KEY"), env.get("S3_SECRET_KEY"),
                        env.get("S3_BUCKET"), "artifacts", "us-east-1"),
                new DatabaseAccess("jdbc:mysql://" + db + ":3306/mlflow?useSSL=false&allowPublicKeyRetrieval=true", "mlflow",
                        env.get("MLFLOW_DB_PASSWORD")),
                List.of(new InternalService("database", db, 3306), new InternalService("object-store", s3, 9000),
                        new InternalService("mlflow", mlflow, 80)));
    }

    /** Until nginx routes to MLflow: nginx-proxy (and its stand-in) configures the upstream only once MLflow runs. */
    private void awaitTracking(String project, Endpoints e) {
        String auth = BasicAuth.header(e.username(), e.password());
        try {
            Poll.poll("GET /health through nginx to answer 200", startupTimeout, Duration.ofSeconds(1), () -> {
                String last;
                try {
                    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(e.trackingUri().resolve("/health"))
                            .header("Authorization", auth).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return Poll.Attempt.done(true);
                    }
                    last = "HTTP " + r.statusCode();
                } catch (IOException ex) {
                    last = ex.toString();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new StackException(PROXY, "interrupted while waiting for MLflow through nginx", "");
                }
                InspectContainerResponse.ContainerState mlflow = inspect(project, TRACKING).getState();
                if (!Boolean.TRUE.equals(mlflow.getRunning())) {
                    throw new StackException(TRACKING, "exited (code " + mlflow.getExitCodeLong() + ") while nginx waited for it", "see its log",
                            logTail(inspect(project, TRACKING).getId()), null);
                }
                return Poll.Attempt.notYet(last);
            });
        } catch (Poll.TimedOut t) {
            throw new StackException(PROXY, t.getMessage(), "see the nginx-proxy and mlflow logs",
                    logTail(inspect(project, PROXY).getId()), null);
        }
    }

    // --- what ran ---

    /** For each service: the component's own version, the image that ran (name, tag, id) and what a stand-in replaces. */
    private StackDescription describe(String project, Endpoints e, Map<String, String> env) {
        String logs = String.join(" ", state.command("logs")) + " ";
        List<Component> components = new ArrayList<>();
        Image proxy = image(project, PROXY, "nginx-proxy (nginxproxy/nginx-proxy:" + env.get("NGINX_PROXY_VERSION") + ")");
        components.add(new Component("proxy", "nginx", nginxVersion(project), "nginx -v in " + PROXY, proxy.standInFor(),
                logs + PROXY, null, proxy.ref()));
        Image tracking = image(project, TRACKING, null);
        components.add(new Component("tracking", "MLflow", mlflowVersion(e), "GET /version through nginx", null,
                logs + TRACKING, null, tracking.ref()));
        Image db = image(project, DB, "MySQL (mysql:" + env.get("MYSQL_VERSION") + ")");
        String dbVersion = databaseVersion(e.database());
        components.add(new Component("database", dbVersion.contains("MariaDB") ? "MariaDB" : "MySQL", dbVersion, "SELECT VERSION()",
                db.standInFor(), logs + DB, null, db.ref()));
        Image store = image(project, STORE, "RustFS (rustfs/rustfs:" + env.get("RUSTFS_VERSION") + ")");
        components.add(new Component("object-store", store.standInFor() == null ? "RustFS" : "S3Proxy", storeVersion(e.s3().endpoint()),
                "GET /health version", store.standInFor(), logs + STORE, null, store.ref()));
        Image bucketJob = image(project, BUCKET_JOB, "aws-cli (amazon/aws-cli:" + env.get("AWS_CLI_VERSION") + ")");
        components.add(job("bucket-init", BUCKET_JOB, bucketJob, logs));
        Image permissions = image(project, PERMISSION_JOB, "alpine (alpine:" + env.get("ALPINE_VERSION") + ")");
        components.add(job("volume-permissions", PERMISSION_JOB, permissions, logs));
        Fault fault = config.fault();
        return new StackDescription("compose", config.nginxVariant(), components,
                fault == Fault.NONE ? null : fault.id() + ": " + fault.description());
    }

    /** An image that ran: its name:tag and id, and for a stand-in of the offline set what it replaces. */
    private record Image(String ref, String product, String standInFor) {
    }

    private Image image(String project, String service, String article) {
        InspectContainerResponse c = inspect(project, service);
        var labels = Optional.ofNullable(docker().inspectImageCmd(c.getImageId()).exec().getConfig().getLabels()).orElse(Map.of());
        String product = labels.get(OfflineImages.LABEL_PRODUCT);
        String ref = c.getConfig().getImage() + " (" + c.getImageId().substring(0, 19) + ")" + (product == null ? "" : ": " + product);
        return new Image(ref, product, labels.getOrDefault(OfflineImages.LABEL_STANDS_IN_FOR, "").isEmpty() ? null : article);
    }

    /** A one-shot job (exited 0): the image is what it ran; its tag is the only version there is. */
    private static Component job(String role, String service, Image image, String logs) {
        String name = image.ref().substring(0, image.ref().indexOf(' '));
        String tag = name.substring(name.lastIndexOf(':') + 1);
        return new Component(role, name.substring(0, name.lastIndexOf(':')), tag,
                "image tag (one-shot job " + service + ", exited 0)", image.standInFor(), logs + service, null, image.ref());
    }

    private String nginxVersion(String project) {
        String id = inspect(project, PROXY).getId();
        try {
            var exec = docker().execCreateCmd(id).withCmd("nginx", "-v").withAttachStderr(true).withAttachStdout(true).exec();
            StringBuilder text = new StringBuilder();
            docker().execStartCmd(exec.getId()).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                @Override
                public void onNext(com.github.dockerjava.api.model.Frame frame) {
                    text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
            String s = text.toString().strip(); // "nginx version: nginx/1.22.1"
            return s.substring(s.lastIndexOf('/') + 1).strip();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StackException(PROXY, "interrupted during nginx -v", "");
        }
    }

    private static String mlflowVersion(Endpoints e) {
        HttpResponse<String> r = get(e.trackingUri().resolve("/version"),
                Map.of("Authorization", BasicAuth.header(e.username(), e.password())), TRACKING);
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

    private static String storeVersion(URI s3) {
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

    private StackException diagnose(String identifier, Path runDir, RuntimeException cause) {
        List<ServiceState> states;
        try {
            states = serviceStates(identifier);
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
        return new StackException(s.service(), s.summary(), fix, logTail(s.containerId()), cause);
    }

    /** The project's containers in start order. */
    private static List<ServiceState> serviceStates(String identifier) {
        List<Container> all = docker().listContainersCmd().withShowAll(true).withLabelFilter(List.of(PROJECT_LABEL)).exec().stream()
                .filter(c -> c.getLabels().getOrDefault(PROJECT_LABEL, "").startsWith(identifier)).toList();
        List<ServiceState> states = new ArrayList<>();
        for (String service : SERVICES) {
            for (Container c : all) {
                if (!service.equals(c.getLabels().get(SERVICE_LABEL))) {
                    continue;
                }
                InspectContainerResponse.ContainerState st = docker().inspectContainerCmd(c.getId()).exec().getState();
                String health = st.getHealth() == null ? null : st.getHealth().getStatus();
                long exit = st.getExitCodeLong() == null ? 0 : st.getExitCodeLong();
                boolean runningNow = Boolean.TRUE.equals(st.getRunning());
                boolean broken = Boolean.TRUE.equals(st.getRestarting()) || "unhealthy".equals(health)
                        || (!runningNow && exit != 0);
                boolean notReady = "starting".equals(health) || (!runningNow && !ONE_SHOT.contains(service));
                String summary = "container " + st.getStatus() + (health == null ? "" : ", health " + health)
                        + (runningNow ? "" : ", exit code " + exit);
                if ("unhealthy".equals(health) && st.getHealth().getLog() != null && !st.getHealth().getLog().isEmpty()) {
                    var probe = st.getHealth().getLog().get(st.getHealth().getLog().size() - 1);
                    summary += " (last healthcheck: exit " + probe.getExitCodeLong() + ", " + String.valueOf(probe.getOutput()).strip() + ")";
                }
                states.add(new ServiceState(service, c.getId(), summary, broken, notReady));
            }
        }
        return states;
    }

    private static List<String> logTail(String containerId) {
        try {
            List<String> lines = LogUtils.getOutput(docker(), containerId).lines().toList();
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
