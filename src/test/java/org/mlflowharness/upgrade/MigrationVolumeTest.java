package org.mlflowharness.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Migration time against row counts: --rows-like's syntax, the linear model's figure and what it leaves out. */
class MigrationVolumeTest {

    @Test
    void rowsLikeIsTableEqualsCountCommaSeparated() {
        assertThat(MigrationVolume.parse("metrics=50000000, params=2_000_000"))
                .containsExactly(Map.entry("metrics", 50_000_000L), Map.entry("params", 2_000_000L));
        assertThat(MigrationVolume.parse("")).isEmpty();
        assertThatThrownBy(() -> MigrationVolume.parse("metrics"))
                .hasMessageContaining("expected table=rows")
                .hasMessageContaining("'metrics'");
        assertThatThrownBy(() -> MigrationVolume.parse("metrics=lots")).hasMessageContaining("not a row count");
        assertThatThrownBy(() -> MigrationVolume.parse("metrics=-1")).hasMessageContaining("not a row count");
    }

    @Test
    void theEstimateScalesTheMeasuredTimeAsTheLargestTableGrows() {
        MigrationVolume v = MigrationVolume.of(
                40.0,
                Map.of("metrics", 200_000L, "params", 100L, "tags", 0L),
                Map.of("metrics", 20_000_000L, "params", 20_000L));
        assertThat(v.factor())
                .as("metrics is the largest table: 100x (params would be 200x)")
                .isEqualTo(100.0);
        assertThat(v.byTable()).isEqualTo("metrics");
        assertThat(v.estimatedSeconds()).isEqualTo(4000.0);
        assertThat(v.notes()).isEmpty();
        assertThat(v.markdown())
                .contains("| metrics | 200000 | 20000000 |")
                .contains("4000.0 s")
                .contains("Model: linear in the largest table");
    }

    @Test
    void aSmallRehearsalGivesAnUpperBoundAndSaysSo() {
        MigrationVolume v = MigrationVolume.of(9.5, Map.of("metrics", 10_100L), Map.of("metrics", 50_000_000L));
        assertThat(v.estimatedSeconds()).isEqualTo(47029.7);
        assertThat(v.notes()).singleElement().asString().contains("upper bound").contains("10100 rows");
    }

    @Test
    void tablesThatCannotBeScaledAreNamedAndLeftOut() {
        MigrationVolume v =
                MigrationVolume.of(10.0, Map.of("tags", 0L, "metrics", 5L), Map.of("tags", 9L, "nosuch", 3L));
        assertThat(v.estimatedSeconds()).isNull();
        assertThat(v.notes())
                .anyMatch(n -> n.startsWith("tags: empty in the rehearsal"))
                .anyMatch(n -> n.startsWith("nosuch: not a table of FROM's database"));
        assertThat(v.markdown()).contains("No estimate");
        assertThat(MigrationVolume.of(10.0, Map.of("metrics", 5L), Map.of()).markdown())
                .contains("give production's counts with --rows-like");
    }
}
