package org.mlflowharness.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.stack.nativestack.AlembicHeads;
import org.mlflowharness.suites.support.ExactValues;
import org.mlflowharness.suites.support.ExactValues.Point;
import org.mlflowharness.suites.support.ScratchRun;
import org.mlflowharness.suites.support.StackSuite;

/**
 * MLflow's backend store seen directly over JDBC: what the API reports is what the tables hold, the schema is at the
 * revision the running MLflow expects, and the tables can hold any Unicode (utf8mb4).
 */
@StackSuite
@Order(4)
@Tag("database")
@DisplayName("database: rows equal the API, schema at the expected alembic head, utf8mb4 everywhere")
class DatabaseSuite {

    @Test
    @DisplayName("params, tags, metrics and latest_metrics rows of a run equal what the API returns")
    void runRowsEqualTheApi(MlflowClient mlflow, Endpoints endpoints) throws SQLException {
        DatabaseAccess db = requireDatabase(endpoints);
        try (ScratchRun run = ScratchRun.create(mlflow, "database")) {
            long t0 = 1_700_000_000_000L;
            // 4-byte UTF-8 (the emoji) only survives in utf8mb4 columns.
            Map<String, String> params = Map.of("lr", "0.001", "optimizer", "adam", "unicode", "naïve 日本語 🙂");
            Map<String, String> tags = Map.of("team", "harness", "note", "ünïcödé 🙂");
            List<Point> points = List.of(
                    new Point("loss", 0.9, t0, 0),
                    new Point("loss", 0.5, t0 + 1000, 1),
                    new Point("loss", 0.25, t0 + 2000, 2),
                    new Point("acc", 0.75, t0 + 500, 5));
            mlflow.post(
                    "/runs/log-batch",
                    Map.of(
                            "run_id",
                            run.runId(),
                            "params",
                            params.entrySet().stream()
                                    .map(e -> Map.of("key", e.getKey(), "value", e.getValue()))
                                    .toList(),
                            "tags",
                            tags.entrySet().stream()
                                    .map(e -> Map.of("key", e.getKey(), "value", e.getValue()))
                                    .toList(),
                            "metrics",
                            points.stream()
                                    .map(p -> Map.of(
                                            "key",
                                            p.key(),
                                            "value",
                                            p.value(),
                                            "timestamp",
                                            p.timestamp(),
                                            "step",
                                            p.step()))
                                    .toList()));

            JsonPath got = exact(mlflow.spec()
                    .queryParam("run_id", run.runId())
                    .get(MlflowClient.API + "/runs/get")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            Map<String, String> apiParams = keyValues(got.getList("run.data.params"));
            Map<String, String> apiTags = keyValues(got.getList("run.data.tags"));
            List<Point> apiLatest = points(got.getList("run.data.metrics"));
            List<Point> apiHistory = new ArrayList<>();
            for (String key : List.of("loss", "acc")) {
                apiHistory.addAll(points(exact(mlflow.spec()
                                .queryParam("run_id", run.runId())
                                .queryParam("metric_key", key)
                                .get(MlflowClient.API + "/metrics/get-history")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                        .getList("metrics")));
            }
            assertThat(apiParams).as("params the API returns").isEqualTo(params);
            assertThat(apiTags)
                    .as("tags the API returns (ours plus MLflow's system tags)")
                    .containsAllEntriesOf(tags);
            assertThat(apiHistory).as("metric history the API returns").containsExactlyInAnyOrderElementsOf(points);
            assertThat(apiLatest)
                    .as("latest metrics the API returns")
                    .containsExactlyInAnyOrder(
                            new Point("loss", 0.25, t0 + 2000, 2), new Point("acc", 0.75, t0 + 500, 5));

            try (Connection c = db.connect()) {
                assertThat(keyValues(c, "SELECT `key`, `value` FROM params WHERE run_uuid = ?", run.runId()))
                        .as("rows of params for run %s", run.runId())
                        .isEqualTo(apiParams);
                assertThat(keyValues(c, "SELECT `key`, `value` FROM tags WHERE run_uuid = ?", run.runId()))
                        .as("rows of tags for run %s", run.runId())
                        .isEqualTo(apiTags);
                assertThat(points(
                                c,
                                "SELECT `key`, `value`, `timestamp`, `step` FROM metrics WHERE run_uuid = ? AND is_nan = 0",
                                run.runId()))
                        .as("rows of metrics for run %s", run.runId())
                        .containsExactlyInAnyOrderElementsOf(apiHistory);
                assertThat(points(
                                c,
                                "SELECT `key`, `value`, `timestamp`, `step` FROM latest_metrics WHERE run_uuid = ?",
                                run.runId()))
                        .as("rows of latest_metrics for run %s", run.runId())
                        .containsExactlyInAnyOrderElementsOf(apiLatest);
            }
        }
    }

    @Test
    @DisplayName("metrics and latest_metrics rows keep every bit of each double and 64-bit timestamps and steps; "
            + "params and tags rows hold multi-byte values at their limits")
    void exactValuesInTheTables(MlflowClient mlflow, Endpoints endpoints, TestReporter report) throws SQLException {
        DatabaseAccess db = requireDatabase(endpoints);
        try (ScratchRun run = ScratchRun.create(mlflow, "database-exact")) {
            ExactValues.Logged logged = ExactValues.log(mlflow, run.runId());
            List<String> problems = new ArrayList<>();
            List<String> deviations = new ArrayList<>();
            try (Connection c = db.connect()) {
                for (String table : List.of("metrics", "latest_metrics")) {
                    Map<String, Point> rows = new HashMap<>();
                    points(
                                    c,
                                    "SELECT `key`, `value`, `timestamp`, `step` FROM " + table + " WHERE run_uuid = ?",
                                    run.runId())
                            .forEach(p -> rows.put(p.key(), p));
                    for (Point sent : ExactValues.METRICS) {
                        if (logged.refused().containsKey(sent.key())) {
                            continue;
                        }
                        Point row = rows.get(sent.key());
                        if (row == null) {
                            problems.add("no " + table + " row for " + sent.key());
                        } else {
                            problems.addAll(ExactValues.differences(sent, row, table + " row", deviations));
                        }
                    }
                }
                Map<String, String> params =
                        keyValues(c, "SELECT `key`, `value` FROM params WHERE run_uuid = ?", run.runId());
                Map<String, String> tags =
                        keyValues(c, "SELECT `key`, `value` FROM tags WHERE run_uuid = ?", run.runId());
                if (!ExactValues.PARAM_VALUE.equals(params.get("long_param"))) {
                    problems.add("params row long_param differs from the 6000-character multi-byte value logged (got "
                            + Optional.ofNullable(params.get("long_param"))
                                    .map(v -> ExactValues.length(v) + " characters")
                                    .orElse("no row")
                            + ")");
                }
                if (!params.containsKey(ExactValues.LONG_KEY)) {
                    problems.add("no params row under the 250-character multi-byte key");
                }
                if (!ExactValues.TAG_VALUE.equals(tags.get("long_tag"))) {
                    problems.add("tags row long_tag differs from the 8000-character multi-byte value logged (got "
                            + Optional.ofNullable(tags.get("long_tag"))
                                    .map(v -> ExactValues.length(v) + " characters")
                                    .orElse("no row")
                            + ")");
                }
                String type = single(
                        c,
                        "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                                + "AND TABLE_NAME = 'metrics' AND COLUMN_NAME = 'value'");
                System.out.println("  metrics.value column type: " + type);
            }
            // Refusals last: the values that came back different say more about the layer than an error text.
            logged.refused().forEach((key, why) -> problems.add("log-metric " + key + " was refused: " + why));
            deviations.forEach(d -> report.publishEntry("known deviation", d));
            assertThat(problems)
                    .as(
                            "MLflow's tables hold other values than those logged through the API: the database narrows "
                                    + "them (metrics.value must be DOUBLE, timestamp and step BIGINT, text columns utf8mb4 counted in characters)")
                    .isEmpty();
        }
    }

    @Test
    @DisplayName("alembic_version holds exactly the head revision of the running MLflow version")
    void schemaAtExpectedHead(MlflowClient mlflow, Endpoints endpoints) throws SQLException {
        DatabaseAccess db = requireDatabase(endpoints);
        String version = mlflow.version();
        Path cache = HarnessConfig.fromEnvironment().cacheDir();
        Optional<Path> scripts = AlembicHeads.versionsDir(cache, version);
        String expected;
        String source;
        if (scripts.isPresent()) {
            Set<String> heads = AlembicHeads.heads(scripts.get());
            assertThat(heads)
                    .as("heads of the migration graph in %s (MLflow keeps one)", scripts.get())
                    .hasSize(1);
            expected = heads.iterator().next();
            source = "computed from " + scripts.get();
            AlembicHeads.known(version)
                    .ifPresent(k -> assertThat(k)
                            .as("alembic-heads.properties entry for %s vs the installation", version)
                            .isEqualTo(heads.iterator().next()));
        } else {
            Optional<String> known = AlembicHeads.known(version);
            assumeTrue(
                    known.isPresent(),
                    "MLflow " + version + " is not installed under " + cache.resolve("venvs")
                            + " and alembic-heads.properties has no entry for it: cannot tell which head to expect");
            expected = known.get();
            source = "alembic-heads.properties";
        }
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect();
                ResultSet rs = c.createStatement().executeQuery("SELECT version_num FROM alembic_version")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        System.out.println("  alembic head for MLflow " + version + ": expected " + expected + " (" + source
                + "), database has " + rows);
        assertThat(rows)
                .as("alembic_version rows vs the head of MLflow %s (%s)", version, source)
                .containsExactly(expected);
    }

    @Test
    @DisplayName("the schema, every table and every text column use utf8mb4")
    void everythingIsUtf8mb4(Endpoints endpoints) throws SQLException {
        DatabaseAccess db = requireDatabase(endpoints);
        try (Connection c = db.connect()) {
            String schema = single(c, "SELECT DATABASE()");
            assertThat(
                            single(
                                    c,
                                    "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()"))
                    .as("default character set of schema %s", schema)
                    .isEqualTo("utf8mb4");
            Map<String, String> tables = keyValues(
                    c,
                    "SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES "
                            + "WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
                    schema);
            assertThat(tables)
                    .as("tables in schema %s", schema)
                    .containsKeys(
                            "experiments", "runs", "params", "metrics", "latest_metrics", "tags", "alembic_version");
            assertThat(tables.entrySet())
                    .as("table collations in %s (all must be utf8mb4_*)", schema)
                    .allSatisfy(t -> assertThat(t.getValue())
                            .as("collation of table %s", t.getKey())
                            .startsWith("utf8mb4_"));
            Map<String, String> columns = keyValues(
                    c,
                    "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME), CHARACTER_SET_NAME "
                            + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND CHARACTER_SET_NAME IS NOT NULL",
                    schema);
            assertThat(columns)
                    .as("text columns in %s", schema)
                    .containsKeys("params.value", "tags.value", "experiments.name");
            assertThat(columns.entrySet())
                    .as("character sets of text columns in %s", schema)
                    .allSatisfy(col -> assertThat(col.getValue())
                            .as("character set of %s", col.getKey())
                            .isEqualTo("utf8mb4"));
        }
    }

    /** JSON with numbers as BigDecimal: rest-assured's default parses them as float and 0.9 would become 0.8999999761581421. */
    private static JsonPath exact(String json) {
        return JsonPath.from(json)
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    private static DatabaseAccess requireDatabase(Endpoints endpoints) {
        assumeTrue(
                endpoints.databaseAccess().isPresent(),
                "no direct database access (external stack without --jdbc-url): cannot read MLflow's tables");
        return endpoints.database();
    }

    private static Map<String, String> keyValues(List<Map<String, Object>> entries) {
        Map<String, String> out = new HashMap<>();
        if (entries != null) {
            entries.forEach(e ->
                    out.put((String) e.get("key"), e.get("value") == null ? null : String.valueOf(e.get("value"))));
        }
        return out;
    }

    private static List<Point> points(List<Map<String, Object>> entries) {
        List<Point> out = new ArrayList<>();
        if (entries != null) {
            for (Map<String, Object> m : entries) {
                out.add(new Point(
                        (String) m.get("key"),
                        ((Number) m.get("value")).doubleValue(),
                        Long.parseLong(String.valueOf(m.get("timestamp"))),
                        Long.parseLong(String.valueOf(m.getOrDefault("step", 0)))));
            }
        }
        return out;
    }

    private static Map<String, String> keyValues(Connection c, String sql, String arg) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private static List<Point> points(Connection c, String sql, String runId) throws SQLException {
        List<Point> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Point(rs.getString(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertThat(rs.next()).as("a row from: %s", sql).isTrue();
            return rs.getString(1);
        }
    }
}
