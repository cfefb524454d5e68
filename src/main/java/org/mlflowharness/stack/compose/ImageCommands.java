package org.mlflowharness.stack.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflowharness.proc.Command;

/**
 * The docker commands the offline image set is made with: what an image's inputs label says, its id, and a build step
 * run with a fresh log and the build timeout.
 */
final class ImageCommands {

    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

    private final Path dir;

    /** @param dir the image cache directory; {@code docker image inspect} logs to its logs/inspect.log */
    ImageCommands(Path dir) {
        this.dir = dir;
    }

    /** The image's inputs label, or empty when the image does not exist. */
    Optional<String> label(String image) {
        return inspect(image, "{{index .Config.Labels \"" + OfflineImages.LABEL_INPUTS + "\"}}");
    }

    Optional<String> imageId(String image) {
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

    /**
     * Makes {@code image} of the root file system {@code rootfs} ({@code docker import}), without the paths of
     * {@code excludes} (relative, {@code ./srv/x}), with each {@code docker import --change} of {@code changes}.
     */
    void importTree(Path rootfs, List<String> excludes, String image, List<String> changes, Path log) {
        StringBuilder script = new StringBuilder("set -o pipefail; tar -C \"$0\"");
        excludes.forEach(e -> script.append(" --exclude='").append(e).append("'"));
        script.append(" -c . | docker import");
        changes.forEach(c -> script.append(" --change '").append(c).append("'"));
        script.append(" - ").append(image);
        run("docker import", List.of("bash", "-c", script.toString(), rootfs.toString()), log, "see the log");
    }

    void run(String component, List<String> command, Path log, String fix) {
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // appended to instead
        }
        Command.run(component, command, log, BUILD_TIMEOUT, fix);
    }
}
