package org.mlflowharness.stack.compose;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Dirs;

/**
 * One image of the offline set, built from a directory of compose/ (its Dockerfile and files) with extra files copied
 * in (wheels, a binary, a file shared with another image), the build's args, the product it holds and the image it
 * stands in for (null for the real product).
 */
record ImageBuild(
        String image,
        Path context,
        Map<String, String> args,
        Map<String, Path> extraFiles,
        String product,
        String standsInFor) {

    /**
     * A hash of everything the image is made of: {@code recipe} (the way images are made), the base image's id, the
     * args, the product, the directory's files, and the extra files (wheels by name and size, others by content).
     */
    String inputs(String recipe, String baseId) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((recipe + "\n" + baseId + "\n" + new TreeMap<>(args) + "\n" + product + "\n" + standsInFor + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.walk(context)) {
                for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                    md.update(context.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                    md.update(Files.readAllBytes(p));
                }
            }
            for (Map.Entry<String, Path> e : extraFiles.entrySet()) {
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
                    "images", "cannot hash the inputs of " + image + ": " + e.getMessage(), "check " + context);
        }
    }

    /**
     * The build context, made afresh under {@code contexts}: the directory's files, then the extra files (hard-linked
     * where they can be: wheels are large).
     */
    Path prepareContext(Path contexts) {
        Path dir = contexts.resolve(image.replaceAll("[^A-Za-z0-9.-]", "_"));
        Dirs.deleteRecursively(dir);
        try {
            Dirs.copyRecursively(context, dir);
            for (Map.Entry<String, Path> e : extraFiles.entrySet()) {
                Path target = dir.resolve(e.getKey());
                Files.createDirectories(target.getParent());
                try {
                    Files.createLink(target, e.getValue());
                } catch (IOException | UnsupportedOperationException crossDevice) {
                    Files.copy(e.getValue(), target);
                }
            }
        } catch (IOException | IllegalStateException e) {
            throw new StackException(
                    "images", "cannot prepare the build context " + dir + ": " + e.getMessage(), "check --cache-dir");
        }
        return dir;
    }
}
