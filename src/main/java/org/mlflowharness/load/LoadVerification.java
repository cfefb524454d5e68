package org.mlflowharness.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.model.Endpoints;

/** The stack-facing halves of metric verification: history through MlflowClient, rows through JDBC. */
public final class LoadVerification {

    /** Run ids per {@code IN (...)} list. */
    private static final int IN_LIST = 500;

    private LoadVerification() {}

    public static MetricVerifier.HistorySource history(MlflowClient client) {
        return (run, key) -> client.metricHistory(run, key).stream()
                .map(p -> new MetricLedger.Point(p.key(), p.step(), p.timestamp(), ((Number) p.value()).doubleValue()))
                .toList();
    }

    /** Counts the rows in {@code metrics} of a set of runs when the database is reachable; one connection per call. */
    public static MetricVerifier.RowCounter rows(Endpoints endpoints) {
        return endpoints
                .databaseAccess()
                .<MetricVerifier.RowCounter>map(db -> runs -> {
                    List<String> ids = List.copyOf(runs);
                    long n = 0;
                    try (Connection c = db.connect()) {
                        for (int from = 0; from < ids.size(); from += IN_LIST) {
                            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST));
                            try (PreparedStatement st =
                                    c.prepareStatement("SELECT COUNT(*) FROM metrics WHERE run_uuid IN ("
                                            + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")")) {
                                for (int i = 0; i < chunk.size(); i++) {
                                    st.setString(i + 1, chunk.get(i));
                                }
                                try (ResultSet rs = st.executeQuery()) {
                                    rs.next();
                                    n += rs.getLong(1);
                                }
                            }
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(
                                "counting metric rows of " + ids.size() + " runs: " + e.getMessage(), e);
                    }
                    return OptionalLong.of(n);
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
        try (Connection c = db.connect()) {
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
