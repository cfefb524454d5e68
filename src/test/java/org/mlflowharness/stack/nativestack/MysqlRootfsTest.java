package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MySQL root file system's cache: one directory per Debian package version and recipe, complete ones only. */
class MysqlRootfsTest {

    @TempDir
    Path cache;

    @Test
    void theKeyIsThePackageVersionAndTheRecipe() {
        assertThat(MysqlRootfs.key("9.7.4-2")).isEqualTo("mysql-9.7.4-2-" + MysqlRootfs.RECIPE);
        assertThat(MysqlRootfs.versionOf(MysqlRootfs.key("9.7.4-2"))).contains("9.7.4-2");
        assertThat(MysqlRootfs.versionOf(MysqlRootfs.key("1:10.0~rc1+b1"))).contains("1:10.0~rc1+b1");
        assertThat(MysqlRootfs.versionOf("mysql-9.7.4-2-r0"))
                .as("another recipe")
                .isEmpty();
        assertThat(MysqlRootfs.versionOf("staging")).isEmpty();
    }

    @Test
    void onlyACompleteTreeIsCachedAndTheNewestWins() throws IOException {
        MysqlRootfs rootfs = new MysqlRootfs(cache, s -> {});
        assertThat(rootfs.cached()).isEmpty();
        Path old = Files.createDirectories(cache.resolve("mysql").resolve(MysqlRootfs.key("9.7.3-1")));
        Files.createDirectories(cache.resolve("mysql").resolve(MysqlRootfs.key("9.7.4-2")));
        Files.createDirectories(cache.resolve("mysql/staging"));
        assertThat(rootfs.cached()).as("no tree is complete yet").isEmpty();
        Files.writeString(old.resolveSibling(old.getFileName() + ".complete"), "");
        assertThat(rootfs.cached()).map(MysqlRootfs.Rootfs::packageVersion).contains("9.7.3-1");
        Path newer = cache.resolve("mysql").resolve(MysqlRootfs.key("9.7.4-2"));
        Files.writeString(newer.resolveSibling(newer.getFileName() + ".complete"), "");
        old.toFile().setLastModified(System.currentTimeMillis() - 86_400_000L);
        assertThat(rootfs.cached()).map(MysqlRootfs.Rootfs::packageVersion).contains("9.7.4-2");
        assertThat(rootfs.unavailable(false)).as("a cached tree is enough").isEmpty();
    }

    @Test
    void pathsInsideTheTreeAndCommandsRunInIt() {
        MysqlRootfs.Rootfs r = new MysqlRootfs.Rootfs(Path.of("/c/mysql/x"), "9.7.4-2");
        assertThat(r.host("/srv/harness/a")).isEqualTo(Path.of("/c/mysql/x/srv/harness/a"));
        assertThat(r.chroot("mysqld", "--version")).containsExactly("chroot", "/c/mysql/x", "mysqld", "--version");
    }
}
