package org.mlflowharness.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-tree helpers for the harness's own work and report directories. */
public final class Dirs {

    private Dirs() {}

    /** Deletes {@code dir} and everything below it; nothing happens when it does not exist. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Bytes in the regular files under {@code dir} (0 when it does not exist or cannot be read; a file deleted while
     * walking counts 0): how much a process's temporary directory holds.
     */
    public static long bytesUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(f -> {
                        try {
                            return Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.size(f) : 0;
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * Copies {@code from} and everything below it to {@code to}, with their attributes (an entrypoint stays
     * executable); files are replaced, symbolic links not followed.
     */
    public static void copyRecursively(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(
                            p,
                            target,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
