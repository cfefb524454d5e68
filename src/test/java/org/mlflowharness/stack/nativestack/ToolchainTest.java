package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which release is "the previous minor" of a server version, from the list PyPI gives. */
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
        assertThat(Toolchain.previousMinor("3.17.2", PYPI)).contains("3.16.1");
        assertThat(Toolchain.previousMinor("3.16.0", PYPI)).contains("3.15.2");
        assertThat(Toolchain.previousMinor("3.0.1", PYPI)).contains("2.22.5");
        assertThat(Toolchain.previousMinor("2.22.5", PYPI)).isEmpty();
    }
}
