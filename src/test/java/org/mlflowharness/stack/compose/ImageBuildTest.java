package org.mlflowharness.stack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An offline image's inputs and build context, on files of a temporary directory: no Docker involved. */
class ImageBuildTest {

    @TempDir
    Path tmp;

    private ImageBuild build() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("compose/offline/mariadb"));
        Files.writeString(dir.resolve("Dockerfile"), "FROM base\nCOPY docker-entrypoint.sh /usr/local/bin/\n");
        Path shared =
                Files.createDirectories(tmp.resolve("compose/offline/mysql")).resolve("docker-entrypoint.sh");
        Files.writeString(shared, "#!/bin/bash\nexec mysqld\n");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new ImageBuild(
                "mlflowharness/mysql:offline",
                dir,
                Map.of("BASE_IMAGE", "base"),
                Map.of("docker-entrypoint.sh", shared),
                "MariaDB",
                "mysql");
    }

    @Test
    void aSharedFileThatChangesChangesTheInputsEvenAtTheSameSize() throws IOException {
        ImageBuild b = build();
        String before = b.inputs("2", "sha256:base");
        assertThat(b.inputs("2", "sha256:base")).isEqualTo(before);
        Files.writeString(b.extraFiles().get("docker-entrypoint.sh"), "#!/bin/bash\nexec mysqlX\n");
        assertThat(b.inputs("2", "sha256:base")).isNotEqualTo(before);
        assertThat(b.inputs("3", "sha256:base")).as("another recipe").isNotEqualTo(b.inputs("2", "sha256:base"));
    }

    @Test
    void theContextHoldsTheDirectoryAndTheExtraFilesWithAnEntrypointStillExecutable() throws IOException {
        Path context = build().prepareContext(tmp.resolve("contexts"));
        assertThat(context.resolve("Dockerfile")).exists();
        assertThat(context.resolve("docker-entrypoint.sh")).hasContent("#!/bin/bash\nexec mysqld");
        assertThat(Files.isExecutable(context.resolve("docker-entrypoint.sh"))).isTrue();
        Files.writeString(context.resolve("left-over"), "from an earlier build");
        assertThat(build().prepareContext(tmp.resolve("contexts")).resolve("left-over"))
                .as("made afresh")
                .doesNotExist();
    }
}
