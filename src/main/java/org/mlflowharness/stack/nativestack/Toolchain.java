package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Maven;

/**
 * What the native stack runs, installed when missing (idempotently) and cached across runs: nginx, MariaDB and
 * iproute2 from apt, MLflow from PyPI in a virtualenv per version (also the official client's), S3Proxy from Maven
 * Central, and RustFS built from crates.io per version ({@link RustfsBuilder}, only on request: a cold build takes
 * hours). It says what it installs before installing it; with {@code --no-install} a missing piece is an error naming
 * the fix instead.
 */
public final class Toolchain {

    public static final String S3PROXY_VERSION = "4.1.0";
    /** The resolver that installs MLflow with its dependencies as of its release date. */
    public static final String UV_VERSION = "0.13.9";

    private static final String COMPLETE = ".complete";
    private static final String RESOLUTION = ".resolution";
    private static final String WITH_CRYPTOGRAPHY = ".with-cryptography";
    /** Marks a virtualenv whose modules are compiled to bytecode ({@link #compileBytecode}). */
    static final String BYTECODE = ".bytecode";

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(20);

    /** Binaries the native stack runs, and the Debian package that ships each. */
    private static final Map<String, String> APT_BINARIES = new LinkedHashMap<>();

    static {
        APT_BINARIES.put("/usr/sbin/nginx", "nginx");
        APT_BINARIES.put("/usr/sbin/mariadbd", "mariadb-server");
        APT_BINARIES.put("/usr/bin/mariadb-install-db", "mariadb-server");
        APT_BINARIES.put("/usr/sbin/ip", "iproute2"); // the client suite's network namespace
    }

    private final HarnessConfig config;
    private final Consumer<String> out;
    private final Path logDir;

    public Toolchain(HarnessConfig config, Path logDir, Consumer<String> out) {
        this.config = config;
        this.logDir = logDir;
        this.out = out;
    }

    boolean mayInstall() {
        return !config.flag(Option.NO_INSTALL);
    }

    /** Installs nginx and MariaDB with apt when missing. */
    public void ensureSystemPackages() {
        ensureAptPackages("native", APT_BINARIES);
    }

    /**
     * Installs, with apt, the Debian package of every binary in {@code binaryToPackage} (absolute path -> package) that
     * is not there, saying so first; with {@code --no-install} a missing one is an error naming the command to run.
     */
    public void ensureAptPackages(String component, Map<String, String> binaryToPackage) {
        List<String> missing = binaryToPackage.entrySet().stream()
                .filter(e -> !Files.isExecutable(Path.of(e.getKey())))
                .map(Map.Entry::getValue)
                .distinct()
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        if (!mayInstall()) {
            throw new StackException(
                    component,
                    "missing " + String.join(", ", missing) + " (--no-install given)",
                    "install them: apt-get install -y " + String.join(" ", missing));
        }
        out.accept("installing with apt-get: " + String.join(" ", missing));
        Path log = logDir.resolve("install-apt.log");
        run("apt", List.of("apt-get", "update", "-qq"), log, "check that Debian's package mirrors are reachable");
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
        cmd.addAll(missing);
        run("apt", cmd, log, "install them by hand: apt-get install -y " + String.join(" ", missing));
    }

    /**
     * The virtualenv of MLflow {@code version}: its dependencies are resolved as they were when that release was
     * published (see {@link #mlflow}), so the directory says so and never mixes with a venv resolved otherwise.
     */
    public static Path mlflowVenv(Path cacheDir, String version) {
        return cacheDir.resolve("venvs").resolve("mlflow-" + version + "-asof-release");
    }

    /**
     * The {@code mlflow} executable of a virtualenv holding {@code mlflow==version}, PyMySQL, cryptography and boto3, with every
     * dependency resolved as of that release: uv's {@code --exclude-newer} with the cutoff {@link ReleaseDate} gives
     * (the release's last upload on PyPI plus one day, so the sibling packages of the same release are in). An old
     * release on today's dependencies does not start (2.x with SQLAlchemy 2.1: pitfalls.md); bounding by date needs no
     * per-version pins. How it was resolved is kept in the venv ({@link #mlflowResolution}) for the report.
     */
    public Path mlflow(String version) {
        if (!version.matches("[0-9][0-9A-Za-z.+-]*")) {
            throw new StackException(
                    "mlflow", "'" + version + "' is not an MLflow version", "pass --mlflow-version like 3.17.2");
        }
        Path venv = mlflowVenv(config.cacheDir(), version);
        Path mlflow = venv.resolve("bin/mlflow");
        if (Files.exists(venv.resolve(COMPLETE))
                && Files.exists(venv.resolve(WITH_CRYPTOGRAPHY))
                && Files.exists(venv.resolve(BYTECODE))) {
            return mlflow;
        }
        return once(venv, () -> {
            installMlflow(version, venv, mlflow);
            addCryptography(version, venv, mlflow);
            compileBytecode(venv);
            return mlflow;
        });
    }

    /**
     * PyMySQL logs in with MySQL's default caching_sha2_password (MySQL 8.4, 9.x: no other plugin) over a plain
     * connection only with the cryptography package, which MLflow 2.x does not pull in; a virtualenv made before this
     * gets it added, resolved as of the same cutoff.
     */
    private Path addCryptography(String version, Path venv, Path mlflow) {
        if (!Files.exists(venv.resolve(WITH_CRYPTOGRAPHY))) {
            if (!mayInstall()) {
                throw new StackException(
                        "mlflow",
                        venv + " lacks the cryptography package PyMySQL needs for MySQL (--no-install given)",
                        "run once without --no-install");
            }
            Path log = logDir.resolve("install-mlflow-" + version + ".log");
            out.accept("adding cryptography (PyMySQL's caching_sha2_password for MySQL) to " + venv);
            run(
                    "mlflow",
                    List.of(
                            uv().toString(),
                            "pip",
                            "install",
                            "--python",
                            venv.resolve("bin/python").toString(),
                            "--exclude-newer",
                            ReleaseDate.ofMlflow(version).cutoff().toString(),
                            "cryptography"),
                    log,
                    "see " + log);
            write(venv.resolve(WITH_CRYPTOGRAPHY), "");
            delete(venv.resolve(BYTECODE)); // compiled again with it (what is compiled already is skipped)
        }
        return mlflow;
    }

    /**
     * Compiles every module of {@code venv} to bytecode, once (marked by {@link #BYTECODE}). uv installs without
     * bytecode, and where Python may not write it ({@code PYTHONDONTWRITEBYTECODE}, a read-only cache) every process
     * compiled MLflow from source at each start: the server's parent, job runner and four workers importing at once
     * took 44 to 58 s to answer on 2 cores, 17 s with bytecode; the official client, 10 s to import instead of 4.
     * A failure costs only that time: it is said, and the venv is used as it is.
     */
    private void compileBytecode(Path venv) {
        if (Files.exists(venv.resolve(BYTECODE))) {
            return;
        }
        Path log = logDir.resolve("compile-" + venv.getFileName() + ".log");
        out.accept("compiling " + venv.getFileName() + " to bytecode (once; about 20 s) ...");
        try {
            run(
                    "mlflow",
                    List.of(
                            venv.resolve("bin/python").toString(),
                            "-m",
                            "compileall",
                            "-q",
                            "-j",
                            "0",
                            venv.resolve("lib").toString()),
                    log,
                    "see " + log);
            write(venv.resolve(BYTECODE), "");
        } catch (StackException e) {
            out.accept("warning: " + e.oneLine() + "; MLflow starts from source, slower");
        }
    }

    private Path installMlflow(String version, Path venv, Path mlflow) {
        if (Files.exists(venv.resolve(COMPLETE))) {
            return mlflow; // installed by another run while this one waited for the lock
        }
        if (!mayInstall()) {
            throw new StackException(
                    "mlflow",
                    "MLflow " + version + " is not installed in " + venv + " (--no-install given)",
                    "run once without --no-install to create the virtualenv");
        }
        ReleaseDate release = ReleaseDate.ofMlflow(version);
        Path uv = uv();
        String resolution = "uv " + UV_VERSION + " pip install --exclude-newer " + release.cutoff() + " (MLflow "
                + version + " uploaded to PyPI " + release.uploaded() + ", plus one day)";
        out.accept("installing MLflow " + version + " with dependencies as of its release: " + resolution + " into "
                + venv);
        Path log = logDir.resolve("install-mlflow-" + version + ".log");
        Dirs.deleteRecursively(venv);
        run("mlflow", List.of(python(), "-m", "venv", venv.toString()), log, "install python3 with the venv module");
        run(
                "mlflow",
                List.of(
                        uv.toString(),
                        "pip",
                        "install",
                        "--python",
                        venv.resolve("bin/python").toString(),
                        "--exclude-newer",
                        release.cutoff().toString(),
                        "mlflow==" + version,
                        "pymysql",
                        "cryptography",
                        "boto3"),
                log,
                "see " + log + "; the resolver's explanation is at its end");
        write(venv.resolve(RESOLUTION), resolution);
        write(venv.resolve(WITH_CRYPTOGRAPHY), "");
        write(venv.resolve(COMPLETE), "");
        return mlflow;
    }

    /** The Python interpreter of the same virtualenv: what runs the official MLflow client of that version. */
    public Path mlflowPython(String version) {
        return mlflow(version).resolveSibling("python");
    }

    /**
     * The newest MLflow release of the minor before {@code version}'s (3.17.2 gives the newest 3.16.x; 3.0.1 the newest
     * 2.x), from PyPI's index ({@code pip index versions mlflow}): the client of users who have not upgraded yet.
     */
    public String previousMinorMlflow(String version) {
        if (!mayInstall()) {
            throw new StackException(
                    "mlflow",
                    "finding the previous minor release needs PyPI's index (--no-install given)",
                    "name the client release instead: --client-version 3.16.1");
        }
        Path log = logDir.resolve("pip-index-mlflow.log");
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        run(
                "mlflow",
                List.of(python(), "-m", "pip", "index", "versions", "mlflow", "--disable-pip-version-check"),
                log,
                "check that PyPI is reachable, or name the client release: --client-version 3.16.1");
        List<String> available = ManagedProcess.tail(log, 20).stream()
                .filter(l -> l.startsWith("Available versions:"))
                .flatMap(l ->
                        Stream.of(l.substring("Available versions:".length()).split(",")))
                .map(String::trim)
                .toList();
        return MlflowReleases.previousMinor(version, available)
                .orElseThrow(() -> new StackException(
                        "mlflow",
                        "PyPI lists no MLflow release older than " + version + "'s minor",
                        "name the client release: --client-version X.Y.Z"));
    }

    /** How the venv of {@code version} was resolved (for the stack description), or a note when it is not known. */
    public static String mlflowResolution(Path cacheDir, String version) {
        try {
            return Files.readString(mlflowVenv(cacheDir, version).resolve(RESOLUTION))
                    .strip();
        } catch (IOException e) {
            return "resolution not recorded";
        }
    }

    /** uv, the resolver, from PyPI into its own cached virtualenv (pinned, so that resolutions are repeatable). */
    private Path uv() {
        Path venv = config.cacheDir().resolve("tools").resolve("uv-" + UV_VERSION);
        Path uv = venv.resolve("bin/uv");
        if (Files.exists(venv.resolve(COMPLETE))) {
            return uv;
        }
        return once(venv, () -> installUv(venv, uv));
    }

    private Path installUv(Path venv, Path uv) {
        if (Files.exists(venv.resolve(COMPLETE))) {
            return uv;
        }
        out.accept("installing with pip: uv==" + UV_VERSION + " into " + venv);
        Path log = logDir.resolve("install-uv.log");
        Dirs.deleteRecursively(venv);
        run("uv", List.of(python(), "-m", "venv", venv.toString()), log, "install python3 with the venv module");
        run(
                "uv",
                List.of(
                        venv.resolve("bin/pip").toString(),
                        "install",
                        "--disable-pip-version-check",
                        "-q",
                        "uv==" + UV_VERSION),
                log,
                "check that PyPI is reachable");
        write(venv.resolve(COMPLETE), "");
        return uv;
    }

    /** The S3Proxy jar (the stand-in object store), fetched from Maven Central once. */
    public Path s3proxyJar() {
        Path dir = config.cacheDir().resolve("s3proxy");
        Path jar = dir.resolve("s3proxy-" + S3PROXY_VERSION + "-jar-with-dependencies.jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        if (!mayInstall()) {
            throw new StackException(
                    "s3proxy",
                    "S3Proxy " + S3PROXY_VERSION + " is not in " + dir + " (--no-install given)",
                    "run once without --no-install, or give a real RustFS with --rustfs-bin");
        }
        out.accept("fetching with Maven: org.gaul:s3proxy:" + S3PROXY_VERSION + ":jar-with-dependencies into " + dir);
        Maven.copy(
                "s3proxy",
                "org.gaul:s3proxy:" + S3PROXY_VERSION + ":jar:jar-with-dependencies",
                dir,
                logDir.resolve("install-s3proxy.log"));
        return jar;
    }

    /** Where {@link #buildRustfs} installs RustFS {@code version}: {@code <cache>/rustfs/<version>/bin/rustfs}. */
    public Path rustfsBinary(String version) {
        return RustfsBuilder.install(config.cacheDir(), version).binary();
    }

    /**
     * Builds RustFS {@code version} from crates.io into the cache ({@link RustfsBuilder}), unless the cached binary was
     * built from the same inputs. One build per version at a time: a second {@code rustfs-build} waits, then finds it
     * built.
     */
    public RustfsBuild buildRustfs(String version) {
        return new RustfsBuilder(this, config.cacheDir(), out).build(version);
    }

    /** What {@link #buildRustfs} did: {@code took} is null when the binary was already built. */
    public record RustfsBuild(String version, Path binary, Duration took, String rustc, Path log) {}

    /**
     * Runs {@code install} for the cache entry {@code dir} unless another process or thread (parallel runs, other
     * commands on the same cache) has completed it meanwhile: one at a time per entry, under a file lock beside it.
     */
    static synchronized Path once(Path dir, java.util.function.Supplier<Path> install) {
        Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
        try {
            Files.createDirectories(dir.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                return install.get();
            }
        } catch (IOException e) {
            throw new StackException(
                    "install",
                    "cannot lock " + lockFile + ": " + e.getMessage(),
                    "check that the cache directory is writable");
        }
    }

    public static Optional<Path> which(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(d -> Path.of(d, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static String python() {
        return which("python3").map(Path::toString).orElse("python3");
    }

    private void run(String component, List<String> command, Path log, String fix) {
        Command.run(component, command, log, INSTALL_TIMEOUT, fix);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
