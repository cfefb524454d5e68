package org.mlflowharness.stack.nativestack;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.Endpoints.S3Access;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.StackDescription.Component;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Ports;
import org.mlflowharness.stack.Htpasswd;

/**
 * Starts the native stack's components through {@link NativeProcesses}, one at a time: prints each one's line (version,
 * time to ready, log) and makes its stack description entry. The database and the object store add their entries (and
 * the store its findings) to the lists this keeps; MLflow and nginx return theirs, since a replaced tracking server or
 * an added nginx front takes its entry elsewhere.
 */
final class ComponentStarter {

    private static final String BUCKET = "mlflow";
    private static final String ARTIFACT_ROOT = "artifacts";

    private final Path dir;
    private final Consumer<String> out;
    private final NativeProcesses processes;
    private final List<Component> components = new ArrayList<>();
    private final List<String> findings = new ArrayList<>();

    /** @param dir the native stack's work directory (logs under its logs/) */
    ComponentStarter(Path dir, Consumer<String> out, NativeProcesses processes) {
        this.dir = dir;
        this.out = out;
        this.processes = processes;
    }

    /** The stack description entries so far, in start order (the list itself, which the stack description shares). */
    List<Component> components() {
        return components;
    }

    /** What the object store's start found (the list itself, which the stack description shares). */
    List<String> findings() {
        return findings;
    }

    /** Forgets the entries and findings of an earlier start. */
    void clear() {
        components.clear();
        findings.clear();
    }

    private Component describe(
            String role,
            String name,
            String version,
            String source,
            String standInFor,
            ManagedProcess p,
            long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        out.accept(
                String.format("  %-12s %-8s %-28s ready in %5.1f s  log: %s", role, name, version, seconds, p.log()));
        return new Component(
                role, name, version, source, standInFor, p.log().toString(), Math.round(seconds * 10) / 10.0);
    }

    /** The database, its entry added; how the stack reaches it. */
    DatabaseAccess database(DatabaseServer database) {
        long t0 = System.nanoTime();
        DatabaseServer.Started db = database.start(processes);
        components.add(
                describe("database", db.name(), db.version(), db.versionSource(), db.standInFor(), db.process(), t0));
        return db.access();
    }

    /** A free loopback port and fresh keys for the object store, whichever server runs it. */
    private static S3Access newS3Access() {
        return new S3Access(
                URI.create("http://127.0.0.1:" + Ports.free()),
                "harness-" + Htpasswd.secret(4),
                Htpasswd.secret(16),
                BUCKET,
                ARTIFACT_ROOT,
                "us-east-1");
    }

    /**
     * The object store on a free port with fresh keys, its bucket made (unless {@code fault} is the missing bucket), its
     * entry and findings added; how the stack reaches it.
     */
    S3Access objectStore(ObjectStoreServer server, Fault fault) {
        long t0 = System.nanoTime();
        S3Access s3 = newS3Access();
        ObjectStoreServer.Started store = server.start(
                s3,
                dir,
                (component, command, env, ready, timeout) -> processes.launchReady(
                        "object-store",
                        component,
                        command,
                        env,
                        ready,
                        timeout,
                        "see " + dir.resolve("logs").resolve(component + ".log"),
                        null));
        createBucket(s3, store.process(), fault);
        components.add(describe(
                "object-store",
                store.name(),
                store.version(),
                store.versionSource(),
                store.standInFor(),
                store.process(),
                t0));
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

    /** MLflow {@code version} on {@code port} in front of the database and the store; its stack description entry. */
    Component tracking(MlflowServer tracking, String version, Path mlflow, DatabaseAccess db, S3Access s3, int port) {
        long t0 = System.nanoTime();
        MlflowServer.Started m = tracking.start(version, mlflow, db, s3, port, processes);
        return describe("tracking", "MLflow", m.version(), m.versionSource(), null, m.process(), t0);
    }

    /** An nginx the harness started: where it answers, its stack description entry, and its process. */
    record Front(URI trackingUri, Component component, ManagedProcess process) {}

    /** An nginx with {@code variant}'s settings and {@code fault} on {@code port}, in front of MLflow and the store. */
    Front nginx(
            String component,
            NginxVariant variant,
            Path workDir,
            int port,
            int mlflowPort,
            URI objectStore,
            String password,
            Fault fault) {
        long t0 = System.nanoTime();
        NginxServer.Started nginx = new NginxServer(component, variant, fault, workDir)
                .start(port, mlflowPort, objectStore, password, processes);
        return new Front(
                nginx.trackingUri(),
                describe("proxy", "nginx", nginx.version(), "nginx -v", null, nginx.process(), t0),
                nginx.process());
    }
}
