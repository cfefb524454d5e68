package org.mlflowharness.stack.compose;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.http.BasicAuth;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.ResourceProbe;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.proc.Poll;
import org.mlflowharness.stack.Htpasswd;
import org.mlflowharness.stack.MigrationFailure;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackProvider;
import org.mlflowharness.stack.nativestack.Toolchain;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.lifecycle.Startable;

/**
 * The article's stack (compose/docker-compose.yml) run by Testcontainers: {@link DockerComposeContainer} with the local
 * {@code docker-compose} v1, or {@link ComposeContainer} where the {@code docker compose} v2 plugin exists. Nothing is
 * pulled that a registry-less host cannot have: Ryuk is disabled ({@code TESTCONTAINERS_RYUK_DISABLED=true}, set by
 * {@code ./harness}; {@link #stop()} and the harness's Ctrl-C hook run {@code down -v}), no port goes through
 * Testcontainers' socat ambassador (nginx publishes its port on 127.0.0.1; the stores are reached for verification
 * at their addresses on the stack's own internal bridge network, which the host routes to), and with
 * {@code --images offline} the images are the local set of {@code compose/docker-compose.offline.yml}.
 *
 * <p>Each run works on its own copy of compose/ under {@code <work-dir>/compose/<id>/} ({@link ComposeRunDir}: the
 * repository is never modified), with fresh credentials, its own Compose project ({@link ComposeProject}), and a state
 * file for {@code status} and {@code down}; what ran is described by {@link ComposeDescription}.
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
            throw new StackException(
                    "compose", engine.describe(), "./harness docker-setup starts one, or use --stack native");
        }
        if (ComposeState.read(stateFile(config))
                .filter(s -> !ComposeProject.named(s.project()).isEmpty())
                .isPresent()) {
            throw new StackException(
                    "compose",
                    "a compose stack (or what is left of one) exists from "
                            + stateFile(config).getParent(),
                    "use it (./harness status), or remove it first: ./harness down");
        }
        List<String> composeCommand = composeCommand();
        boolean offline = offlineImages();
        if (offline && !Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            throw new StackException(
                    "compose",
                    "Testcontainers would pull its Ryuk image, and no registry answers",
                    "set TESTCONTAINERS_RYUK_DISABLED=true (./harness sets it)");
        }
        if (offline) {
            new OfflineImages(config, composeSource, out).ensure();
        }
        String id = Htpasswd.secret(4);
        String password = Htpasswd.secret(16);
        Map<String, String> env = ComposeRunDir.env(config);
        Path runDir = ComposeRunDir.prepare(config, composeSource, id, env, password);
        List<String> files = ComposeRunDir.files(offline, config.fault());
        identifier = "mlflowharness" + id;
        if (stopRequested) {
            throw new StackException("compose", "stopped before up (interrupted)", "");
        }
        List<File> fileList =
                files.stream().map(f -> runDir.resolve(f).toFile()).toList();
        compose = composeCommand.size() == 1
                ? new DockerComposeContainer<>(identifier, fileList)
                        .withEnv(env)
                        .withBuild(!offline)
                        .withPull(false)
                        .withRemoveVolumes(true)
                        .withStartupTimeout(startupTimeout)
                : new ComposeContainer(identifier, fileList)
                        .withEnv(env)
                        .withBuild(!offline)
                        .withPull(false)
                        .withRemoveVolumes(true)
                        .withStartupTimeout(startupTimeout);
        out.accept("  compose: " + String.join(" ", composeCommand) + " up -d (project " + identifier + "*, files "
                + String.join(" + ", files) + " in " + runDir + ")");
        // Before up: should the harness be killed from here on, ./harness down finds the project by its prefix.
        state = new ComposeState(identifier, runDir.toString(), composeCommand, files, null);
        state.write(stateFile(config));
        try {
            compose.start();
            String project = ComposeProject.of(identifier);
            state = new ComposeState(project, runDir.toString(), composeCommand, files, null);
            state.write(stateFile(config));
            Endpoints endpoints = ComposeProject.endpoints(project, env, password);
            awaitTracking(project, endpoints);
            running = new RunningStack(
                    endpoints,
                    ComposeDescription.describe(
                            project,
                            endpoints,
                            ComposeFileChecker.parseEnv(Files.readString(runDir.resolve(".env"))),
                            state.command("logs"),
                            config.nginxVariant(),
                            config.fault()));
            state = new ComposeState(project, runDir.toString(), composeCommand, files, running);
            state.write(stateFile(config));
            return running;
        } catch (IOException e) {
            stop();
            throw new StackException(
                    "compose", "cannot read " + runDir.resolve(".env") + ": " + e.getMessage(), "check --work-dir");
        } catch (StackException e) {
            StackException failure = e.logTail().isEmpty() ? ComposeProject.diagnose(identifier, runDir, e) : e;
            stop();
            throw failure;
        } catch (RuntimeException e) {
            StackException failure = ComposeProject.diagnose(identifier, runDir, e);
            stop();
            throw failure;
        }
    }

    /** CPU and memory of the running stack's services, read from this machine's /proc ({@link ComposeResources}). */
    @Override
    public synchronized ResourceProbe resources() {
        ComposeState s = attached != null ? attached : state;
        if (s == null || running == null) {
            return ResourceProbe.unavailable("the compose stack is not running");
        }
        return ComposeResources.of(s.project(), running.description());
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
        for (String project : ComposeProject.named(s.get().project())) {
            Command.run(
                    "compose",
                    s.get().withProject(project).command("down", "-v", "--remove-orphans"),
                    log,
                    Duration.ofMinutes(3),
                    "see " + log
                            + "; remove what is left with docker ps -a / docker network ls / docker volume ls, label "
                            + ComposeProject.PROJECT_LABEL + "=" + project);
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
        return ComposeState.read(stateFile(config))
                .filter(s -> s.stack() != null)
                .filter(s -> ComposeProject.containers(s.project()).stream()
                                .filter(c -> "running".equals(c.getState()))
                                .count()
                        >= ComposeProject.SERVICES.size() - ComposeProject.ONE_SHOT.size());
    }

    /** {@code docker-compose} (v1) when it is installed, else {@code docker compose} (v2) when that plugin answers. */
    static List<String> composeCommand() {
        if (Toolchain.which("docker-compose").isPresent()) {
            return List.of("docker-compose");
        }
        try {
            if (Command.capture("compose", List.of("docker", "compose", "version"), "")
                    .succeeded()) {
                return List.of("docker", "compose");
            }
        } catch (StackException e) {
            // no docker CLI
        }
        throw new StackException(
                "compose",
                "neither docker-compose nor the docker compose plugin is installed",
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
                out.accept("  images: "
                        + unreachable
                                .map(r -> "offline (" + r + ")")
                                .orElse("registry (it answers for " + probe + ")"));
                yield unreachable.isPresent();
            }
            default ->
                throw new HarnessConfig.ConfigException("--images '" + mode + "': use registry, offline or auto");
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
        Optional<String> registry = DockerEngine.registryUnreachable(
                "nginxproxy/nginx-proxy:" + config.get(Option.NGINX_PROXY_VERSION), REGISTRY_PROBE);
        String offline = OfflineImages.unavailableReason();
        return registry.isEmpty() || offline == null ? null : registry.get() + ", and " + offline;
    }

    /** Until nginx routes to MLflow: nginx-proxy (and its stand-in) configures the upstream only once MLflow runs. */
    private void awaitTracking(String project, Endpoints e) {
        String auth = BasicAuth.header(e.username(), e.password());
        try {
            Poll.poll("GET /health through nginx to answer 200", startupTimeout, Duration.ofSeconds(1), () -> {
                String last;
                try {
                    HttpResponse<String> r = HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(e.trackingUri().resolve("/health"))
                                            .header("Authorization", auth)
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
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
                InspectContainerResponse.ContainerState mlflow =
                        ComposeProject.inspect(project, TRACKING).getState();
                if (!Boolean.TRUE.equals(mlflow.getRunning()) || Boolean.TRUE.equals(mlflow.getRestarting())) {
                    // restart: unless-stopped starts it again: an exit shows as restarting
                    String id = ComposeProject.inspect(project, TRACKING).getId();
                    List<String> tail = ComposeProject.logTail(id);
                    throw MigrationFailure.diagnose(
                                    ComposeProject.log(id), MigrationFailure.schemaRevision(e.database()))
                            .map(d -> new StackException(TRACKING, d.problem(), d.fix(), tail, null))
                            .orElseGet(() -> new StackException(
                                    TRACKING,
                                    "exited (code " + mlflow.getExitCodeLong() + ") while nginx waited for it",
                                    "see its log",
                                    tail,
                                    null));
                }
                return Poll.Attempt.notYet(last);
            });
        } catch (Poll.TimedOut t) {
            throw new StackException(
                    PROXY,
                    t.getMessage(),
                    "see the nginx-proxy and mlflow logs",
                    ComposeProject.logTail(
                            ComposeProject.inspect(project, PROXY).getId()),
                    null);
        }
    }
}
