package org.mlflowharness.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.stack.Endpoints;

/** The stack-facing halves of verification: history through MlflowClient, rows through JDBC, objects through S3. */
public final class LoadVerification {

    private LoadVerification() {
    }

    public static MetricVerifier.HistorySource history(MlflowClient client) {
        return (run, key) -> client.metricHistory(run, key).stream()
                .map(p -> new MetricLedger.Point(p.key(), p.step(), p.timestamp(), ((Number) p.value()).doubleValue())).toList();
    }

    /** Counts rows in {@code metrics} per run when the database is reachable; one connection per call. */
    public static MetricVerifier.RowCounter rows(Endpoints endpoints) {
        return endpoints.databaseAccess().<MetricVerifier.RowCounter>map(db -> run -> {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                 PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM metrics WHERE run_uuid = ?")) {
                st.setString(1, run);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return OptionalLong.of(rs.getLong(1));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("counting metric rows of run " + run + ": " + e.getMessage(), e);
            }
        }).orElse(MetricVerifier.RowCounter.NONE);
    }

    /**
     * Fault injection to prove the integrity check bites ({@code --load-fault delete-metric-rows=N}): deletes N
     * acknowledged metric rows behind MLflow's back before verification. Returns how many rows were deleted.
     */
    public static int deleteMetricRows(Endpoints endpoints, List<String> runs, int n) {
        var db = endpoints.databaseAccess().orElseThrow(() -> new IllegalStateException("delete-metric-rows needs database access"));
        int deleted = 0;
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            for (String run : runs) {
                if (deleted >= n) {
                    break;
                }
                try (PreparedStatement st = c.prepareStatement("DELETE FROM metrics WHERE run_uuid = ? AND `key` <> 'single' LIMIT ?")) {
                    st.setString(1, run);
                    st.setInt(2, n - deleted);
                    deleted += st.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("deleting metric rows: " + e.getMessage(), e);
        }
        return deleted;
    }

    /** SHA-256 (hex) of an object, streamed. */
    public static String sha256OfObject(ObjectStore store, String key) {
        try (InputStream in = store.client().getObject(b -> b.bucket(store.access().bucket()).key(key))) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes every object under {@code prefix} (a scenario's experiment), returning how many. */
    public static int deletePrefix(ObjectStore store, String prefix) {
        int n = 0;
        for (var page : store.client().listObjectsV2Paginator(b -> b.bucket(store.access().bucket()).prefix(prefix))) {
            for (var o : page.contents()) {
                store.client().deleteObject(b -> b.bucket(store.access().bucket()).key(o.key()));
                n++;
            }
        }
        return n;
    }
}
