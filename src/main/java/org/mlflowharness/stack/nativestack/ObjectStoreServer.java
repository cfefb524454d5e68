package org.mlflowharness.stack.nativestack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.model.Endpoints.S3Access;
import org.mlflowharness.model.ObjectStoreKind;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Readiness;

/**
 * The native stack's object store: one S3 server process on a loopback port with the keys it is given.
 * {@link RustfsServer} is the real RustFS; {@link S3ProxyServer} stands in for it when no RustFS binary exists.
 * {@link #select} is the one place that decides which one runs.
 */
abstract sealed class ObjectStoreServer permits RustfsServer, S3ProxyServer {

    /**
     * Starts a process as one of the stack's components and waits until {@code ready} holds; the stack stops it with
     * the others, watches it with that same check and can restart it with the same command line.
     */
    interface Launcher {
        ManagedProcess launch(
                String component, List<String> command, Map<String, String> env, Readiness ready, Duration timeout);
    }

    /**
     * A ready store: its process, the stack description's entry for it, and what was observed while starting it.
     *
     * @param standInFor the product it stands in for, or null when it is the real one
     */
    record Started(
            ManagedProcess process,
            String name,
            String version,
            String versionSource,
            String standInFor,
            List<String> findings) {}

    /** Starts the server with its state under {@code dir}, listening on {@code s3}'s endpoint with its keys. */
    abstract Started start(S3Access s3, Path dir, Launcher launcher);

    /**
     * The object store {@code --object-store} asks for: RustFS from {@code --rustfs-bin} or the cached build of
     * {@code --rustfs-version}; the S3Proxy stand-in when asked for, or (auto) when there is no RustFS binary, saying
     * so in one line with how to get the real one. Fetches S3Proxy when it is the one.
     */
    static ObjectStoreServer select(HarnessConfig config, Toolchain tools, Consumer<String> out) {
        String version = config.get(Option.RUSTFS_VERSION);
        Choice choice = choose(
                config.objectStore(),
                config.optional(Option.RUSTFS_BIN).map(Path::of),
                tools.rustfsBinary(version),
                version);
        if (choice.rustfs() != null) {
            return new RustfsServer(choice.rustfs(), choice.expectedVersion());
        }
        out.accept(choice.note());
        return new S3ProxyServer(tools.s3proxyJar());
    }

    /**
     * The decision, from what exists: {@code rustfs} is the binary to run (with the version it must report, or null
     * for --rustfs-bin) or null for S3Proxy, with the line that says why.
     */
    record Choice(Path rustfs, String expectedVersion, String note) {}

    static Choice choose(ObjectStoreKind kind, Optional<Path> given, Path cached, String version) {
        if (given.isPresent()) {
            if (kind == ObjectStoreKind.S3PROXY) {
                throw new StackException(
                        "object-store",
                        "--object-store s3proxy contradicts --rustfs-bin " + given.get(),
                        "drop one of them");
            }
            if (!Files.isRegularFile(given.get()) || !Files.isExecutable(given.get())) {
                throw new StackException(
                        "rustfs",
                        "--rustfs-bin " + given.get() + " is not an executable file",
                        "point RUSTFS_BIN at a rustfs binary, or leave it unset to use the cached build of --rustfs-version");
            }
            return new Choice(given.get(), null, null);
        }
        boolean built = Files.isRegularFile(cached) && Files.isExecutable(cached);
        return switch (kind) {
            case S3PROXY ->
                new Choice(
                        null,
                        null,
                        "object store: S3Proxy " + Toolchain.S3PROXY_VERSION
                                + ", the stand-in for RustFS, as --object-store s3proxy asks");
            case RUSTFS -> {
                if (!built) {
                    throw new StackException(
                            "rustfs",
                            "no RustFS " + version + " binary at " + cached + " (--object-store rustfs)",
                            "build it once: ./harness rustfs-build --rustfs-version " + version
                                    + " (hours on 2 cores), or pass --rustfs-bin");
                }
                yield new Choice(cached, version, null);
            }
            case AUTO ->
                built
                        ? new Choice(cached, version, null)
                        : new Choice(
                                null,
                                null,
                                "object store: S3Proxy "
                                        + Toolchain.S3PROXY_VERSION + " STANDS IN for RustFS (no RustFS " + version
                                        + " binary at " + cached
                                        + "); for the real one: ./harness rustfs-build --rustfs-version " + version
                                        + " (once; hours on 2 cores)");
        };
    }
}
