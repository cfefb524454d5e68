package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.ManagedProcess;

/**
 * RustFS built from crates.io per version with {@code cargo install} ({@code ./harness rustfs-build}, through
 * {@link Toolchain#buildRustfs}): only when cargo's record says the cached binary is missing or was built otherwise,
 * with the build's Debian packages first, progress every few minutes, and the first compiler error when it fails.
 *
 * <p>The cache layout under {@code --cache-dir}: {@code rustfs/<version>/bin/rustfs} (cargo's install root, with
 * cargo's {@code .crates2.json} record of how it was built), {@code rustfs/target/} (cargo's target directory, shared
 * by every version), {@code rustfs/logs/build-<version>.log}.
 */
final class RustfsBuilder {

    /** A cold RustFS build took over two hours on a shared 2-core machine; this only bounds a hung one. */
    private static final Duration RUSTFS_BUILD_TIMEOUT = Duration.ofHours(10);

    private static final Duration BUILD_PROGRESS_EVERY = Duration.ofMinutes(5);
    private static final Pattern RUSTFS_VERSION = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.]+)?");
    /**
     * What building RustFS needs besides Rust: protoc for its gRPC crates (prost/tonic build scripts), a C/C++
     * toolchain, make, cmake and pkg-config for the -sys crates (aws-lc-sys, zstd-sys, liblzma-sys, lz4-sys).
     */
    private static final Map<String, String> RUSTFS_BUILD_BINARIES = new LinkedHashMap<>();

    static {
        RUSTFS_BUILD_BINARIES.put("/usr/bin/protoc", "protobuf-compiler");
        RUSTFS_BUILD_BINARIES.put("/usr/bin/cc", "gcc");
        RUSTFS_BUILD_BINARIES.put("/usr/bin/c++", "g++");
        RUSTFS_BUILD_BINARIES.put("/usr/bin/make", "make");
        RUSTFS_BUILD_BINARIES.put("/usr/bin/cmake", "cmake");
        RUSTFS_BUILD_BINARIES.put("/usr/bin/pkg-config", "pkg-config");
    }

    private final Toolchain tools;
    private final Path cacheDir;
    private final Consumer<String> out;

    /** @param tools installs the build's Debian packages, and says whether installing is allowed at all */
    RustfsBuilder(Toolchain tools, Path cacheDir, Consumer<String> out) {
        this.tools = tools;
        this.cacheDir = cacheDir;
        this.out = out;
    }

    /**
     * Builds RustFS {@code version} from crates.io into the cache with {@code cargo install}, unless the binary exists
     * and cargo's record says it was built from the same inputs (version, default features, release profile, the
     * compiler cargo uses now). Installs the build's Debian packages first, says what it does, how long it took and
     * where the binary is. One build per version at a time: a second {@code rustfs-build} waits, then finds it built.
     */
    Toolchain.RustfsBuild build(String version) {
        CargoInstall install = install(cacheDir, version);
        Path cargo = cargo();
        Map<String, String> env =
                Map.of("PATH", cargo.getParent() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        String rustc = Command.output(
                        "rustfs-build",
                        List.of(cargo.resolveSibling("rustc").toString(), "-vV"),
                        env,
                        "install a Rust toolchain with rustup (cargo and rustc 1.95 or newer)")
                .lines()
                .findFirst()
                .orElse("");
        Path log = cacheDir.resolve("rustfs/logs/build-" + version + ".log");
        AtomicReference<Duration> took = new AtomicReference<>();
        Toolchain.once(install.root(), () -> {
            Optional<String> stale = install.staleReason(rustc);
            if (stale.isEmpty()) {
                out.accept("RustFS " + version + " is already built (" + rustc + "), nothing to rebuild: "
                        + install.binary());
            } else {
                took.set(cargoInstall(install, cargo, env, stale.get(), rustc, log));
            }
            return install.binary();
        });
        return new Toolchain.RustfsBuild(version, install.binary(), took.get(), rustc, log);
    }

    private Duration cargoInstall(
            CargoInstall install, Path cargo, Map<String, String> env, String why, String rustc, Path log) {
        String version = install.version();
        if (!tools.mayInstall()) {
            throw new StackException(
                    "rustfs-build", why + " (--no-install given)", "run ./harness rustfs-build without --no-install");
        }
        tools.ensureAptPackages("rustfs-build", RUSTFS_BUILD_BINARIES);
        List<String> command = install.command(cargo, Files.exists(install.binary()));
        out.accept("building RustFS " + version + " from crates.io (" + why + "); a cold build takes hours on 2 cores, "
                + "compiled dependencies are reused from " + install.targetDir());
        out.accept("  " + String.join(" ", command));
        out.accept("  log: " + log + " (progress here every " + BUILD_PROGRESS_EVERY.toMinutes() + " min)");
        Instant start = Instant.now();
        appendLine(log, "== ./harness rustfs-build at " + start + ": " + String.join(" ", command));
        long offset = size(log);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rustfs-build-progress");
            t.setDaemon(true);
            return t;
        });
        progress.scheduleAtFixedRate(
                () -> out.accept(String.format(
                        "  still building (%s): %s",
                        since(start),
                        ManagedProcess.tail(log, 1).stream()
                                .findFirst()
                                .orElse("")
                                .trim())),
                BUILD_PROGRESS_EVERY.toMinutes(),
                BUILD_PROGRESS_EVERY.toMinutes(),
                TimeUnit.MINUTES);
        try {
            Command.run("rustfs-build", command, env, log, RUSTFS_BUILD_TIMEOUT, "see " + log);
        } catch (StackException e) {
            String firstError = CargoInstall.firstError(linesFrom(log, offset)).orElse(e.getMessage());
            appendLine(log, "== ./harness rustfs-build: FAILED after " + since(start) + ": " + firstError);
            throw new StackException(
                    "rustfs-build",
                    "cargo install rustfs " + version + " failed after " + since(start) + ": " + firstError,
                    "see " + log,
                    e.logTail(),
                    e);
        } finally {
            progress.shutdownNow();
        }
        appendLine(
                log,
                "== ./harness rustfs-build: built in " + since(start) + " with " + rustc + ": " + install.binary());
        out.accept("built RustFS " + version + " in " + since(start) + " (" + rustc + "): " + install.binary());
        return Duration.between(start, Instant.now());
    }

    /** Where RustFS {@code version} is installed in the cache: {@code <cache>/rustfs/<version>/bin/rustfs}. */
    static CargoInstall install(Path cacheDir, String version) {
        if (!RUSTFS_VERSION.matcher(version).matches()) {
            throw new StackException(
                    "rustfs", "'" + version + "' is not a RustFS release version", "pass --rustfs-version like 1.0.1");
        }
        Path home = cacheDir.resolve("rustfs");
        return new CargoInstall("rustfs", version, home.resolve(version), home.resolve("target"));
    }

    /** cargo from PATH, else where rustup puts it; the error names the fix. */
    private static Path cargo() {
        Path rustup = Path.of(System.getProperty("user.home"), ".cargo", "bin", "cargo");
        return Toolchain.which("cargo")
                .or(() -> Optional.of(rustup).filter(Files::isExecutable))
                .orElseThrow(
                        () -> new StackException(
                                "rustfs-build",
                                "cargo is not on PATH nor in " + rustup.getParent(),
                                "install a Rust toolchain with rustup (cargo and rustc 1.95 or newer; Debian's cargo is too old for RustFS)"));
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The lines of {@code file} after byte {@code offset}: what this run appended to a shared log. */
    private static List<String> linesFrom(Path file, long offset) {
        try (var in = Files.newInputStream(file)) {
            in.skipNBytes(Math.min(offset, Files.size(file)));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void appendLine(Path log, String line) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new StackException(
                    "rustfs-build", "cannot write " + log + ": " + e.getMessage(), "check --cache-dir");
        }
    }

    private static String since(Instant since) {
        long s = Duration.between(since, Instant.now()).toSeconds();
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
