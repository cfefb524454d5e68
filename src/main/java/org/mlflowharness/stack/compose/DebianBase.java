package org.mlflowharness.stack.compose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.stack.nativestack.Debootstrap;

/**
 * The Debian bookworm base of the offline image set ({@value OfflineImages#BASE}): a minbase root file system made with
 * {@code debootstrap} from the host's Debian mirror, given the host's apt sources, and turned into an image by
 * {@code docker import}. It is made again only when those inputs change.
 */
final class DebianBase {

    private final Path dir;
    private final Consumer<String> out;
    private final ImageCommands docker;

    /** @param dir the image cache directory: the root file system is made there, the logs go to its logs/ */
    DebianBase(Path dir, Consumer<String> out, ImageCommands docker) {
        this.dir = dir;
        this.out = out;
        this.docker = docker;
    }

    /** The base, made with debootstrap and docker import when missing or its inputs changed; returns its id. */
    String ensure() {
        List<Path> sources = aptSources();
        Optional<String> mirror = mirror(sources);
        StringBuilder inputs = new StringBuilder(
                OfflineImages.RECIPE + " debootstrap --variant=minbase bookworm " + mirror.orElse("(default)") + "\n");
        for (Path s : sources) {
            inputs.append(s).append('\n').append(read(s));
        }
        String hash = sha256(inputs.toString().getBytes(StandardCharsets.UTF_8));
        if (!hash.equals(docker.label(OfflineImages.BASE).orElse(""))) {
            String reason = OfflineImages.unavailableReason();
            if (reason != null) {
                throw new StackException(
                        "images",
                        reason,
                        "run ./harness docker-setup, or use --images registry where a registry answers");
            }
            Path rootfs = dir.resolve("rootfs-bookworm");
            Path log = dir.resolve("logs").resolve("debootstrap.log");
            out.accept("making the Debian bookworm base image " + OfflineImages.BASE
                    + " with debootstrap (about a minute; log: " + log + ")");
            long t0 = System.nanoTime();
            Debootstrap.make("debootstrap", "bookworm", rootfs, mirror, log);
            try {
                // The host's apt sources (updates, security), as Debian's official images.
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
            docker.importTree(
                    rootfs,
                    List.of(),
                    OfflineImages.BASE,
                    List.of(
                            "LABEL " + OfflineImages.LABEL_INPUTS + "=" + hash,
                            "LABEL " + OfflineImages.LABEL_PRODUCT + "=\"Debian bookworm (debootstrap minbase)\"",
                            "LABEL " + OfflineImages.LABEL_STANDS_IN_FOR + "=alpine",
                            // UTF-8 file names (S3Proxy stores keys as files; Java follows the locale), as the
                            // python image has them
                            "ENV LANG=C.UTF-8",
                            "CMD [\"bash\"]"),
                    log);
            Dirs.deleteRecursively(rootfs);
            out.accept(String.format("  made %s in %.0f s", OfflineImages.BASE, (System.nanoTime() - t0) / 1e9));
        }
        return docker.imageId(OfflineImages.BASE)
                .orElseThrow(() -> new StackException(
                        "images", OfflineImages.BASE + " is missing after docker import", "see the logs"));
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

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
