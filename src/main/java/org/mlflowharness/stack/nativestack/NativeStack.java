package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.Endpoints.InternalService;
import org.mlflowharness.model.Endpoints.S3Access;
import org.mlflowharness.model.Fault;
import org.mlflowharness.stack.Htpasswd;
import org.mlflowharness.stack.LiveComponent;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.stack.ProxyFront;
import org.mlflowharness.model.ResourceProbe;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.model.StackDescription.Component;
import org.mlflowharness.model.StackException;
import org.mlflowharness.stack.StackProvider;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Poll;
import org.mlflowharness.proc.Ports;
import org.mlflowharness.proc.ProcStat;
import org.mlflowharness.proc.Readiness;

/**
 * The stack as local processes on 127.0.0.1, all state under one work directory: MariaDB, an S3 server (RustFS when
 * a binary exists, else the S3Proxy stand-in: {@link ObjectStoreServer}), MLflow from a per-version virtualenv, and nginx with the
 * same proxy settings and credentials model as the compose stack. Components start in dependency order; if any
 * fails, everything already started is stopped before the {@link StackException} propagates.
 */
public final class NativeStack implements StackProvider {

    static final String DB_NAME = "mlflow";
    static final String DB_USER = "mlflow";
    static final String BUCKET = "mlflow";
    static final String ARTIFACT_ROOT = "artifacts";
    static final String HTTP_USER = "mlflow";
    static final String VIRTUAL_HOST = "localhost";
    /** gunicorn's worker timeout (2.x) and uvicorn's worker health-check timeout (3.x) given to MLflow. */
    static final int WORKER_TIMEOUT_SECONDS = 300;

    private final HarnessConfig config;
    private final Consumer<String> out;
    private final Path dir;
    private final boolean attached;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final List<Component> components = new ArrayList<>();
    private final Object stopping = new Object();
    private final List<String> findings = new ArrayList<>();
    private volatile RunningStack running;
    private volatile boolean stopped;

    public NativeStack(HarnessConfig config, Consumer<String> out) {
        this(config, out, null);
    }

    private NativeStack(HarnessConfig config, Consumer<String> out, RunningStack detached) {
        this.config = config;
        this.out = out;
        this.dir = config.workDir().resolve("native");
        this.attached = detached != null;
        this.running = detached;
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
        stopped = false;
        if (NativeState.read(stateFile(config)).filter(NativeState::anyAlive).isPresent()) {
            throw new StackException("native", "a native stack is already running from " + dir,
                    "use it (./harness status), or stop it first: ./harness down");
        }
        int nginxPort = Ports.claim("nginx", config.port(), "--port");
        Toolchain tools = new Toolchain(config, config.workDir().resolve("install-logs"), out);
        tools.ensureSystemPackages();
        Path mlflowBin = tools.mlflow(config.mlflowVersion());
        ObjectStoreServer store = ObjectStoreServer.select(config, tools, out);
        reset();
        try {
            DatabaseAccess db = startMariaDb();
            S3Access s3 = startObjectStore(store);
            int mlflowPort = Ports.free();
            components.add(startMlflow(config.mlflowVersion(), mlflowBin, db, s3, mlflowPort).component());
            String password = Htpasswd.secret(12);
            NginxVariant variant = config.nginxVariant();
            Started nginx = startNginx("nginx", variant, dir.resolve("nginx"), nginxPort, mlflowPort, s3.endpoint(), password, config.fault());
            components.add(nginx.component());
            URI trackingUri = nginx.trackingUri();
            Endpoints endpoints = new Endpoints(trackingUri, HTTP_USER, password, s3, db, List.of(
                    db.service(), InternalService.objectStore(s3), new InternalService("mlflow", "127.0.0.1", mlflowPort)));
            Fault fault = config.fault();
            databaseFault();
            running = new RunningStack(endpoints, new StackDescription("native", variant, components,
                    fault == Fault.NONE ? null : fault.id() + ": " + fault.description(), findings));
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
            List<ManagedProcess> toStop;
            synchronized (processes) {
                stopped = true;
                toStop = new ArrayList<>(processes);
                processes.clear();
                members.clear();
            }
            for (int i = toStop.size() - 1; i >= 0; i--) {
                toStop.get(i).stop(grace);
            }
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
            throw new UnsupportedOperationException("this native stack was started by another harness process (up --detach): "
                    + "this run uses its endpoints but cannot watch or restart its processes");
        }
        return List.copyOf(members);
    }

    /**
     * Stops the component's process, waits {@code outage}, starts it again with the same command line (same data
     * directory, port, keys and settings) and waits for the same readiness check as at the first start.
     */
    @Override
    public void restart(String role, Duration outage) {
        Member m = member(role);
        m.restarting = true;
        try {
            out.accept(String.format("  restarting %s (%s): stop, %.1f s outage, start again ...", role, m.name, outage.toMillis() / 1000.0));
            m.process.stop();
            Poll.sleep(outage.toMillis());
            ManagedProcess fresh;
            synchronized (processes) {
                if (stopped) {
                    throw new StackException(m.name, "not restarted: the stack is being stopped", "");
                }
                fresh = ManagedProcess.start(m.name, m.command, m.env, dir, m.process.log());
                int at = processes.indexOf(m.process);
                processes.set(at, fresh);
                m.process = fresh;
            }
            recordState();
            fresh.awaitReady(m.ready, m.timeout, m.fix);
            if (role.equals("database")) {
                databaseFault();   // the init file grants all rights again at every start
            }
        } finally {
            m.restarting = false;
        }
    }

    /** nginx only: {@code nginx -s reload} (new workers with the configuration re-read, old ones finish their requests). */
    @Override
    public void reload(String role) {
        Member m = member(role);
        if (m.reload == null) {
            throw new UnsupportedOperationException(role + " (" + m.name + ") has no reload; restart it instead");
        }
        out.accept("  reloading " + role + " (" + m.name + ") ...");
        Command.run(m.name, m.reload, m.process.log(), Duration.ofSeconds(30), "see " + m.process.log());
        m.process.awaitReady(m.ready, m.timeout, m.fix);
    }

    /** The first component this provider started with {@code role}: for proxy, the stack's own nginx, not an added one. */
    private Member member(String role) {
        if (attached) {
            throw new UnsupportedOperationException("this native stack was started by another harness process (up --detach): "
                    + "only the process that started it can restart its components");
        }
        return members.stream().filter(m -> m.role.equals(role)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no component with role " + role + "; the native stack has " + String.join(", ", members.stream().map(m -> m.role).distinct().toList())));
    }

    /** Records the processes in the state file, so that {@code down} stops them even after the harness was killed. */
    private void recordState() {
        if (!attached && running != null) {
            synchronized (processes) {
                NativeState.of(running, processes).write(stateFile(config));
            }
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
        components.clear();
        findings.clear();
        Dirs.deleteRecursively(dir);
        try {
            Files.createDirectories(dir.resolve("logs"));
        } catch (IOException e) {
            throw new StackException("native", "cannot create work directory " + dir + ": " + e.getMessage(),
                    "pass a writable --work-dir");
        }
    }

    /**
     * Starts a component and waits until {@code ready} holds; the component is then watched with that same check and
     * can be restarted with the same command line ({@link #liveComponents}, {@link #restart}).
     *
     * @param reload the command that makes it re-read its configuration, or null when it has none
     */
    private ManagedProcess launchReady(String role, String component, List<String> command, Map<String, String> env,
                                       Readiness ready, Duration timeout, String fix, List<String> reload) {
        ManagedProcess p = launch(component, command, env);
        p.awaitReady(ready, timeout, fix);
        members.add(new Member(role, component, command, env, ready, timeout, fix, reload, p));
        return p;
    }

    private ManagedProcess launch(String component, List<String> command, Map<String, String> env) {
        synchronized (processes) {
            if (stopped) {
                throw new StackException(component, "not started: the stack is being stopped", "");
            }
            ManagedProcess p = ManagedProcess.start(component, command, env, dir, dir.resolve("logs").resolve(component + ".log"));
            processes.add(p);
            return p;
        }
    }

    private Component describe(String role, String name, String version, String source, String standInFor, ManagedProcess p, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        out.accept(String.format("  %-12s %-8s %-28s ready in %5.1f s  log: %s", role, name, version, seconds, p.log()));
        return new Component(role, name, version, source, standInFor, p.log().toString(), Math.round(seconds * 10) / 10.0);
    }

    private DatabaseAccess startMariaDb() {
        long t0 = System.nanoTime();
        Path data = dir.resolve("mariadb/data");
        Path socket = dir.resolve("mariadb/mysqld.sock");
        // Own temp dir: two install-db runs at once (parallel stacks) collided on the same temp table names in /tmp.
        Path tmp = dir.resolve("mariadb/tmp");
        String password = Htpasswd.secret(12);
        int port = Ports.free();
        try {
            Files.createDirectories(data);
            Files.createDirectories(tmp);
            Files.writeString(dir.resolve("mariadb/init.sql"), String.join("\n",
                    "CREATE DATABASE IF NOT EXISTS " + DB_NAME + " CHARACTER SET utf8mb4 COLLATE " + collation() + ";",
                    "CREATE USER IF NOT EXISTS '" + DB_USER + "'@'127.0.0.1' IDENTIFIED BY '" + password + "';",
                    "GRANT ALL PRIVILEGES ON " + DB_NAME + ".* TO '" + DB_USER + "'@'127.0.0.1';",
                    "FLUSH PRIVILEGES;", ""));
        } catch (IOException e) {
            throw new StackException("mariadb", "cannot write its files: " + e.getMessage(), "pass a writable --work-dir");
        }
        Path log = dir.resolve("logs/mariadb.log");
        Command.run("mariadb", List.of("mariadb-install-db", "--no-defaults", "--datadir=" + data, "--tmpdir=" + tmp,
                "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db"), log, Duration.ofMinutes(2),
                "see " + log);
        String url = "jdbc:mysql://127.0.0.1:" + port + "/" + DB_NAME + "?useSSL=false&allowPublicKeyRetrieval=true";
        ManagedProcess p = launchReady("database", "mariadb", List.of("mariadbd", "--no-defaults", "--datadir=" + data, "--user=root",
                "--tmpdir=" + tmp, "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + socket, "--pid-file=" + dir.resolve("mariadb/mariadb.pid"),
                "--skip-name-resolve", "--character-set-server=utf8mb4", "--collation-server=" + collation(), "--max-connections=500",
                "--init-file=" + dir.resolve("mariadb/init.sql")), Map.of(),
                Readiness.jdbc(url, DB_USER, password), Duration.ofSeconds(60), "see " + log, null);
        String version;
        try (var c = DriverManager.getConnection(url, DB_USER, password); var rs = c.createStatement().executeQuery("SELECT VERSION()")) {
            rs.next();
            version = rs.getString(1);
        } catch (Exception e) {
            throw p.failure("SELECT VERSION() failed: " + e.getMessage(), "see " + log, e);
        }
        components.add(describe("database", "MariaDB", version, "SELECT VERSION()", null, p, t0));
        return new DatabaseAccess(url, DB_USER, password);
    }

    /**
     * Case-sensitive by default: MySQL's and MariaDB's default utf8mb4 collations are case-insensitive, so names that
     * differ only in case collide in MLflow (mlflow#25911). The db-case-insensitive fault keeps the server default.
     */
    private String collation() {
        return config.fault() == Fault.DB_CASE_INSENSITIVE ? "utf8mb4_general_ci" : "utf8mb4_bin";
    }

    /** A free loopback port and fresh keys for the object store, whichever server runs it. */
    private static S3Access newS3Access() {
        return new S3Access(URI.create("http://127.0.0.1:" + Ports.free()), "harness-" + Htpasswd.secret(4), Htpasswd.secret(16),
                BUCKET, ARTIFACT_ROOT, "us-east-1");
    }

    private S3Access startObjectStore(ObjectStoreServer server) {
        long t0 = System.nanoTime();
        S3Access s3 = newS3Access();
        ObjectStoreServer.Started store = server.start(s3, dir, (component, command, env, ready, timeout) ->
                launchReady("object-store", component, command, env, ready, timeout, "see " + dir.resolve("logs").resolve(component + ".log"), null));
        createBucket(s3, store.process(), config.fault());
        components.add(describe("object-store", store.name(), store.version(), store.versionSource(), store.standInFor(), store.process(), t0));
        store.findings().forEach(f -> out.accept("  finding: " + f));
        findings.addAll(store.findings());
        return s3;
    }

    private static void createBucket(S3Access s3, ManagedProcess p, Fault fault) {
        if (fault == Fault.BUCKET_MISSING) {
            return;
        }
        try (ObjectStore store = new ObjectStore(s3)) {
            store.ensureBucket();
        } catch (RuntimeException e) {
            throw p.failure("cannot create bucket " + s3.bucket() + ": " + e.getMessage(), "see " + p.log(), e);
        }
    }

    /** MLflow {@code version} on {@code port}, in front of the database and the store; the venv's resolution is in its description. */
    private Started startMlflow(String version, Path mlflow, DatabaseAccess db, S3Access s3, int port) {
        long t0 = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(mlflow.toString(), "server",
                "--backend-store-uri", db.sqlAlchemyUri(),
                "--artifacts-destination", "s3://" + s3.bucket() + "/" + s3.artifactRoot(),
                config.fault() == Fault.MLFLOW_NO_SERVE_ARTIFACTS ? "--no-serve-artifacts" : "--serve-artifacts",
                "--host", "127.0.0.1", "--port", String.valueOf(port)));
        boolean uvicornHealthcheck = !servedByGunicorn(version) && Toolchain.uvicornHasWorkerHealthcheck(mlflow);
        if (servedByGunicorn(version)) {
            // gunicorn kills a worker that has not answered its arbiter for 30 s; four workers importing MLflow at once on a
            // busy 2-core machine take longer than that, and are killed in a loop (seen with 2.9.2). Uploads too.
            command.addAll(List.of("--gunicorn-opts", "--timeout " + WORKER_TIMEOUT_SECONDS));
        } else if (uvicornHealthcheck) {
            // uvicorn's supervisor kills a worker that does not answer its health check within 5 s, also while it is still
            // importing MLflow (over a minute on a busy 2-core machine): restarted and killed in a loop (seen with 3.16.1).
            command.addAll(List.of("--uvicorn-opts", "--timeout-worker-healthcheck " + WORKER_TIMEOUT_SECONDS));
        }
        try {
            Files.createDirectories(dir.resolve("mlflow-tmp"));
        } catch (IOException e) {
            throw new StackException("mlflow", "cannot create its temp dir: " + e.getMessage(), "pass a writable --work-dir");
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        // Four workers importing MLflow at once took over 4 minutes on a 2-core machine running other stacks.
        ManagedProcess p = launchReady("tracking", "mlflow", command,
                Map.of("MLFLOW_S3_ENDPOINT_URL", s3.endpoint().toString(),
                        "AWS_ACCESS_KEY_ID", s3.accessKey(),
                        "AWS_SECRET_ACCESS_KEY", s3.secretKey(),
                        "AWS_DEFAULT_REGION", s3.region(),
                        "MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE", "path",
                        "TMPDIR", dir.resolve("mlflow-tmp").toString()),
                Readiness.http(base.resolve("/health"), 200), Duration.ofSeconds(600), "see " + dir.resolve("logs/mlflow.log"), null);
        String reported = httpText(base.resolve("/version"), p).trim();
        return new Started(base, describe("tracking", "MLflow", reported, "GET /version; installed by "
                + Toolchain.mlflowResolution(config.cacheDir(), version)
                + (servedByGunicorn(version) ? "; served by gunicorn --timeout " + WORKER_TIMEOUT_SECONDS
                : uvicornHealthcheck ? "; served by uvicorn --timeout-worker-healthcheck " + WORKER_TIMEOUT_SECONDS : ""), null, p, t0), p);
    }

    /** MLflow before 3.0 serves with gunicorn (3.x with uvicorn unless --gunicorn-opts is given). */
    static boolean servedByGunicorn(String version) {
        return version.matches("[0-2]\\..*");
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
            throw new IllegalStateException(attached ? "a detached stack's tracking server is not replaced; let the command start its own stack"
                    : "start the stack before replacing its tracking server");
        }
        Path bin = new Toolchain(config, config.workDir().resolve("install-logs"), out).mlflow(version);
        ManagedProcess old;
        synchronized (processes) {
            old = processes.stream().filter(p -> p.component().equals("mlflow")).findFirst().orElse(null);
            processes.remove(old);
            members.removeIf(m -> m.process == old);   // first, so that its stop is not seen as a death
        }
        if (old != null) {
            old.stop();
        }
        recordState();
        whileStopped.run();
        Endpoints e = base.endpoints();
        int port = e.internalPort("mlflow").orElseThrow(() -> new IllegalStateException("the stack lists no mlflow service"));
        Component tracking = startMlflow(version, bin, e.database(), e.s3(), port).component();
        components.replaceAll(c -> c.role().equals(tracking.role()) ? tracking : c);
        StackDescription d = base.description();
        running = new RunningStack(e, new StackDescription(d.provider(), d.nginxVariant(), components, d.fault(), d.findings()));
        recordState();
        return running;
    }

    /** A server the harness started (nginx, MLflow): where it answers, what it is, and its process. */
    private record Started(URI trackingUri, Component component, ManagedProcess process) {
    }

    private Started startNginx(String component, NginxVariant variant, Path workDir, int port, int mlflowPort, URI objectStore,
                               String password, Fault fault) {
        long t0 = System.nanoTime();
        Path compose = composeDir();
        NginxConfig nginx = new NginxConfig(compose, workDir, variant, fault, port, mlflowPort, VIRTUAL_HOST, objectStore);
        Path conf = nginx.workDir().resolve("nginx.conf");
        try {
            Files.writeString(conf, nginx.render());
            Files.writeString(nginx.htpasswd(), Htpasswd.line(HTTP_USER, password));
        } catch (IOException e) {
            throw new StackException(component, "cannot write its config: " + e.getMessage(), "check " + compose + " and --work-dir");
        }
        List<String> command = List.of("nginx", "-c", conf.toString(), "-p", nginx.workDir().toString(), "-e", nginx.errorLog().toString());
        List<String> reload = new ArrayList<>(command);
        reload.addAll(List.of("-s", "reload"));
        URI trackingUri = URI.create("http://" + VIRTUAL_HOST + ":" + port);
        ManagedProcess p = launchReady("proxy", component, command, Map.of(), Readiness.http(trackingUri.resolve("/health"), 401),
                Duration.ofSeconds(30), "see " + nginx.errorLog(), reload);
        return new Started(trackingUri, describe("proxy", "nginx", nginxVersion(), "nginx -v", null, p, t0), p);
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
        int mlflowPort = base.endpoints().internalPort("mlflow")
                .orElseThrow(() -> new UnsupportedOperationException("the stack's description has no mlflow service to proxy"));
        int port = Ports.free();
        String fault = base.description().fault();
        Started nginx = startNginx("nginx-" + variant.id(), variant, dir.resolve("nginx-" + variant.id() + "-" + port), port,
                mlflowPort, base.endpoints().s3().endpoint(), base.endpoints().password(), fault == null ? Fault.NONE : Fault.parse(fault.substring(0, fault.indexOf(':'))));
        RunningStack front = new RunningStack(base.endpoints().withTrackingUri(nginx.trackingUri()),
                base.description().withProxy(variant, nginx.component()));
        recordState();
        return new ProxyFront(front, () -> {
            synchronized (processes) {
                members.removeIf(m -> m.process == nginx.process());   // first, so that its stop is not seen as a death
                processes.remove(nginx.process());
            }
            nginx.process().stop();
            recordState();
        });
    }

    /** The database faults, applied once MLflow has created its schema. */
    private void databaseFault() {
        Fault fault = config.fault();
        if (fault == Fault.DB_READ_ONLY) {
            // MLflow keeps its schema but loses write rights; its pooled connections are dropped.
            asDatabaseRoot("REVOKE INSERT, UPDATE, DELETE ON " + DB_NAME + ".* FROM '" + DB_USER + "'@'127.0.0.1'; "
                    + "FLUSH PRIVILEGES; KILL USER " + DB_USER + ";");
        } else if (fault == Fault.DB_METRICS_FLOAT) {
            // A backend that narrows metric values: 4-byte FLOAT instead of the DOUBLE MLflow's schema creates.
            asDatabaseRoot("ALTER TABLE " + DB_NAME + ".metrics MODIFY `value` FLOAT NOT NULL;");
        }
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
                List<ManagedProcess> own;
                synchronized (processes) {
                    own = new ArrayList<>(processes);
                }
                if (attached) {
                    NativeState.read(stateFile(config)).ifPresent(state -> own.addAll(0, state.attach()));
                }
                ProcStat.Snapshot now = ProcStat.snapshot();
                Map<String, Reading> m = new LinkedHashMap<>();
                own.forEach(p -> now.tree(p.pid()).ifPresent(r -> m.put(p.component(), r)));
                return m;
            }
        };
    }

    /** Runs SQL as the database's root user (database faults, applied once MLflow has created its schema). */
    private void asDatabaseRoot(String sql) {
        Path log = dir.resolve("logs/mariadb-fault.log");
        Command.run("mariadb", List.of("mariadb", "--no-defaults", "--socket=" + dir.resolve("mariadb/mysqld.sock"), "-uroot", "-e", sql),
                log, Duration.ofSeconds(30), "see " + log);
    }

    /** The repository's compose/ directory: the nginx settings shared with the compose stack live there. */
    static Path composeDir() {
        Path d = Path.of(System.getProperty("harness.home", ".")).toAbsolutePath().normalize().resolve("compose");
        if (!Files.isDirectory(d)) {
            throw new StackException("nginx", "cannot find " + d, "run the harness from the repository root (./harness)");
        }
        return d;
    }

    private static String nginxVersion() {
        try {
            Process p = new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return text.replaceFirst("^nginx version: nginx/", "");
        } catch (IOException | InterruptedException e) {
            return "unknown (nginx -v failed: " + e.getMessage() + ")";
        }
    }

    private static String httpText(URI uri, ManagedProcess p) {
        try {
            return Readiness.HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw p.failure("GET " + uri + " failed: " + e.getMessage(), "see " + p.log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw p.failure("interrupted", "", e);
        }
    }

    /** A component this provider started: how to start it again and how to tell it is ready, and its current process. */
    private static final class Member implements LiveComponent {
        final String role;
        final String name;
        final List<String> command;
        final Map<String, String> env;
        final Readiness ready;
        final Duration timeout;
        final String fix;
        final List<String> reload;
        volatile ManagedProcess process;
        volatile boolean restarting;

        Member(String role, String name, List<String> command, Map<String, String> env, Readiness ready, Duration timeout,
               String fix, List<String> reload, ManagedProcess process) {
            this.role = role;
            this.name = name;
            this.command = command;
            this.env = env;
            this.ready = ready;
            this.timeout = timeout;
            this.fix = fix;
            this.reload = reload;
            this.process = process;
        }

        public String role() {
            return role;
        }

        public String name() {
            return name;
        }

        public Optional<String> exited() {
            return process.exited();
        }

        public Readiness health() {
            return ready;
        }

        public boolean restarting() {
            return restarting;
        }

        public String log() {
            return process.log().toString();
        }

        public List<String> logTail(int lines) {
            return ManagedProcess.tail(process.log(), lines);
        }
    }
}
