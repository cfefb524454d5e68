package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.model.ObjectStoreKind;
import org.mlflowharness.model.StackException;
import org.mlflowharness.stack.nativestack.ObjectStoreServer.Choice;

/** Which object store the native stack runs, from what exists (fake binaries: empty files with or without +x). */
class ObjectStoreServerTest {

    @TempDir
    Path dir;

    private Path file(String name, String mode) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void autoRunsTheCachedRustfsOfTheRequestedVersion() throws Exception {
        Path cached = file("rustfs/1.0.1/bin/rustfs", "rwxr-xr-x");
        Choice c = ObjectStoreServer.choose(ObjectStoreKind.AUTO, Optional.empty(), cached, "1.0.1");
        assertThat(c.rustfs()).isEqualTo(cached);
        assertThat(c.expectedVersion())
                .as("the cached build must report its version")
                .isEqualTo("1.0.1");
    }

    @Test
    void autoFallsBackToTheStandInSayingHowToGetRustfs() {
        Path cached = dir.resolve("rustfs/1.0.1/bin/rustfs");
        Choice c = ObjectStoreServer.choose(ObjectStoreKind.AUTO, Optional.empty(), cached, "1.0.1");
        assertThat(c.rustfs()).isNull();
        assertThat(c.note())
                .contains("S3Proxy")
                .contains("STANDS IN for RustFS")
                .contains(cached.toString())
                .contains("./harness rustfs-build --rustfs-version 1.0.1")
                .doesNotContain("\n");
    }

    @Test
    void aCachedFileThatIsNotExecutableIsNoBuild() throws Exception {
        Path cached = file("rustfs/1.0.1/bin/rustfs", "rw-r--r--");
        assertThat(ObjectStoreServer.choose(ObjectStoreKind.AUTO, Optional.empty(), cached, "1.0.1")
                        .rustfs())
                .isNull();
    }

    @Test
    void rustfsWithoutABinaryIsAOneLineErrorNamingTheFix() {
        Path cached = dir.resolve("rustfs/1.0.2/bin/rustfs");
        assertThatThrownBy(() -> ObjectStoreServer.choose(ObjectStoreKind.RUSTFS, Optional.empty(), cached, "1.0.2"))
                .isInstanceOf(StackException.class)
                .satisfies(
                        e -> assertThat(((StackException) e).oneLine())
                                .isEqualTo(
                                        "rustfs: no RustFS 1.0.2 binary at " + cached
                                                + " (--object-store rustfs) -> build it once: "
                                                + "./harness rustfs-build --rustfs-version 1.0.2 (hours on 2 cores), or pass --rustfs-bin"));
    }

    @Test
    void s3proxyIsUsedWhenAskedForEvenWithRustfsBuilt() throws Exception {
        Path cached = file("rustfs/1.0.1/bin/rustfs", "rwxr-xr-x");
        Choice c = ObjectStoreServer.choose(ObjectStoreKind.S3PROXY, Optional.empty(), cached, "1.0.1");
        assertThat(c.rustfs()).isNull();
        assertThat(c.note()).contains("--object-store s3proxy");
    }

    @Test
    void rustfsBinBeatsTheCacheAndReportsWhateverVersionItIs() throws Exception {
        Path given = file("elsewhere/rustfs", "rwxr-xr-x");
        for (ObjectStoreKind kind : new ObjectStoreKind[] {ObjectStoreKind.AUTO, ObjectStoreKind.RUSTFS}) {
            Choice c = ObjectStoreServer.choose(kind, Optional.of(given), dir.resolve("none"), "1.0.1");
            assertThat(c.rustfs()).isEqualTo(given);
            assertThat(c.expectedVersion()).isNull();
        }
    }

    @Test
    void badOrContradictoryRustfsBinFails() throws Exception {
        Path notExecutable = file("elsewhere/rustfs", "rw-r--r--");
        assertThatThrownBy(
                        () -> ObjectStoreServer.choose(ObjectStoreKind.AUTO, Optional.of(notExecutable), dir, "1.0.1"))
                .hasMessageContaining("is not an executable file");
        assertThatThrownBy(() -> ObjectStoreServer.choose(ObjectStoreKind.AUTO, Optional.of(dir), dir, "1.0.1"))
                .as("a directory")
                .hasMessageContaining("is not an executable file");
        Path given = file("other/rustfs", "rwxr-xr-x");
        assertThatThrownBy(() -> ObjectStoreServer.choose(ObjectStoreKind.S3PROXY, Optional.of(given), dir, "1.0.1"))
                .hasMessageContaining("--object-store s3proxy contradicts --rustfs-bin");
    }
}
