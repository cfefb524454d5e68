package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a cached RustFS build is reused, from cargo's own install record (a fake one here), and what a failed build says. */
class CargoInstallTest {

    static final String RUSTC = "rustc 1.95.0 (59807616e 2026-04-14)";

    @TempDir
    Path cache;

    CargoInstall install;

    @BeforeEach
    void setUp() {
        install = new CargoInstall("rustfs", "1.0.1", cache.resolve("rustfs/1.0.1"), cache.resolve("rustfs/target"));
    }

    private void installed(String record) throws Exception {
        Files.createDirectories(install.binary().getParent());
        Files.writeString(install.binary(), "");
        Files.setPosixFilePermissions(install.binary(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(install.root().resolve(".crates2.json"), record);
    }

    private static String record(String version, String features, String rustc) {
        return """
                {"installs":{"rustfs %s (registry+https://github.com/rust-lang/crates.io-index)":{"version_req":"=%s",
                "bins":["rustfs"],"features":%s,"all_features":false,"no_default_features":false,"profile":"release",
                "target":"x86_64-unknown-linux-gnu","rustc":"%s\\nbinary: rustc\\nhost: x86_64-unknown-linux-gnu\\n"}}}
                """.formatted(version, version, features, rustc);
    }

    @Test
    void theLayoutIsOneRootPerVersionAndOneSharedTargetDirectory() {
        assertThat(install.binary()).isEqualTo(cache.resolve("rustfs/1.0.1/bin/rustfs"));
        assertThat(install.command(Path.of("/c/cargo"), false))
                .containsExactly(
                        "nice",
                        "-n",
                        "15",
                        "/c/cargo",
                        "install",
                        "rustfs",
                        "--version",
                        "1.0.1",
                        "--locked",
                        "--ignore-rust-version",
                        "--root",
                        cache.resolve("rustfs/1.0.1").toString(),
                        "--target-dir",
                        cache.resolve("rustfs/target").toString());
        assertThat(install.command(Path.of("/c/cargo"), true)).endsWith("--force");
    }

    @Test
    void anUnchangedBuildIsReused() throws Exception {
        installed(record("1.0.1", "[]", RUSTC));
        assertThat(install.staleReason(RUSTC)).isEmpty();
        assertThat(install.builtWith()).contains(RUSTC);
    }

    @Test
    void aMissingBinaryIsBuilt() {
        assertThat(install.staleReason(RUSTC)).contains("no binary at " + install.binary());
    }

    @Test
    void changedInputsAreRebuiltSayingWhich() throws Exception {
        installed(record("1.0.1", "[]", "rustc 1.94.0 (aaaaaaaaa 2026-02-01)"));
        assertThat(install.staleReason(RUSTC))
                .hasValueSatisfying(r -> assertThat(r)
                        .contains("built with rustc 1.94.0 (aaaaaaaaa 2026-02-01), cargo now uses " + RUSTC));
        installed(record("1.0.1", "[\"full\"]", RUSTC));
        assertThat(install.staleReason(RUSTC))
                .hasValueSatisfying(r -> assertThat(r).contains("non-default features [\"full\"]"));
    }

    @Test
    void aBinaryWithoutCargosRecordOfThisVersionIsRebuilt() throws Exception {
        installed(record("1.0.0", "[]", RUSTC));
        assertThat(install.staleReason(RUSTC))
                .hasValueSatisfying(r -> assertThat(r).contains("records no rustfs 1.0.1 from crates.io"));
        installed("not json");
        assertThat(install.staleReason(RUSTC))
                .hasValueSatisfying(r -> assertThat(r).contains("cannot be read"));
    }

    @Test
    void theFirstCompilerErrorIsReportedWithItsLocation() {
        List<String> log = List.of(
                "   Compiling rustfs v1.0.1",
                "warning: unused import: `Foo`",
                "error[E0658]: use of unstable library feature `bar`",
                "   --> /root/.cargo/registry/src/index.crates.io/rustfs-1.0.1/src/main.rs:12:5",
                "error[E0599]: no method named `baz`",
                "error: could not compile `rustfs` (bin \"rustfs\") due to 2 previous errors");
        assertThat(CargoInstall.firstError(log))
                .contains("error[E0658]: use of unstable library feature `bar` "
                        + "(--> /root/.cargo/registry/src/index.crates.io/rustfs-1.0.1/src/main.rs:12:5)");
        assertThat(CargoInstall.firstError(
                        List.of("error: could not find `rustfs` in registry `crates-io` with version `=9.9.9`")))
                .contains("error: could not find `rustfs` in registry `crates-io` with version `=9.9.9`");
        assertThat(CargoInstall.firstError(List.of("   Compiling a v1", "warning: x")))
                .isEmpty();
    }
}
