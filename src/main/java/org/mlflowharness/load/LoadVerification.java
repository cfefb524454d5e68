package org.mlflowharness.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.model.Endpoints;

/** The stack-facing halves of metric verification: history through MlflowClient, rows through JDBC. */
public final class LoadVerification {

    private LoadVerification() {}

    public static MetricVerifier.HistorySource history(MlflowClient client) {
        return (run, key) -> client.metricHistory(run, key).stream()
                .map(p -> new MetricLedger.Point(p.key(), p.step(), p.timestamp(), ((Number) p.value()).doubleValue()))
                .toList();
    }

    /** Counts rows in {@code metrics} per run when the database is reachable; one connection per call. */
    public static MetricVerifier.RowCounter rows(Endpoints endpoints) {
        return endpoints
                .databaseAccess()
                .<MetricVerifier.RowCounter>map(db -> run -> {
                    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                            PreparedStatement st =
                                    c.prepareStatement("SELECT COUNT(*) FROM metrics WHERE run_uuid = ?")) {
                        st.setString(1, run);
                        try (ResultSet rs = st.executeQuery()) {
                            rs.next();
                            return OptionalLong.of(rs.getLong(1));
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(
                                "counting metric rows of run " + run + ": " + e.getMessage(), e);
                    }
                })
                .orElse(MetricVerifier.RowCounter.NONE);
    }

    /**
     * Fault injection to prove the integrity check bites ({@code --load-fault delete-metric-rows=N}): deletes N
     * acknowledged metric rows behind MLflow's back before verification. Returns how many rows were deleted.
     */
    public static int deleteMetricRows(Endpoints endpoints, List<String> runs, int n) {
        var db = endpoints
                .databaseAccess()
                .orElseThrow(() -> new IllegalStateException("delete-metric-rows needs database access"));
        int deleted = 0;
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            for (String run : runs) {
                if (deleted >= n) {
                    break;
                }
                try (PreparedStatement st =
                        c.prepareStatement("DELETE FROM metrics WHERE run_uuid = ? AND `key` <> 'single' LIMIT ?")) {
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
}
