package org.mlflowharness.stack.compose;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.stack.nativestack.Toolchain;

/**
 * Builds the offline image set that {@code compose/docker-compose.offline.yml} selects, for an engine that reaches no
 * image registry: a Debian bookworm base made with {@code debootstrap} and {@code docker import}, then one image per
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
    private static final String RECIPE = "2";

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

    /** One image to build from a directory of compose/ (its Dockerfile and files), with extra files copied in. */
    private record Build(
            String image,
            Path context,
            Map<String, String> args,
            Map<String, Path> extraFiles,
            String product,
            String standsInFor) {}

    private final HarnessConfig config;
    private final Path composeDir;
    private final Consumer<String> out;
    private final Path dir;

    public OfflineImages(HarnessConfig config, Path composeDir, Consumer<String> out) {
        this.config = config;
        this.composeDir = composeDir;
        this.out = out;
        this.dir = config.cacheDir().resolve("docker");
    }

    /** The MLflow image the override file names for {@code version}. */
    public static String mlflowImage(String version) {
        return "mlflowharness/mlflow:" + version + "-offline";
    }

    /** Null when the set can be had here (already built, or buildable); else why not. */
    public static String unavailableReason() {
        if (Files.isExecutable(Path.of("/usr/sbin/debootstrap"))
                || Toolchain.which("debootstrap").isPresent()) {
            return null;
        }
        return "debootstrap is not installed, so the offline images cannot be built (./harness docker-setup installs it)";
    }

    /** Builds every image of the set that is missing or whose inputs changed; quick when all are current. */
    public void ensure() {
        long t0 = System.nanoTime();
        boolean baseBuilt = !label(BASE).isPresent();
        String base = ensureBase();
        List<Build> builds = new ArrayList<>();
        builds.add(new Build(
                "mlflowharness/mysql:offline",
                offline("mysql"),
                Map.of("BASE_IMAGE", BASE),
                Map.of(),
                "MariaDB from Debian bookworm",
                "mysql"));
        builds.add(rustfs());
        builds.add(new Build(
                "mlflowharness/aws-cli:offline",
                offline("aws-cli"),
                Map.of("BASE_IMAGE", BASE),
                Map.of(),
                "aws-cli v2 from Debian bookworm (awscli)",
                "amazon/aws-cli"));
        builds.add(new Build(
                "mlflowharness/nginx-proxy:offline",
                offline("nginx-proxy"),
                Map.of("BASE_IMAGE", BASE),
                Map.of(),
                "nginx from Debian bookworm with a VIRTUAL_HOST generator",
                "nginxproxy/nginx-proxy"));
        builds.add(new Build(
                "mlflowharness/python:offline",
                offline("python"),
                Map.of("BASE_IMAGE", BASE),
                Map.of(),
                "Python 3.11 from Debian bookworm",
                "python"));
        int built = baseBuilt ? 1 : 0;
        for (Build b : builds) {
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
                        new Build(
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
                        imageId("mlflowharness/python:offline").orElseThrow())
                ? 1
                : 0;
        out.accept(String.format(
                "offline images: %s in %.0f s (cache: labels %s; logs: %s)",
                built == 0 ? "all current" : built + " built",
                (System.nanoTime() - t0) / 1e9,
                LABEL_INPUTS,
                dir.resolve("logs")));
    }

    private Path offline(String name) {
        return composeDir.resolve("offline").resolve(name);
    }

    /** RustFS itself when a binary is at hand (--rustfs-bin, or one built under the cache), else the S3Proxy stand-in. */
    private Build rustfs() {
        Optional<Path> binary = rustfsBinary();
        if (binary.isPresent()) {
            return new Build(
                    "mlflowharness/rustfs:offline",
                    offline("rustfs"),
                    Map.of("BASE_IMAGE", BASE),
                    Map.of("rustfs", binary.get()),
                    "RustFS itself: the binary " + binary.get(),
                    null);
        }
        Path jar = new Toolchain(config, dir.resolve("logs"), out).s3proxyJar();
        return new Build(
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
    private boolean ensure(Build b, String baseId) {
        String inputs = hash(b, baseId);
        if (inputs.equals(label(b.image()).orElse(""))) {
            return false;
        }
        Path context = dir.resolve("context").resolve(b.image().replaceAll("[^A-Za-z0-9.-]", "_"));
        Dirs.deleteRecursively(context);
        try {
            copyTree(b.context(), context);
            for (Map.Entry<String, Path> e : b.extraFiles().entrySet()) {
                Path target = context.resolve(e.getKey());
                Files.createDirectories(target.getParent());
                try {
                    Files.createLink(target, e.getValue());
                } catch (IOException | UnsupportedOperationException crossDevice) {
                    Files.copy(e.getValue(), target);
                }
            }
        } catch (IOException e) {
            throw new StackException(
                    "images",
                    "cannot prepare the build context " + context + ": " + e.getMessage(),
                    "check --cache-dir");
        }
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
        run(
                b.image(),
                cmd,
                log,
                "see the log; Debian's package mirrors must be reachable from the host (docker build --network host)");
        out.accept(String.format("  built %s in %.0f s", b.image(), (System.nanoTime() - t0) / 1e9));
        Dirs.deleteRecursively(context);
        return true;
    }

    /** The Debian base, made with debootstrap and docker import when missing or its inputs changed; returns its id. */
    private String ensureBase() {
        List<Path> sources = aptSources();
        Optional<String> mirror = mirror(sources);
        StringBuilder inputs = new StringBuilder(
                RECIPE + " debootstrap --variant=minbase bookworm " + mirror.orElse("(default)") + "\n");
        for (Path s : sources) {
            inputs.append(s).append('\n').append(read(s));
        }
        String hash = sha256(inputs.toString().getBytes(StandardCharsets.UTF_8));
        if (!hash.equals(label(BASE).orElse(""))) {
            String reason = unavailableReason();
            if (reason != null) {
                throw new StackException(
                        "images",
                        reason,
                        "run ./harness docker-setup, or use --images registry where a registry answers");
            }
            Path rootfs = dir.resolve("rootfs-bookworm");
            Path log = dir.resolve("logs").resolve("debootstrap.log");
            out.accept("making the Debian bookworm base image " + BASE + " with debootstrap (about a minute; log: "
                    + log + ")");
            long t0 = System.nanoTime();
            Dirs.deleteRecursively(rootfs);
            List<String> debootstrap =
                    new ArrayList<>(List.of("debootstrap", "--variant=minbase", "bookworm", rootfs.toString()));
            mirror.ifPresent(debootstrap::add);
            run("debootstrap", debootstrap, log, "see the log; Debian's package mirrors must be reachable");
            try {
                // As Debian's official images: no service starts in a build; the host's apt sources (updates,
                // security).
                Path policy = rootfs.resolve("usr/sbin/policy-rc.d");
                Files.writeString(policy, "#!/bin/sh\nexit 101\n");
                policy.toFile().setExecutable(true);
                Files.deleteIfExists(rootfs.resolve("etc/apt/sources.list"));
                for (Path s : sources) {
                    Files.copy(
                            s,
                            rootfs.resolve("etc/apt")
                                    .resolve(
                                            s.getParent()
                                                            .getFileName()
                                                            .toString()
                                                            .equals("sources.list.d")
                                                    ? "sources.list.d/" + s.getFileName()
                                                    : s.getFileName().toString()));
                }
                Dirs.deleteRecursively(rootfs.resolve("var/lib/apt/lists"));
                Dirs.deleteRecursively(rootfs.resolve("var/cache/apt/archives"));
                Files.createDirectories(rootfs.resolve("var/lib/apt/lists/partial"));
                Files.createDirectories(rootfs.resolve("var/cache/apt/archives/partial"));
            } catch (IOException e) {
                throw new StackException(
                        "images", "cannot prepare " + rootfs + ": " + e.getMessage(), "check --cache-dir");
            }
            run(
                    "docker import",
                    List.of(
                            "bash",
                            "-c",
                            "set -o pipefail; tar -C \"$0\" -c . | docker import"
                                    + " --change 'LABEL " + LABEL_INPUTS + "=" + hash + "'"
                                    + " --change 'LABEL " + LABEL_PRODUCT
                                    + "=\"Debian bookworm (debootstrap minbase)\"'"
                                    + " --change 'LABEL " + LABEL_STANDS_IN_FOR + "=alpine'"
                                    // UTF-8 file names (S3Proxy stores keys as files; Java follows the locale): as the
                                    // python image does.
                                    + " --change 'ENV LANG=C.UTF-8'"
                                    + " --change 'CMD [\"bash\"]' - " + BASE,
                            rootfs.toString()),
                    log,
                    "see the log");
            Dirs.deleteRecursively(rootfs);
            out.accept(String.format("  made %s in %.0f s", BASE, (System.nanoTime() - t0) / 1e9));
        }
        return imageId(BASE)
                .orElseThrow(
                        () -> new StackException("images", BASE + " is missing after docker import", "see the logs"));
    }

    /** The host's enabled apt sources (debootstrap's minbase has the release only: no updates, no security). */
    private static List<Path> aptSources() {
        List<Path> sources = new ArrayList<>();
        Path list = Path.of("/etc/apt/sources.list");
        if (Files.isRegularFile(list)) {
            sources.add(list);
        }
        try (Stream<Path> d = Files.list(Path.of("/etc/apt/sources.list.d"))) {
            d.filter(p -> p.toString().endsWith(".sources") || p.toString().endsWith(".list"))
                    .filter(p -> read(p).contains("bookworm"))
                    .sorted()
                    .forEach(sources::add);
        } catch (IOException e) {
            // no sources.list.d
        }
        return sources;
    }

    /** The host's Debian mirror for bookworm, so debootstrap uses the mirror apt uses; empty: debootstrap's default. */
    static Optional<String> mirror(List<Path> sources) {
        Pattern deb822 =
                Pattern.compile("(?m)^URIs:\\s*(\\S+)[\\s\\S]*?^Suites:(?:[ \\t]+\\S+)*?[ \\t]+bookworm(?:[ \\t]|$)");
        Pattern oneLine = Pattern.compile("(?m)^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)\\s+bookworm\\s");
        for (Path s : sources) {
            for (String stanza : read(s).split("\\n\\s*\\n")) {
                Matcher m = deb822.matcher(stanza);
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
                m = oneLine.matcher(stanza);
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
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
                BUILD_TIMEOUT,
                "see " + log + "; pick a released version: pip index versions mlflow");
        try {
            Files.writeString(wheels.resolve(".complete"), "");
        } catch (IOException e) {
            throw new StackException("images", "cannot write " + wheels + ": " + e.getMessage(), "check --cache-dir");
        }
        return wheels;
    }

    /** The inputs of a build: its directory's files, the extra files (wheels by name and size), the args, the base. */
    private String hash(Build b, String baseId) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((RECIPE + "\n" + baseId + "\n" + new java.util.TreeMap<>(b.args()) + "\n" + b.product() + "\n"
                            + b.standsInFor() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.walk(b.context())) {
                for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                    md.update(b.context().relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                    md.update(Files.readAllBytes(p));
                }
            }
            for (Map.Entry<String, Path> e : b.extraFiles().entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                if (e.getKey().startsWith("wheels/")) {
                    md.update(Long.toString(Files.size(e.getValue())).getBytes(StandardCharsets.UTF_8));
                } else {
                    try (InputStream in = Files.newInputStream(e.getValue())) {
                        byte[] buf = new byte[1 << 16];
                        for (int n; (n = in.read(buf)) > 0; ) {
                            md.update(buf, 0, n);
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 32);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new StackException(
                    "images", "cannot hash the inputs of " + b.image() + ": " + e.getMessage(), "check " + b.context());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The image's inputs label, or empty when the image does not exist. */
    private Optional<String> label(String image) {
        return inspect(image, "{{index .Config.Labels \"" + LABEL_INPUTS + "\"}}");
    }

    private Optional<String> imageId(String image) {
        return inspect(image, "{{.Id}}");
    }

    private Optional<String> inspect(String image, String format) {
        Command.Output o = Command.capture(
                "images",
                List.of("docker", "image", "inspect", "--format", format, image),
                Map.of(),
                dir.resolve("logs").resolve("inspect.log"),
                "./harness docker-setup installs it");
        return o.succeeded() && !o.text().isEmpty() && !o.text().equals("<no value>")
                ? Optional.of(o.text())
                : Optional.empty();
    }

    private void run(String component, List<String> command, Path log, String fix) {
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // appended to instead
        }
        Command.run(component, command, log, BUILD_TIMEOUT, fix);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
