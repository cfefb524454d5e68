package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlembicHeadsTest {

    @TempDir
    Path cache;

    /** A fake install of {@code version} whose migration graph is base -> ... -> head. */
    private void install(String version, String... chain) throws IOException {
        Path versions = Toolchain.mlflowVenv(cache, version)
                .resolve("lib/python3.11/site-packages/mlflow/store/db_migrations/versions");
        Files.createDirectories(versions);
        String down = null;
        for (String rev : chain) {
            Files.writeString(
                    versions.resolve(rev + "_step.py"),
                    "revision = \"" + rev + "\"\ndown_revision = " + (down == null ? "None" : "\"" + down + "\"")
                            + "\n");
            down = rev;
        }
    }

    @Test
    void aDumpsRevisionNamesTheNewestInstalledReleaseWithThatHead() throws IOException {
        install("2.8.1", "aaa", "bbb");
        install("2.9.2", "aaa", "bbb");
        install("2.10.0", "aaa", "bbb", "ccc");
        assertThat(AlembicHeads.installed(cache)).containsExactlyInAnyOrder("2.8.1", "2.9.2", "2.10.0");
        assertThat(AlembicHeads.releaseOf("bbb", cache))
                .contains(new AlembicHeads.Release("2.9.2", "the migration scripts of the installed MLflow 2.9.2"));
        assertThat(AlembicHeads.releaseOf("ccc", cache).map(AlembicHeads.Release::version))
                .contains("2.10.0");
        assertThat(AlembicHeads.releaseOf("aaa", cache)).isEmpty(); // an intermediate revision is no release's head
    }

    @Test
    void theTableAnswersWhatIsNotInstalled() {
        assertThat(AlembicHeads.releaseOf("dc11669786a5", cache))
                .contains(new AlembicHeads.Release("3.17.2", "alembic-heads.properties"));
        assertThat(AlembicHeads.releaseOf("acf3f17fdcc7", cache).map(AlembicHeads.Release::version))
                .contains("2.9.2");
        assertThat(AlembicHeads.releaseOf("0123456789ab", cache)).isEmpty();
    }

    @Test
    void releasesOrderNumerically() {
        assertThat(AlembicHeads.compareVersions("2.9.2", "2.10.0")).isNegative();
        assertThat(AlembicHeads.compareVersions("3.0.0", "2.22.1")).isPositive();
        assertThat(AlembicHeads.compareVersions("3.1.0rc1", "3.1.0"))
                .as("same numbers: then by text")
                .isPositive();
    }

    /** Every line of alembic-heads.properties against the migration scripts of each MLflow installed on this machine. */
    @Test
    void theTableAgreesWithEveryInstalledMlflow() {
        Path real = Path.of(System.getProperty("user.home"), ".cache", "mlflow-harness");
        List<String> checked = AlembicHeads.installed(real).stream()
                .filter(v -> AlembicHeads.known(v).isPresent())
                .toList();
        assumeFalse(checked.isEmpty(), "no MLflow listed in alembic-heads.properties is installed under " + real);
        for (String v : checked) {
            Set<String> heads =
                    AlembicHeads.heads(AlembicHeads.versionsDir(real, v).orElseThrow());
            assertThat(heads)
                    .as("head of the installed MLflow %s", v)
                    .containsExactly(AlembicHeads.known(v).get());
        }
    }
}
