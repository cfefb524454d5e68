package org.mlflowharness.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The close match a bad option value's error suggests. */
class OptionValuesTest {

    private static final List<String> TAGS =
            List.of("artifacts", "auth", "client", "database", "health", "registry", "security", "tracking");

    @Test
    void aTypoSuggestsTheNearestKnownValue() {
        assertThat(OptionValues.closest("helth", TAGS)).contains("health");
        assertThat(OptionValues.closest("Tracking", TAGS)).as("ignoring case").contains("tracking");
        assertThat(OptionValues.closest("artefacts", TAGS)).contains("artifacts");
        assertThat(OptionValues.closest("aut", TAGS)).contains("auth");
    }

    @Test
    void somethingElseSuggestsNothing() {
        assertThat(OptionValues.closest("kubernetes", List.of("auto", "compose", "native", "external")))
                .isEmpty();
        assertThat(OptionValues.closest("load", TAGS)).isEmpty();
    }
}
