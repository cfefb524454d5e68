package org.mlflowharness.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mlflowharness.client.ArtifactClient;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.upgrade.Manifest.Kind;

/**
 * Reads one manifest item from a running stack in a canonical form that does not depend on the MLflow version serving
 * it: only stored fields (ids, names, times, values, tags, sources), tags and params sorted, numbers as decimal text
 * (a 2.x and a 3.x server may write 1.0 and 1 for the same double), fields a newer version adds ignored. Artifacts are
 * read through nginx and, separately, from the bucket; tables by row count.
 */
public final class StateReader implements ItemSource {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /**
     * What reading an item gave: {@code present} false when the stack does not serve it (404, an error, no object, no
     * table), with the answer in {@code content}; else the canonical content and its SHA-256.
     */
    public record Read(boolean present, String content, String sha256) {
        public static Read missing(String why) {
            return new Read(false, why, null);
        }

        public static Read of(String content) {
            return new Read(true, content, StateReader.sha256(content));
        }

        /** The content, shortened for the report when it is long (a 10,000-step history). */
        public String summary() {
            return content.length() <= 4000
                    ? content
                    : content.substring(0, 4000) + "... (" + content.length() + " chars)";
        }
    }

    private final MlflowClient mlflow;
    private final Optional<ObjectStore> store;
    private final Optional<DatabaseAccess> db;

    public StateReader(MlflowClient mlflow, Optional<ObjectStore> store, Optional<DatabaseAccess> db) {
        this.mlflow = mlflow;
        this.store = store;
        this.db = db;
    }

    @Override
    public Read read(Kind kind, String key) {
        return switch (kind) {
            case EXPERIMENT ->
                api("/experiments/get", Map.of("experiment_id", key), j -> experiment(j.path("experiment")));
            case RUN -> api("/runs/get", Map.of("run_id", key), j -> run(j.path("run")));
            case METRIC_HISTORY -> history(key.substring(0, key.indexOf('/')), key.substring(key.indexOf('/') + 1));
            case ARTIFACT -> artifact(key);
            case ARTIFACT_LISTING -> listing(key);
            case OBJECT -> object(key);
            case REGISTERED_MODEL ->
                api("/registered-models/get", Map.of("name", key), j -> registeredModel(j.path("registered_model")));
            case MODEL_VERSION ->
                api(
                        "/model-versions/get",
                        Map.of(
                                "name",
                                key.substring(0, key.lastIndexOf('/')),
                                "version",
                                key.substring(key.lastIndexOf('/') + 1)),
                        j -> modelVersion(j.path("model_version")));
            case RUN_METRICS -> runMetrics(key);
            case TABLE -> table(key);
        };
    }

    /** Every table of MLflow's schema but alembic_version, with its row count: the database-level part of a manifest. */
    @Override
    public Map<String, Long> tables() {
        DatabaseAccess d = db.orElseThrow(() -> new IllegalStateException("the stack gives no database access"));
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = d.connect();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'alembic_version'")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            for (String t : names) {
                out.put(t, count(c, t));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing MLflow's tables: " + e.getMessage(), e);
        }
        return out;
    }

    /** The schema revision in {@code alembic_version} (comma-separated if there were several rows), or why there is none. */
    public String schemaRevision() {
        DatabaseAccess d = db.orElseThrow(() -> new IllegalStateException("the stack gives no database access"));
        try (Connection c = d.connect();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT version_num FROM alembic_version ORDER BY version_num")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows.isEmpty() ? "(no row in alembic_version)" : String.join(",", rows);
        } catch (SQLException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private interface Canon {
        Object of(JsonNode body);
    }

    private Read api(String path, Map<String, ?> query, Canon canon) {
        Response r = mlflow.getRaw(path, query);
        if (r.statusCode() != 200) {
            return Read.missing("GET " + path + " answered " + r.statusCode() + ": " + abbreviate(r.asString()));
        }
        try {
            return Read.of(JSON.writeValueAsString(canon.of(JSON.readTree(r.asString()))));
        } catch (java.io.IOException e) {
            return Read.missing("GET " + path + " answered unreadable JSON: " + e.getMessage());
        }
    }

    private static Map<String, Object> experiment(JsonNode e) {
        Map<String, Object> m =
                fields(e, "experiment_id", "name", "artifact_location", "lifecycle_stage", "creation_time");
        m.put("tags", keyValues(e.path("tags")));
        return m;
    }

    private static Map<String, Object> run(JsonNode run) {
        JsonNode info = run.path("info");
        Map<String, Object> m = fields(
                info,
                "run_id",
                "experiment_id",
                "run_name",
                "status",
                "start_time",
                "end_time",
                "artifact_uri",
                "lifecycle_stage");
        JsonNode data = run.path("data");
        m.put("params", keyValues(data.path("params")));
        m.put("tags", keyValues(data.path("tags")));
        Map<String, Object> latest = new TreeMap<>();
        data.path("metrics")
                .forEach(x -> latest.put(
                        x.path("key").asText(),
                        number(x.path("value")) + " @step " + number(x.path("step")) + " @"
                                + number(x.path("timestamp"))));
        m.put("latestMetrics", latest);
        return m;
    }

    private static Map<String, Object> registeredModel(JsonNode rm) {
        Map<String, Object> m = fields(rm, "name", "description", "creation_timestamp");
        m.put("tags", keyValues(rm.path("tags")));
        m.put("aliases", aliases(rm.path("aliases")));
        return m;
    }

    private static Map<String, Object> modelVersion(JsonNode mv) {
        Map<String, Object> m = fields(
                mv,
                "name",
                "version",
                "source",
                "run_id",
                "status",
                "description",
                "current_stage",
                "creation_timestamp");
        m.put("tags", keyValues(mv.path("tags")));
        List<String> aliases = new ArrayList<>();
        mv.path("aliases").forEach(a -> aliases.add(a.asText()));
        aliases.sort(Comparator.naturalOrder());
        m.put("aliases", aliases);
        return m;
    }

    /** Every value of a metric, sorted by step, timestamp and value, one line each; all pages. */
    private Read history(String runId, String key) {
        List<String> lines = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> q = new LinkedHashMap<>(Map.of("run_id", runId, "metric_key", key));
            if (token != null) {
                q.put("page_token", token);
            }
            Response r = mlflow.getRaw("/metrics/get-history", q);
            if (r.statusCode() != 200) {
                return Read.missing(
                        "GET /metrics/get-history answered " + r.statusCode() + ": " + abbreviate(r.asString()));
            }
            JsonNode body;
            try {
                body = JSON.readTree(r.asString());
            } catch (java.io.IOException e) {
                return Read.missing("get-history answered unreadable JSON: " + e.getMessage());
            }
            body.path("metrics")
                    .forEach(x -> lines.add(String.format(
                            "%020d %020d %s",
                            x.path("step").asLong(), x.path("timestamp").asLong(), number(x.path("value")))));
            token = body.path("next_page_token").asText("");
        } while (!token.isEmpty());
        lines.sort(Comparator.naturalOrder());
        String joined = String.join("\n", lines);
        return new Read(
                true,
                lines.size() + " values"
                        + (lines.isEmpty()
                                ? ""
                                : ", first " + lines.get(0).replaceAll(" +", " ") + ", last "
                                        + lines.get(lines.size() - 1).replaceAll(" +", " "))
                        + " (step timestamp value)",
                sha256(joined));
    }

    private Read artifact(String path) {
        ArtifactClient.Download d = mlflow.artifacts().download(path);
        if (d.status() != 200) {
            return Read.missing("GET " + path + " through nginx answered " + d.status());
        }
        return new Read(true, d.size() + " bytes, SHA-256 " + d.sha256(), d.sha256() + ":" + d.size());
    }

    private Read listing(String dir) {
        try {
            List<String> entries = mlflow.artifacts().list(dir).stream()
                    .map(f -> f.path() + (f.isDir() ? "/" : " " + f.fileSize()))
                    .sorted()
                    .toList();
            return Read.of(String.join(", ", entries));
        } catch (AssertionError e) {
            return Read.missing(e.getMessage());
        }
    }

    private Read object(String key) {
        if (store.isEmpty()) {
            return Read.missing("the stack gives no S3 access");
        }
        Optional<Long> size = store.get().size(key);
        if (size.isEmpty()) {
            return Read.missing("no object s3://" + store.get().access().bucket() + "/" + key);
        }
        ObjectStore.StoredObject o = store.get().read(key);
        return new Read(true, o.size() + " bytes, SHA-256 " + o.sha256(), o.sha256() + ":" + o.size());
    }

    private Read table(String name) {
        DatabaseAccess d = db.orElse(null);
        if (d == null) {
            return Read.missing("the stack gives no database access");
        }
        try (Connection c = d.connect()) {
            return Read.of(count(c, name) + " rows");
        } catch (SQLException e) {
            return Read.missing("SELECT COUNT(*) FROM " + name + ": " + e.getMessage());
        }
    }

    /**
     * A run's metric points as the database holds them, per key: how many, the step range and the sum of a CRC-32 of
     * each point (timestamp, step, value, is_nan): independent of row order, and equal only when every point is.
     */
    private Read runMetrics(String runId) {
        DatabaseAccess d = db.orElse(null);
        if (d == null) {
            return Read.missing("the stack gives no database access");
        }
        try (Connection c = d.connect();
                PreparedStatement q = c.prepareStatement("SELECT `key`, COUNT(*), MIN(step), MAX(step),"
                        + " SUM(CRC32(CONCAT_WS('|', `timestamp`, step, `value`, is_nan))) FROM metrics"
                        + " WHERE run_uuid = ? GROUP BY `key` ORDER BY `key`")) {
            q.setString(1, runId);
            List<String> keys = new ArrayList<>();
            long points = 0;
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    points += rs.getLong(2);
                    keys.add(rs.getString(1) + ": " + rs.getLong(2) + " points, steps " + rs.getLong(3) + ".."
                            + rs.getLong(4) + ", checksum " + rs.getString(5));
                }
            }
            return Read.of(keys.size() + " keys, " + points + " points" + (keys.isEmpty() ? "" : "; ")
                    + String.join("; ", keys));
        } catch (SQLException e) {
            return Read.missing("reading run " + runId + "'s metrics: " + e.getMessage());
        }
    }

    /** The first column of every row {@code sql} selects (ids of a store's experiments, runs, models). */
    @Override
    public List<String> column(String sql) {
        DatabaseAccess d = db.orElseThrow(() -> new IllegalStateException("the stack gives no database access"));
        List<String> out = new ArrayList<>();
        try (Connection c = d.connect();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM `" + table.replace("`", "") + "`")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Object> fields(JsonNode node, String... names) {
        Map<String, Object> m = new TreeMap<>();
        for (String n : names) {
            JsonNode v = node.path(n);
            m.put(
                    n,
                    v.isMissingNode() || v.isNull()
                            ? null
                            : v.isNumber() || v.isTextual() && v.asText().matches("-?\\d+") ? number(v) : v.asText());
        }
        return m;
    }

    private static Map<String, String> keyValues(JsonNode list) {
        Map<String, String> m = new TreeMap<>();
        list.forEach(kv -> m.put(kv.path("key").asText(), kv.path("value").asText()));
        return m;
    }

    private static Map<String, String> aliases(JsonNode list) {
        Map<String, String> m = new TreeMap<>();
        list.forEach(a -> m.put(a.path("alias").asText(), number(a.path("version"))));
        return m;
    }

    /** A number as plain decimal text whatever JSON form it came in (1, 1.0, "1", 1e0); NaN and Infinity as text. */
    static String number(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        String text = v.asText();
        try {
            BigDecimal d = new BigDecimal(text);
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return text;
        }
    }

    static String sha256(String s) {
        try {
            return DeterministicContent.hex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        String one = s == null ? "" : s.strip().replaceAll("\\s+", " ");
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
