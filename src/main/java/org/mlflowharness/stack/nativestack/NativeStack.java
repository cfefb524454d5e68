package org.mlflowharness.stack.nativestack;

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
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.Endpoints.InternalService;
import org.mlflowharness.model.Endpoints.S3Access;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.ResourceProbe;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.model.StackDescription.Component;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Ports;
import org.mlflowharness.proc.ProcStat;
import org.mlflowharness.stack.Htpasswd;
import org.mlflowharness.stack.LiveComponent;
import org.mlflowharness.stack.ProxyFront;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackProvider;

/**
 * The stack as local processes on 127.0.0.1, all state under one work directory: MySQL or its MariaDB stand-in
 * ({@link DatabaseServer}), an
 * S3 server (RustFS when a binary exists, else the S3Proxy stand-in: {@link ObjectStoreServer}), MLflow from a
 * per-version virtualenv ({@link MlflowServer}), and nginx ({@link NginxServer}) with the same proxy settings and
 * credentials model as the compose stack. Components start in dependency order; if any fails, everything already
 * started is stopped before the {@link StackException} propagates.
 */
public final class NativeStack implements StackProvider {

    private final HarnessConfig config;
    private final Consumer<String> out;
    private final Path dir;
    private final boolean attached;
    private final NativeProcesses processes;
    /** The database and tracking servers of the running stack (restart and replaceTracking use them); null before start. */
    private volatile DatabaseServer database;

    private volatile MlflowServer tracking;
    private final ComponentStarter starter;
    private final Object stopping = new Object();
    private volatile RunningStack running;

    public NativeStack(HarnessConfig config, Consumer<String> out) {
        this(config, out, null);
    }

    private NativeStack(HarnessConfig config, Consumer<String> out, RunningStack detached) {
        this.config = config;
        this.out = out;
        this.dir = config.workDir().resolve("native");
        this.attached = detached != null;
        this.running = detached;
        this.processes = new NativeProcesses(dir, out, this::recordState);
        this.starter = new ComponentStarter(dir, out, processes);
    }

    /**
     * A stack that {@code up --detach} left running, used as it is: {@link #stop()} leaves it running and stops only
     * what this provider added to it ({@link #addProxy}).
     */
    public static NativeStack attach(HarnessConfig config, RunningStack detached, Consumer<String> out) {
        return new NativeStack(config, out, detached);
    }

    /** Where the stack's state file lives; {@code status} and {@code down} read it. */
    public static Path stateFile(HarnessConfig config) {
        return config.workDir().resolve("native").resolve("stack.json");
    }

    @Override
    public RunningStack start() {
        if (running != null) {
            return running;
        }
        processes.open();
        if (NativeState.read(stateFile(config)).filter(NativeState::anyAlive).isPresent()) {
            throw new StackException(
                    "native",
                    "a native stack is already running from " + dir,
                    "use it (./harness status), or stop it first: ./harness down");
        }
        int nginxPort = Ports.claim("nginx", config.port(), "--port");
        Toolchain tools = new Toolchain(config, config.workDir().resolve("install-logs"), out);
        tools.ensureSystemPackages();
        Path mlflowBin = tools.mlflow(config.mlflowVersion());
        ObjectStoreServer store = ObjectStoreServer.select(config, tools, out);
        database = DatabaseServer.select(config, tools, dir, out);
        tracking = new MlflowServer(dir, config.cacheDir(), config.fault());
        reset();
        try {
            DatabaseAccess db = starter.database(database);
            S3Access s3 = starter.objectStore(store, config.fault());
            int mlflowPort = Ports.free();
            starter.components().add(starter.tracking(tracking, config.mlflowVersion(), mlflowBin, db, s3, mlflowPort));
            String password = Htpasswd.secret(12);
            NginxVariant variant = config.nginxVariant();
            Fault fault = config.fault();
            ComponentStarter.Front nginx = starter.nginx(
                    "nginx", variant, dir.resolve("nginx"), nginxPort, mlflowPort, s3.endpoint(), password, fault);
            starter.components().add(nginx.component());
            Endpoints endpoints = new Endpoints(
                    nginx.trackingUri(),
                    NginxServer.HTTP_USER,
                    password,
                    s3,
                    db,
                    List.of(
                            db.service(),
                            InternalService.objectStore(s3),
                            new InternalService("mlflow", "127.0.0.1", mlflowPort)));
            database.applyFault();
            running = new RunningStack(
                    endpoints,
                    new StackDescription(
                            "native",
                            variant,
                            starter.components(),
                            fault == Fault.NONE ? null : fault.id() + ": " + fault.description(),
                            starter.findings()));
            recordState();
            return running;
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops what this provider started, in reverse order; a second caller waits until the first one has finished. */
    @Override
    public void stop() {
        stop(ManagedProcess.STOP_GRACE);
    }

    /** Each process gets 2 s after SIGTERM (MLflow's workers can wait on a dead database for longer), then SIGKILL. */
    @Override
    public void stopNow() {
        stop(Duration.ofSeconds(2));
    }

    /** @param grace per process, from SIGTERM to SIGKILL */
    private void stop(Duration grace) {
        synchronized (stopping) {
            processes.stopAll(grace);
            if (attached) {
                return;
            }
            running = null;
            try {
                Files.deleteIfExists(stateFile(config));
            } catch (IOException e) {
                out.accept("warning: could not delete " + stateFile(config) + ": " + e.getMessage());
            }
        }
    }

    /** The components this provider started, each with the health check its start waited for. */
    @Override
    public List<LiveComponent> liveComponents() {
        if (attached) {
            throw new UnsupportedOperationException(
                    "this native stack was started by another harness process (up --detach): "
                            + "this run uses its endpoints but cannot watch or restart its processes");
        }
        return processes.liveComponents();
    }

    /**
     * Stops the component's process, waits {@code outage}, starts it again with the same command line (same data
     * directory, port, keys and settings) and waits for the same readiness check as at the first start.
     */
    @Override
    public void restart(String role, Duration outage) {
        requireOwnProcesses();
        processes.restart(role, outage, () -> {
            if (role.equals("database")) {
                database.applyFault(); // the init file grants all rights again at every start
            }
        });
    }

    /** MLflow again, {@code workers} web workers or as first started, its version as it runs now (see replaceTracking). */
    @Override
    public void restartTracking(Integer workers) {
        requireOwnProcesses();
        tracking.workers(workers);
        String version = running.description().components().stream()
                .filter(c -> c.role().equals("tracking"))
                .map(Component::version)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the stack lists no tracking server"));
        replaceTracking(version, () -> {});
    }

    /** nginx only: {@code nginx -s reload} (new workers with the configuration re-read, old ones finish their requests). */
    @Override
    public void reload(String role) {
        requireOwnProcesses();
        processes.reload(role);
    }

    private void requireOwnProcesses() {
        if (attached) {
            throw new UnsupportedOperationException(
                    "this native stack was started by another harness process (up --detach): "
                            + "only the process that started it can restart its components");
        }
    }

    /** Records the processes in the state file, so that {@code down} stops them even after the harness was killed. */
    private void recordState() {
        if (!attached && running != null) {
            NativeState.of(running, processes.snapshot()).write(stateFile(config));
        }
    }

    /** Stops a stack that an earlier {@code up --detach} left running; false when none was running. */
    public static boolean stopDetached(HarnessConfig config) {
        Optional<NativeState> state = NativeState.read(stateFile(config));
        state.ifPresent(s -> s.attach().forEach(ManagedProcess::stop));
        try {
            Files.deleteIfExists(stateFile(config));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return state.isPresent();
    }

    private void reset() {
        starter.clear();
        Dirs.deleteRecursively(dir);
        try {
            Files.createDirectories(dir.resolve("logs"));
        } catch (IOException e) {
            throw new StackException(
                    "native",
                    "cannot create work directory " + dir + ": " + e.getMessage(),
                    "pass a writable --work-dir");
        }
    }

    /**
     * Stops the tracking server, runs {@code whileStopped} (back up, migrate or restore the database: nothing writes to
     * it meanwhile), then starts MLflow {@code version} on the same port, database and store; nginx, the database and
     * the store keep running. The new version is installed before the old one stops. Returns the stack as it now is;
     * when the new server does not start, the {@link StackException} names it and the stack has no tracking server.
     */
    public RunningStack replaceTracking(String version, Runnable whileStopped) {
        RunningStack base = running;
        if (base == null || attached) {
            throw new IllegalStateException(
                    attached
                            ? "a detached stack's tracking server is not replaced; let the command start its own stack"
                            : "start the stack before replacing its tracking server");
        }
        Path bin = new Toolchain(config, config.workDir().resolve("install-logs"), out).mlflow(version);
        processes.find("mlflow").ifPresent(processes::remove);
        recordState();
        whileStopped.run();
        Endpoints e = base.endpoints();
        int port = e.internalPort("mlflow")
                .orElseThrow(() -> new IllegalStateException("the stack lists no mlflow service"));
        Component replaced = starter.tracking(tracking, version, bin, e.database(), e.s3(), port);
        starter.components().replaceAll(c -> c.role().equals(replaced.role()) ? replaced : c);
        StackDescription d = base.description();
        running = new RunningStack(
                e, new StackDescription(d.provider(), d.nginxVariant(), starter.components(), d.fault(), d.findings()));
        recordState();
        return running;
    }

    /**
     * A scratch database {@code name} on the stack's database server, beside MLflow's, with the given default character
     * set and collation and all rights for MLflow's user (the upgrade's fresh install to compare schemas with); drop it
     * with {@link #dropScratchDatabase}.
     */
    public DatabaseAccess scratchDatabase(String name, String charset, String collation) {
        if (database == null || running == null) {
            throw new IllegalStateException("start the stack before making a scratch database");
        }
        return database.createDatabase(running.endpoints().database(), name, charset, collation);
    }

    public void dropScratchDatabase(String name) {
        if (database != null) {
            database.dropDatabase(name);
        }
    }

    /**
     * Another nginx with {@code variant}'s settings (and the stack's fault, if any) on a free port, in front of the
     * same MLflow with the same credentials. It stops when the returned front is closed, or with this provider.
     */
    @Override
    public ProxyFront addProxy(NginxVariant variant) {
        RunningStack base = running;
        if (base == null) {
            throw new IllegalStateException("start the stack before adding a proxy to it");
        }
        int mlflowPort = base.endpoints()
                .internalPort("mlflow")
                .orElseThrow(() ->
                        new UnsupportedOperationException("the stack's description has no mlflow service to proxy"));
        int port = Ports.free();
        String fault = base.description().fault();
        ComponentStarter.Front nginx = starter.nginx(
                "nginx-" + variant.id(),
                variant,
                dir.resolve("nginx-" + variant.id() + "-" + port),
                port,
                mlflowPort,
                base.endpoints().s3().endpoint(),
                base.endpoints().password(),
                fault == null ? Fault.NONE : Fault.parse(fault.substring(0, fault.indexOf(':'))));
        RunningStack front = new RunningStack(
                base.endpoints().withTrackingUri(nginx.trackingUri()),
                base.description().withProxy(variant, nginx.component()));
        recordState();
        return new ProxyFront(front, () -> {
            processes.remove(nginx.process());
            recordState();
        });
    }

    /**
     * Each component's process tree from /proc (MLflow with its uvicorn workers, nginx with its workers, ...), added
     * nginx fronts included; for a stack attached from {@code up --detach}, the processes its state file records.
     */
    @Override
    public ResourceProbe resources() {
        return new ResourceProbe() {
            @Override
            public String source() {
                return "/proc of the native stack's process trees (CPU time, VmRSS summed over each component's processes)";
            }

            @Override
            public boolean available() {
                return true;
            }

            @Override
            public Map<String, Reading> read() {
                List<ManagedProcess> own = processes.snapshot();
                if (attached) {
                    NativeState.read(stateFile(config)).ifPresent(state -> own.addAll(0, state.attach()));
                }
                ProcStat.Snapshot now = ProcStat.snapshot();
                Map<String, Reading> m = new LinkedHashMap<>();
                own.forEach(p -> now.tree(p.pid()).ifPresent(r -> m.put(p.component(), r)));
                return m;
            }

            /** MLflow's temporary directory ({@code TMPDIR}: where it buffers request bodies), in MiB. */
            @Override
            public Map<String, Double> gauges() {
                return Map.of(MLFLOW_TEMP_DIR_MIB, Dirs.bytesUnder(MlflowServer.tempDir(dir)) / 1048576.0);
            }
        };
    }

    /** The repository's compose/ directory: the nginx settings shared with the compose stack live there. */
    static Path composeDir() {
        Path d = Path.of(System.getProperty("harness.home", "."))
                .toAbsolutePath()
                .normalize()
                .resolve("compose");
        if (!Files.isDirectory(d)) {
            throw new StackException(
                    "nginx", "cannot find " + d, "run the harness from the repository root (./harness)");
        }
        return d;
    }
}
