package org.mlflowharness.stack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The base image uses the host's Debian mirror for bookworm, whichever way apt's sources are written. */
class DebianBaseTest {

    @Test
    void theMirrorComesFromTheBookwormStanzaOfDeb822Sources(@TempDir Path dir) throws Exception {
        Path sources = dir.resolve("debian.sources");
        Files.writeString(sources, """
                Types: deb
                URIs: http://mirror.example/debian-security
                Suites: bookworm-security
                Components: main

                Types: deb
                # a comment
                URIs: http://mirror.example/debian
                Suites: bookworm bookworm-updates
                Components: main
                """);
        assertThat(DebianBase.mirror(List.of(sources))).contains("http://mirror.example/debian");
    }

    @Test
    void theMirrorComesFromAOneLineBookwormEntry(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("sources.list");
        Files.writeString(list, "deb [arch=amd64] http://mirror.example/debian bookworm main\n");
        assertThat(DebianBase.mirror(List.of(list))).contains("http://mirror.example/debian");
    }

    @Test
    void withoutABookwormEntryDebootstrapKeepsItsDefault(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("sources.list");
        Files.writeString(list, "deb http://mirror.example/debian trixie main\n");
        assertThat(DebianBase.mirror(List.of(list))).isEmpty();
    }
}
