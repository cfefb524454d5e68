package org.mlflowharness.stack.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.model.DatabaseKind;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.stack.nativestack.Debootstrap;
import org.mlflowharness.stack.nativestack.MysqlRootfs;
import org.mlflowharness.stack.nativestack.Toolchain;

/**
 * Builds the offline image set that {@code compose/docker-compose.offline.yml} selects, for an engine that reaches no
 * image registry: a Debian bookworm base made with {@code debootstrap} and {@code docker import} ({@link DebianBase}), then one image per
 * {@code compose/offline/<dir>/Dockerfile} (Debian packages through {@code docker build --network host}), S3Proxy or a
 * RustFS binary copied into the build context, and MLflow's own {@code compose/mlflow/Dockerfile} on the local Python
 * base with wheels fetched on the host by {@code pip download}. Every image carries the hash of its inputs in the
 * label {@value #LABEL_INPUTS} and is rebuilt only when they change. Logs: {@code <cache-dir>/docker/logs/}.
 */
public final class OfflineImages {

    public static final String LABEL_INPUTS = "org.mlflowharness.inputs";
    /** What the image runs, e.g. "MariaDB from Debian bookworm". */
    public static final String LABEL_PRODUCT = "org.mlflowharness.product";
    /** The repository of the image it replaces, when it is a stand-in (e.g. "mysql"); empty or absent for the real product. */
    public static final String LABEL_STANDS_IN_FOR = "org.mlflowharness.stands-in-for";

    static final String BASE = "mlflowharness/debian:bookworm";
    /** Bump when the way images are made changes without any input file changing. */
    static final String RECIPE = "2";

    private final HarnessConfig config;
    private final Path composeDir;
    private final Consumer<String> out;
    private final Path dir;
    private final ImageCommands docker;

    public OfflineImages(HarnessConfig config, Path composeDir, Consumer<String> out) {
        this.config = config;
        this.composeDir = composeDir;
        this.out = out;
        this.dir = config.cacheDir().resolve("docker");
        this.docker = new ImageCommands(dir);
    }

    /** The MLflow image the override file names for {@code version}. */
    public static String mlflowImage(String version) {
        return "mlflowharness/mlflow:" + version + "-offline";
    }

    /** Null when the set can be had here (already built, or buildable); else why not. */
    public static String unavailableReason() {
        if (Files.isExecutable(Path.of("/usr/sbin/debootstrap")) || Debootstrap.installed()) {
            return null;
        }
        return "debootstrap is not installed, so the offline images cannot be built (./harness docker-setup installs it)";
    }

    /** Builds every image of the set that is missing or whose inputs changed; quick when all are current. */
    public void ensure() {
        long t0 = System.nanoTime();
        boolean baseBuilt = !docker.label(BASE).isPresent();
        String base = new DebianBase(dir, out, docker).ensure();
        List<ImageBuild> builds = new ArrayList<>();
        int built = baseBuilt ? 1 : 0;
        Optional<MysqlRootfs.Rootfs> mysql = mysqlTree();
        String dbBase = base;
        if (mysql.isPresent()) {
            built += mysqlBase(mysql.get()) ? 1 : 0;
            dbBase = docker.imageId(mysqlBaseImage(mysql.get())).orElseThrow();
        }
        builds.add(mysql.map(r -> new ImageBuild(
                        "mlflowharness/mysql:offline",
                        offline("mysql"),
                        Map.of("BASE_IMAGE", mysqlBaseImage(r)),
                        Map.of(),
                        "MySQL " + r.packageVersion() + " from Debian sid (" + MysqlRootfs.SERVER_PACKAGE + ")",
                        null))
                .orElseGet(() -> new ImageBuild(
                        "mlflowharness/mysql:offline",
                        offline("mariadb"),
                        Map.of("BASE_IMAGE", BASE),
                        // one entrypoint, the mysql image's contract, for MySQL and for MariaDB standing in
                        Map.of("docker-entrypoint.sh", offline("mysql").resolve("docker-entrypoint.sh")),
                        "MariaDB from Debian bookworm",
                        "mysql")));
        built += ensure(builds.remove(0), dbBase) ? 1 : 0;
        builds.add(rustfs());
        builds.add(new ImageBuild(
                "mlflowharness/aws-cli:offline",
                offline("aws-cli"),
                Map.of("BASE_IMAGE", BASE),
                Map.of(),
                "aws-cli v2 from Debian bookworm (awscli)",
                "amazon/aws-cli"));
        builds.add(new ImageBuild(
                "mlflowharness/nginx-proxy:offline",
                offline("nginx-proxy"),
                Map.of("BASE_IMAGE", BASE),
                Map.of(),
                "nginx from Debian bookworm with a VIRTUAL_HOST generator",
                "nginxproxy/nginx-proxy"));
        builds.add(new ImageBuild(
                "mlflowharness/python:offline",
                offline("python"),
                Map.of("BASE_IMAGE", BASE),
                Map.of(),
                "Python 3.11 from Debian bookworm",
                "python"));
        for (ImageBuild b : builds) {
            built += ensure(b, base) ? 1 : 0;
        }
        String version = config.mlflowVersion();
        Path wheels = wheels(version);
        Map<String, Path> wheelFiles = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(wheels)) {
            files.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .forEach(p -> wheelFiles.put("wheels/" + p.getFileName(), p));
        } catch (IOException e) {
            throw new StackException(
                    "images", "cannot list " + wheels + ": " + e.getMessage(), "delete it to fetch the wheels again");
        }
        built += ensure(
                        new ImageBuild(
                                mlflowImage(version),
                                composeDir.resolve("mlflow"),
                                Map.of(
                                        "MLFLOW_VERSION",
                                        version,
                                        "BASE_IMAGE",
                                        "mlflowharness/python:offline",
                                        "PIP_OPTIONS",
                                        "--no-index --find-links /tmp/wheels"),
                                wheelFiles,
                                "MLflow " + version
                                        + " from PyPI wheels, compose/mlflow/Dockerfile on Debian's Python 3.11 (not python:"
                                        + "3.13-slim)",
                                null),
                        docker.imageId("mlflowharness/python:offline").orElseThrow())
                ? 1
                : 0;
        out.accept(String.format(
                "offline images: %s in %.0f s (cache: labels %s; logs: %s)",
                built == 0 ? "all current" : built + " built",
                (System.nanoTime() - t0) / 1e9,
                LABEL_INPUTS,
                dir.resolve("logs")));
    }

    /**
     * The MySQL tree the db image is made of (made first when missing): {@code --database mysql}, or auto when MySQL
     * can be had; empty for the MariaDB stand-in, saying why in one line for auto.
     */
    private Optional<MysqlRootfs.Rootfs> mysqlTree() {
        MysqlRootfs rootfs = new MysqlRootfs(config.cacheDir(), out);
        DatabaseKind kind = config.database();
        Optional<String> unavailable =
                kind == DatabaseKind.MARIADB ? Optional.empty() : rootfs.unavailable(!config.flag(Option.NO_INSTALL));
        if (MysqlRootfs.choose(kind, unavailable) == DatabaseKind.MYSQL) {
            return Optional.of(rootfs.ensure(new Toolchain(config, dir.resolve("logs"), out)));
        }
        if (kind == DatabaseKind.AUTO) {
            out.accept(MysqlRootfs.standInNote(unavailable.orElse("")));
        }
        return Optional.empty();
    }

    /** The image of the MySQL tree, by its package version (a Docker tag: no epoch colon). */
    static String mysqlBaseImage(MysqlRootfs.Rootfs r) {
        return "mlflowharness/mysql-sid:" + r.packageVersion().replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** Imports the MySQL tree as an image unless it is there already; true when it did. */
    private boolean mysqlBase(MysqlRootfs.Rootfs r) {
        String image = mysqlBaseImage(r);
        String key = RECIPE + "-" + r.dir().getFileName();
        if (key.equals(docker.label(image).orElse(""))) {
            return false;
        }
        Path log = dir.resolve("logs").resolve("import-mysql-sid.log");
        out.accept("importing " + r.dir() + " as " + image + " (log: " + log + ")");
        long t0 = System.nanoTime();
        docker.importTree(
                r.dir(),
                // the native stacks' servers keep their data in the tree
                List.of("./srv/harness"),
                image,
                List.of(
                        "LABEL " + LABEL_INPUTS + "=" + key,
                        "LABEL " + LABEL_PRODUCT + "=\"MySQL " + r.packageVersion() + " from Debian sid\"",
                        "LABEL " + LABEL_STANDS_IN_FOR + "=",
                        "ENV LANG=C.UTF-8",
                        "CMD [\"bash\"]"),
                log);
        out.accept(String.format("  imported %s in %.0f s", image, (System.nanoTime() - t0) / 1e9));
        return true;
    }

    private Path offline(String name) {
        return composeDir.resolve("offline").resolve(name);
    }

    /** RustFS itself when a binary is at hand (--rustfs-bin, or one built under the cache), else the S3Proxy stand-in. */
    private ImageBuild rustfs() {
        Optional<Path> binary = rustfsBinary();
        if (binary.isPresent()) {
            return new ImageBuild(
                    "mlflowharness/rustfs:offline",
                    offline("rustfs"),
                    Map.of("BASE_IMAGE", BASE),
                    Map.of("rustfs", binary.get()),
                    "RustFS itself: the binary " + binary.get(),
                    null);
        }
        Path jar = new Toolchain(config, dir.resolve("logs"), out).s3proxyJar();
        return new ImageBuild(
                "mlflowharness/rustfs:offline",
                offline("s3proxy"),
                Map.of("BASE_IMAGE", BASE, "S3PROXY_VERSION", Toolchain.S3PROXY_VERSION),
                Map.of("s3proxy.jar", jar),
                "S3Proxy " + Toolchain.S3PROXY_VERSION + " from Maven Central behind nginx",
                "rustfs/rustfs");
    }

    /** --rustfs-bin, else {@code <cache>/rustfs/<version>/bin/rustfs}: the wanted version first, else the newest. */
    Optional<Path> rustfsBinary() {
        Optional<String> given = config.optional(Option.RUSTFS_BIN);
        if (given.isPresent()) {
            return Optional.of(Path.of(given.get())).filter(Files::isExecutable);
        }
        Path builds = config.cacheDir().resolve("rustfs");
        Path wanted = builds.resolve(config.get(Option.RUSTFS_VERSION)).resolve("bin/rustfs");
        if (Files.isExecutable(wanted)) {
            return Optional.of(wanted);
        }
        try (Stream<Path> versions = Files.list(builds)) {
            return versions.map(v -> v.resolve("bin/rustfs"))
                    .filter(Files::isExecutable)
                    .max((a, b) -> a.getParent()
                            .getParent()
                            .getFileName()
                            .toString()
                            .compareTo(b.getParent().getParent().getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Builds {@code b} unless an image with the same inputs exists; true when it built. */
    private boolean ensure(ImageBuild b, String baseId) {
        String inputs = b.inputs(RECIPE, baseId);
        if (inputs.equals(docker.label(b.image()).orElse(""))) {
            return false;
        }
        Path context = b.prepareContext(dir.resolve("context"));
        List<String> cmd = new ArrayList<>(List.of(
                "docker",
                "build",
                "--network",
                "host",
                "--force-rm",
                "-t",
                b.image(),
                "--label",
                LABEL_INPUTS + "=" + inputs,
                "--label",
                LABEL_PRODUCT + "=" + b.product()));
        // empty for the real product: the Debian base stands in for alpine, and its label is inherited otherwise
        cmd.addAll(List.of("--label", LABEL_STANDS_IN_FOR + "=" + Objects.requireNonNullElse(b.standsInFor(), "")));
        b.args().forEach((k, v) -> cmd.addAll(List.of("--build-arg", k + "=" + v)));
        cmd.add(context.toString());
        Path log = dir.resolve("logs").resolve("build-" + context.getFileName() + ".log");
        out.accept("building " + b.image() + " (" + b.product() + ") from " + b.context() + " ... (log: " + log + ")");
        long t0 = System.nanoTime();
        docker.run(
                b.image(),
                cmd,
                log,
                "see the log; Debian's package mirrors must be reachable from the host (docker build --network host)");
        out.accept(String.format("  built %s in %.0f s", b.image(), (System.nanoTime() - t0) / 1e9));
        Dirs.deleteRecursively(context);
        return true;
    }

    /** MLflow {@code version}, mysqlclient and boto3 with every dependency, downloaded once per version on the host. */
    private Path wheels(String version) {
        Path wheels = config.cacheDir().resolve("wheels").resolve("mlflow-" + version);
        if (Files.exists(wheels.resolve(".complete"))) {
            return wheels;
        }
        if (config.flag(Option.NO_INSTALL)) {
            throw new StackException(
                    "images",
                    "no wheels for MLflow " + version + " in " + wheels + " (--no-install given)",
                    "run once without --no-install");
        }
        String python = Toolchain.which("python3").map(Path::toString).orElse("python3");
        Path log = dir.resolve("logs").resolve("pip-download-mlflow-" + version + ".log");
        out.accept("fetching wheels with pip download: mlflow==" + version + " mysqlclient boto3 into " + wheels
                + " (log: " + log + ")");
        Dirs.deleteRecursively(wheels);
        // mysqlclient is an sdist: pip reads its metadata by running its setup, which asks pkg-config for the client
        // library unless these are set. The image builds it against Debian's libmysqlclient; the host needs none.
        Command.run(
                "images",
                List.of(
                        "env",
                        "MYSQLCLIENT_CFLAGS=-I/usr/include/mysql",
                        "MYSQLCLIENT_LDFLAGS=-lmysqlclient",
                        python,
                        "-m",
                        "pip",
                        "download",
                        "--disable-pip-version-check",
                        "-q",
                        "-d",
                        wheels.toString(),
                        "mlflow==" + version,
                        "mysqlclient",
                        "boto3",
                        "setuptools",
                        "wheel"),
                log,
                ImageCommands.BUILD_TIMEOUT,
                "see " + log + "; pick a released version: pip index versions mlflow");
        try {
            Files.writeString(wheels.resolve(".complete"), "");
        } catch (IOException e) {
            throw new StackException("images", "cannot write " + wheels + ": " + e.getMessage(), "check --cache-dir");
        }
        return wheels;
    }
}
