package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mlflowharness.model.DatabaseKind;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.Dirs;

/**
 * Oracle MySQL from Debian's packages: bookworm has none, Debian's unstable suite (sid) has {@value #SERVER_PACKAGE}
 * and {@code mysql-client-core}, built against sid's libraries. So they go into a sid root file system of their own,
 * made once ({@link Debootstrap}, then apt-get in a chroot) and cached under {@code <cache>/mysql/} per Debian package
 * version: the directory's name is the key ({@link #key}). sid moves; the newest cached one is used until it is
 * deleted. The native stack runs mysqld in it by chroot; the offline image set imports it as the {@code db} image.
 */
public final class MysqlRootfs {

    public static final String SUITE = "sid";
    public static final String SERVER_PACKAGE = "mysql-server-core";
    static final List<String> PACKAGES = List.of(SERVER_PACKAGE, "mysql-client-core");
    /** Changes when the way the tree is made changes, so that an older tree is not taken for a current one. */
    static final String RECIPE = "r1";

    private static final String COMPLETE = ".complete";
    private static final Pattern KEY = Pattern.compile("mysql-([0-9][0-9A-Za-z.+~:-]*)-" + RECIPE);
    private static final String MIRROR_HOST = "deb.debian.org";

    /** A made tree: where it is, and the Debian version of {@value #SERVER_PACKAGE} in it. */
    public record Rootfs(Path dir, String packageVersion) {

        /** {@code path} inside the tree, as the host sees it ({@code /srv/x} is {@code <dir>/srv/x}). */
        public Path host(String path) {
            return dir.resolve(path.replaceFirst("^/+", ""));
        }

        /** {@code command} run inside the tree by chroot. */
        public List<String> chroot(String... command) {
            return Stream.concat(Stream.of("chroot", dir.toString()), Stream.of(command))
                    .toList();
        }
    }

    private final Path root;
    private final Consumer<String> out;

    /** @param cacheDir the harness cache: the trees go to its {@code mysql/} */
    public MysqlRootfs(Path cacheDir, Consumer<String> out) {
        this.root = cacheDir.resolve("mysql");
        this.out = out;
    }

    /** The cache directory name of a tree holding {@value #SERVER_PACKAGE} {@code packageVersion}. */
    static String key(String packageVersion) {
        return "mysql-" + packageVersion + "-" + RECIPE;
    }

    /** The package version a cache directory name stands for, when it is one of this recipe. */
    static Optional<String> versionOf(String dirName) {
        Matcher m = KEY.matcher(dirName);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The newest complete tree of this recipe in the cache, if any. */
    public Optional<Rootfs> cached() {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.exists(d.resolveSibling(d.getFileName() + COMPLETE)))
                    .flatMap(d -> versionOf(d.getFileName().toString()).map(v -> new Rootfs(d, v)).stream())
                    .max(Comparator.comparing(r -> r.dir().toFile().lastModified()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Why this machine cannot have MySQL now, or empty when it can: a cached tree, or debootstrap (installed, or
     * installable with apt when {@code mayInstall}) with Debian's mirror answering.
     */
    public Optional<String> unavailable(boolean mayInstall) {
        if (cached().isPresent()) {
            return Optional.empty();
        }
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get")) || !Files.isExecutable(Path.of("/usr/sbin/chroot"))) {
            return Optional.of("this is not a Debian host with chroot (MySQL comes from Debian's sid packages)");
        }
        if (!Debootstrap.installed() && !mayInstall) {
            return Optional.of("debootstrap is not installed and --no-install is given");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(MIRROR_HOST, 80), 3000);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(MIRROR_HOST + " does not answer (" + e.getMessage() + ") and no MySQL tree is cached");
        }
    }

    /** What runs: MySQL when asked for (an error naming why not when it cannot be had) or when auto can have it. */
    public static DatabaseKind choose(DatabaseKind kind, Optional<String> unavailable) {
        return switch (kind) {
            case MARIADB -> DatabaseKind.MARIADB;
            case MYSQL -> {
                if (unavailable.isPresent()) {
                    throw new StackException(
                            "database",
                            "--database mysql: " + unavailable.get(),
                            "install debootstrap (apt-get install debootstrap) with Debian's mirror reachable once, "
                                    + "or use --database mariadb (the stand-in)");
                }
                yield DatabaseKind.MYSQL;
            }
            case AUTO -> unavailable.isPresent() ? DatabaseKind.MARIADB : DatabaseKind.MYSQL;
        };
    }

    /** The one line a run on the stand-in prints. */
    public static String standInNote(String why) {
        return "database: MariaDB, the stand-in for MySQL (" + why + "); for real MySQL install debootstrap with "
                + "Debian's mirror reachable once, then --database mysql";
    }

    /**
     * The cached tree, or a new one (debootstrap sid, then the packages), saying what it sets up and how long that
     * took; one maker at a time per cache.
     */
    public Rootfs ensure(Toolchain tools) {
        Optional<Rootfs> have = cached();
        if (have.isPresent()) {
            return have.get();
        }
        Path made = Toolchain.once(
                root.resolve("rootfs"), () -> cached().map(Rootfs::dir).orElseGet(() -> make(tools)));
        return new Rootfs(made, versionOf(made.getFileName().toString()).orElseThrow());
    }

    private Path make(Toolchain tools) {
        tools.ensureAptPackages("mysql", Map.of("/usr/sbin/debootstrap", "debootstrap"));
        Path staging = root.resolve("staging");
        Path log = root.resolve("logs/make.log");
        out.accept(
                "setting up MySQL once: a Debian " + SUITE + " root file system (debootstrap --variant=minbase) with "
                        + String.join(" ", PACKAGES) + " under " + root + " (about 2 minutes; log: " + log + ")");
        long t0 = System.nanoTime();
        Debootstrap.make("mysql", SUITE, staging, Optional.empty(), log);
        Rootfs tree = new Rootfs(staging, "");
        String fix = "see " + log + "; Debian's package mirrors must be reachable";
        Command.run(
                "mysql",
                tree.chroot(Stream.concat(
                                Stream.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"),
                                PACKAGES.stream())
                        .toArray(String[]::new)),
                Map.of("DEBIAN_FRONTEND", "noninteractive"),
                log,
                Debootstrap.TIMEOUT,
                fix);
        Command.run("mysql", tree.chroot("useradd", "--system", "mysql"), log, Duration.ofMinutes(1), fix);
        Command.run("mysql", tree.chroot("apt-get", "clean"), log, Duration.ofMinutes(1), fix);
        String version = Command.output(
                "mysql", tree.chroot("dpkg-query", "-W", "-f=${Version}", SERVER_PACKAGE), Map.of(), fix);
        if (versionOf(key(version)).isEmpty()) {
            throw new StackException("mysql", "unexpected " + SERVER_PACKAGE + " version '" + version + "'", fix);
        }
        Path target = root.resolve(key(version));
        try {
            Dirs.deleteRecursively(target);
            Files.move(staging, target);
            Files.writeString(
                    target.resolveSibling(target.getFileName() + COMPLETE),
                    "debootstrap --variant=minbase " + SUITE + "; apt-get install " + String.join(" ", PACKAGES)
                            + "\n");
        } catch (IOException e) {
            throw new StackException("mysql", "cannot keep " + target + ": " + e.getMessage(), "check the cache");
        }
        out.accept(String.format(
                "  made MySQL %s (%s) in %.0f s: %s", version, SERVER_PACKAGE, (System.nanoTime() - t0) / 1e9, target));
        return target;
    }
}
