package org.mlflowharness.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    @Test
    void theShippedThresholdsLoad() {
        Thresholds t = Thresholds.load(Path.of("scenarios"));
        assertThat(t.of(Thresholds.Kind.THROUGHPUT)).isEqualTo(10.0);
        assertThat(t.of(Thresholds.Kind.P99)).isEqualTo(20.0);
    }

    @Test
    void unknownMissingAndNegativeKeysFailNamingThem() {
        assertThatThrownBy(() -> Thresholds.of(Map.of("throughputDown", 10), "f"))
                .hasMessageContaining("unknown key 'throughputDown'");
        assertThatThrownBy(() -> Thresholds.of(Map.of("p95UpPct", 20), "f"))
                .hasMessageContaining("missing throughputDownPct");
        assertThatThrownBy(() -> Thresholds.of(Map.of("p95UpPct", -1), "f")).hasMessageContaining("percentage >= 0");
    }
}
