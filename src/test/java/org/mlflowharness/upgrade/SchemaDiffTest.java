package org.mlflowharness.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.upgrade.SchemaDiff.Difference;
import org.mlflowharness.upgrade.SchemaSnapshot.Column;
import org.mlflowharness.upgrade.SchemaSnapshot.ForeignKey;
import org.mlflowharness.upgrade.SchemaSnapshot.Index;
import org.mlflowharness.upgrade.SchemaSnapshot.Trigger;

/**
 * The schema check's comparison: a missing index or foreign key fails naming it (unless expected), a name alone
 * differing does not, every other difference is listed; and the drop-index fault it is proven with.
 */
class SchemaDiffTest {

    private static final Index PK = new Index("PRIMARY", List.of("key", "run_uuid"), true);
    private static final Index BY_RUN = new Index("index_metrics_run_uuid", List.of("run_uuid"), false);
    private static final ForeignKey TO_RUNS =
            new ForeignKey("fk_metrics_run", List.of("run_uuid"), "runs", List.of("run_uuid"), "NO ACTION", "CASCADE");

    /** A schema of two tables, metrics with the given indexes and foreign keys, and a trigger. */
    private static SchemaSnapshot schema(
            List<Index> metricIndexes, List<ForeignKey> metricKeys, String valueType, String runsCollation) {
        return new SchemaSnapshot(
                "mlflow",
                Map.of("metrics", "utf8mb4_bin", "runs", runsCollation),
                Map.of(
                        "metrics.key", new Column("varchar(250)", false, null, "utf8mb4_bin"),
                        "metrics.run_uuid", new Column("varchar(32)", false, null, "utf8mb4_bin"),
                        "metrics.value", new Column(valueType, false, null, null),
                        "runs.run_uuid", new Column("varchar(32)", false, null, "utf8mb4_bin")),
                Map.of("metrics", metricIndexes, "runs", List.of(new Index("PRIMARY", List.of("run_uuid"), true))),
                Map.of("metrics", metricKeys),
                Map.of("runs_touch", new Trigger("runs", "AFTER", "UPDATE", "SET @x = 1")));
    }

    private static SchemaSnapshot fresh() {
        return schema(List.of(PK, BY_RUN), List.of(TO_RUNS), "double", "utf8mb4_bin");
    }

    @Test
    void identicalSchemasHaveNoDifference() {
        assertThat(SchemaDiff.compare(fresh(), fresh(), Map.of())).isEmpty();
    }

    @Test
    void aMissingIndexFailsNamingIt() {
        List<Difference> d =
                SchemaDiff.compare(schema(List.of(PK), List.of(TO_RUNS), "double", "utf8mb4_bin"), fresh(), Map.of());
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo("missing-index");
            assertThat(x.object()).isEqualTo("metrics (run_uuid)");
            assertThat(x.fails()).isTrue();
            assertThat(x.oneLine()).contains("index_metrics_run_uuid");
        });
        SchemaCheck check = new SchemaCheck("fresh", 1.0, Map.of(), d);
        assertThat(check.failure())
                .startsWith("schema check: ")
                .contains("missing-index metrics (run_uuid)")
                .contains("index_metrics_run_uuid");
        RehearsalReport report = new RehearsalReport();
        report.schemaCheck = check;
        assertThat(report.failure()).contains("index_metrics_run_uuid");
        assertThat(report.markdown())
                .contains("| missing-index | metrics (run_uuid) |")
                .contains("FAILS");
    }

    @Test
    void aMissingForeignKeyFailsAndAnExpectedOneDoesNot() {
        SchemaSnapshot upgraded = schema(List.of(PK, BY_RUN), List.of(), "double", "utf8mb4_bin");
        assertThat(SchemaDiff.compare(upgraded, fresh(), Map.of()))
                .singleElement()
                .satisfies(x -> {
                    assertThat(x.kind()).isEqualTo("missing-foreign-key");
                    assertThat(x.object()).isEqualTo("metrics (run_uuid) -> runs(run_uuid)");
                    assertThat(x.fails()).isTrue();
                });
        Map<String, String> expected = SchemaDiff.parseExpected(
                "# comment\nmissing-foreign-key metrics (run_uuid) -> runs(run_uuid) | MLflow x.y never adds it\n");
        assertThat(SchemaDiff.compare(upgraded, fresh(), expected))
                .singleElement()
                .satisfies(x -> {
                    assertThat(x.fails()).isFalse();
                    assertThat(x.expected()).isEqualTo("MLflow x.y never adds it");
                });
        assertThat(new SchemaCheck("fresh", null, Map.of(), SchemaDiff.compare(upgraded, fresh(), expected)).failure())
                .isNull();
    }

    @Test
    void aNameAloneOrATypeOrACollationDifferingIsListedWithoutFailing() {
        Index renamed = new Index("ix_metrics_run", List.of("run_uuid"), false);
        List<Difference> d = SchemaDiff.compare(
                schema(List.of(PK, renamed), List.of(TO_RUNS), "float", "utf8mb3_general_ci"), fresh(), Map.of());
        assertThat(d)
                .extracting(Difference::kind)
                .containsExactlyInAnyOrder("index-name", "column-type", "table-collation");
        assertThat(d).noneMatch(Difference::fails);
        assertThat(d)
                .filteredOn(x -> x.kind().equals("column-type"))
                .singleElement()
                .satisfies(x -> assertThat(x.detail()).isEqualTo("upgraded: float; fresh install: double"));
    }

    @Test
    void extraObjectsAreListedAndMissingTablesAndColumnsFail() {
        SchemaSnapshot f = fresh();
        SchemaSnapshot upgraded = new SchemaSnapshot(
                "mlflow",
                Map.of("metrics", "utf8mb4_bin", "old_table", "latin1_swedish_ci"),
                Map.of(
                        "metrics.key",
                        f.columns().get("metrics.key"),
                        "metrics.run_uuid",
                        f.columns().get("metrics.run_uuid")),
                Map.of("metrics", List.of(PK, BY_RUN)),
                Map.of("metrics", List.of(TO_RUNS)),
                Map.of());
        List<Difference> d = SchemaDiff.compare(upgraded, f, Map.of());
        assertThat(d)
                .filteredOn(Difference::fails)
                .extracting(x -> x.kind() + " " + x.object())
                .containsExactlyInAnyOrder(
                        "missing-table runs", "missing-column metrics.value", "missing-column runs.run_uuid");
        assertThat(d)
                .filteredOn(x -> !x.fails())
                .extracting(x -> x.kind() + " " + x.object())
                .containsExactlyInAnyOrder("extra-table old_table", "missing-trigger runs_touch");
    }

    @Test
    void theDropIndexFaultNamesTableAndIndex() {
        assertThat(UpgradeFault.parse("drop-index=metrics.index_metrics_run_uuid"))
                .contains(new UpgradeFault(UpgradeFault.Action.DROP_INDEX, "metrics", "index_metrics_run_uuid"));
        assertThat(UpgradeFault.parse("drop-index=metrics.index_metrics_run_uuid")
                        .orElseThrow()
                        .toString())
                .isEqualTo("drop-index=metrics.index_metrics_run_uuid");
        assertThat(UpgradeFault.parse("truncate-table=params"))
                .contains(new UpgradeFault(UpgradeFault.Action.TRUNCATE, "params", null));
        assertThatThrownBy(() -> UpgradeFault.parse("drop-index=index_metrics_run_uuid"))
                .hasMessageContaining("drop-index=<table>.<index>");
        assertThatThrownBy(() -> UpgradeFault.parse("drop-table=metrics.x")).hasMessageContaining("drop-table=<table>");
    }

    @Test
    void theShippedExpectedDifferencesParse() {
        assertThat(SchemaDiff.expected()).allSatisfy((k, why) -> {
            assertThat(k.split(" ")[0])
                    .isIn(List.of(
                            "missing-table",
                            "missing-column",
                            "missing-index",
                            "missing-foreign-key",
                            "missing-trigger",
                            "extra-table",
                            "extra-column",
                            "extra-index",
                            "extra-foreign-key",
                            "extra-trigger",
                            "table-collation",
                            "column-type",
                            "column-null",
                            "column-default",
                            "column-collation",
                            "index-name",
                            "foreign-key-name",
                            "foreign-key-rule",
                            "trigger"));
            assertThat(why).isNotBlank();
        });
    }
}
