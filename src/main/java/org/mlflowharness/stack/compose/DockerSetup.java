package org.mlflowharness.stack.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Poll;
import org.mlflowharness.stack.nativestack.Toolchain;

/**
 * {@code ./harness docker-setup}: the one place where the harness installs or starts a Docker engine, and only when
 * told to. Installs docker.io, docker-compose (v1) and debootstrap with apt when missing, then starts
 * {@code dockerd --iptables=false --storage-driver=overlay2} when no engine answers, logging to
 * {@code <cache-dir>/docker/dockerd.log}. Idempotent: with everything installed and an engine answering it changes
 * nothing. The engine keeps running afterwards; stop it with {@code kill $(cat /var/run/docker.pid)}.
 */
public final class DockerSetup {

    static final Path DOCKERD_PID = Path.of("/var/run/docker.pid");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** The binaries the compose provider and the offline image set need, and the Debian package of each. */
    private static final Map<String, String> PACKAGES = new LinkedHashMap<>();

    static {
        PACKAGES.put("/usr/sbin/dockerd", "docker.io");
        PACKAGES.put("/usr/bin/docker", "docker.io");
        PACKAGES.put("/usr/bin/docker-compose", "docker-compose");
        PACKAGES.put("/usr/sbin/debootstrap", "debootstrap");
    }

    private DockerSetup() {}

    /** Installs and starts what is missing; returns the engine's status (it answers) or throws naming what failed. */
    public static DockerEngine.Status run(HarnessConfig config, Consumer<String> out) {
        Path dir = config.cacheDir().resolve("docker");
        new Toolchain(config, dir, out).ensureAptPackages("docker-setup", PACKAGES);
        out.accept("present: "
                + String.join(", ", PACKAGES.values().stream().distinct().toList()));

        DockerEngine.Status status = DockerEngine.ping(Duration.ofSeconds(5));
        if (status.answers()) {
            out.accept(status.describe() + ": nothing to start");
            return status;
        }
        if (System.getenv("DOCKER_HOST") != null) {
            throw new StackException(
                    "docker-setup",
                    "DOCKER_HOST=" + System.getenv("DOCKER_HOST") + " does not answer (" + status.reason() + ")",
                    "start that engine, or unset DOCKER_HOST to let docker-setup start a local one");
        }
        Optional<ProcessHandle> running = runningDockerd();
        if (running.isEmpty()) {
            if (!"root".equals(System.getProperty("user.name"))) {
                throw new StackException(
                        "docker-setup",
                        "starting dockerd needs root (running as " + System.getProperty("user.name") + ")",
                        "run ./harness docker-setup as root, or start Docker yourself");
            }
            Path log = dir.resolve("dockerd.log");
            List<String> command = List.of("dockerd", "--iptables=false", "--storage-driver=overlay2");
            out.accept("starting " + String.join(" ", command) + " (log: " + log + ")");
            ManagedProcess dockerd = ManagedProcess.start("dockerd", command, Map.of(), Path.of("/"), log);
            write(dir.resolve("dockerd.pid"), dockerd.pid() + "\n");
            awaitAnswer(dockerd::isAlive, log);
        } else {
            out.accept("dockerd (pid " + running.get().pid() + ") runs but does not answer yet (" + status.reason()
                    + "); waiting");
            awaitAnswer(running.get()::isAlive, dir.resolve("dockerd.log"));
        }
        DockerEngine.Status started = DockerEngine.ping(Duration.ofSeconds(5));
        out.accept(started.describe() + "; stop it with: kill $(cat " + DOCKERD_PID + ")");
        return started;
    }

    /** The dockerd of /var/run/docker.pid, if it is alive. */
    private static Optional<ProcessHandle> runningDockerd() {
        try {
            long pid = Long.parseLong(Files.readString(DOCKERD_PID).strip());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p ->
                            p.info().command().map(c -> c.endsWith("dockerd")).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void awaitAnswer(java.util.function.BooleanSupplier alive, Path log) {
        try {
            Poll.poll("the engine to answer", START_TIMEOUT, Duration.ofMillis(500), () -> {
                if (!alive.getAsBoolean()) {
                    throw new StackException(
                            "dockerd", "exited during start", "see " + log, ManagedProcess.tail(log, 20), null);
                }
                DockerEngine.Status status = DockerEngine.ping(Duration.ofSeconds(2));
                return status.answers() ? Poll.Attempt.done(status) : Poll.Attempt.notYet(status.reason());
            });
        } catch (Poll.TimedOut t) {
            throw new StackException("dockerd", t.getMessage(), "see " + log, ManagedProcess.tail(log, 20), null);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new StackException(
                    "docker-setup", "cannot write " + file + ": " + e.getMessage(), "check --cache-dir");
        }
    }
}
