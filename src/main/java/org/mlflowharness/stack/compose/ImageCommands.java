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

    void run(String component, List<String> command, Path log, String fix) {
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // appended to instead
        }
        Command.run(component, command, log, BUILD_TIMEOUT, fix);
    }
}
