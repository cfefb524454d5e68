package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;

/**
 * Which release is "the previous minor" of a server version, from the list PyPI gives; an installed virtualenv is
 * compiled to bytecode once.
 */
class ToolchainTest {

    static final List<String> PYPI = List.of(
            "3.18.0",
            "3.17.2",
            "3.17.1",
            "3.16.1",
            "3.16.0",
            "3.16.2rc0",
            "3.15.2",
            "3.0.1",
            "3.0.0",
            "2.22.5",
            "2.22.4");

    @Test
    void previousMinorIsTheNewestReleaseOfTheMinorBefore() {
        assertThat(MlflowReleases.previousMinor("3.17.2", PYPI)).contains("3.16.1");
        assertThat(MlflowReleases.previousMinor("3.16.0", PYPI)).contains("3.15.2");
        assertThat(MlflowReleases.previousMinor("3.0.1", PYPI)).contains("2.22.5");
        assertThat(MlflowReleases.previousMinor("2.22.5", PYPI)).isEmpty();
    }

    @Test
    void anInstalledVenvIsCompiledToBytecodeOnceAndAFailureOnlyWarns(@TempDir Path cache) throws IOException {
        Path venv = Toolchain.mlflowVenv(cache, "9.9.9");
        Files.createDirectories(venv.resolve("bin"));
        Files.createDirectories(venv.resolve("lib/site-packages/pkg"));
        Files.writeString(venv.resolve(".complete"), "");
        Files.writeString(venv.resolve(".with-cryptography"), "");
        Files.writeString(venv.resolve("lib/site-packages/pkg/mod.py"), "X = 1\n");
        List<String> said = new ArrayList<>();
        Toolchain tools = new Toolchain(
                HarnessConfig.of(Map.of(Option.CACHE_DIR, cache.toString()), Map.of()),
                cache.resolve("logs"),
                said::add);

        // No interpreter in the venv: said, not fatal, and tried again next time.
        assertThat(tools.mlflow("9.9.9")).isEqualTo(venv.resolve("bin/mlflow"));
        assertThat(said).anyMatch(l -> l.startsWith("warning: ") && l.contains("from source"));
        assertThat(venv.resolve(Toolchain.BYTECODE)).doesNotExist();

        Files.createSymbolicLink(
                venv.resolve("bin/python"), Toolchain.which("python3").orElseThrow());
        tools.mlflow("9.9.9");
        assertThat(venv.resolve(Toolchain.BYTECODE)).exists();
        try (Stream<Path> compiled = Files.list(venv.resolve("lib/site-packages/pkg/__pycache__"))) {
            assertThat(compiled.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("mod.") && n.endsWith(".pyc"));
        }

        said.clear();
        tools.mlflow("9.9.9");
        assertThat(said).as("a compiled venv is not compiled again").isEmpty();
    }
}
