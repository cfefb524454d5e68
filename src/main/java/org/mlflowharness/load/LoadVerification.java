package org.mlflowharness.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.proc.Poll;

/** The stack-facing halves of metric verification: history through MlflowClient, rows through JDBC. */
public final class LoadVerification {

    /** Run ids per {@code IN (...)} list. */
    private static final int IN_LIST = 500;

    private LoadVerification() {}

    /**
     * How long a history read is tried again while the stack does not answer it: right after an overloaded step MLflow
     * may still be working off requests whose clients gave up (seen: its connection pool exhausted, "QueuePool limit
     * of size 5 overflow 10 reached", answered 400 for 30 s). What it stored is read once it answers again.
     */
    static final Duration READ_BACK = Duration.ofSeconds(120);

    /**
     * Metric histories as MLflow serves them; a read that fails is tried again every 2 s for up to {@link #READ_BACK}
     * (the first such retry is said on {@code out}), then its last error ends the verification.
     */
    public static MetricVerifier.HistorySource history(MlflowClient client, Consumer<String> out) {
        AtomicBoolean said = new AtomicBoolean();
        return (run, key) -> Poll.poll(
                "run " + run + "'s metric " + key + " to be read back", READ_BACK, Duration.ofSeconds(2), () -> {
                    try {
                        return Poll.Attempt.done(client.metricHistory(run, key).stream()
                                .map(p -> new MetricLedger.Point(
                                        p.key(), p.step(), p.timestamp(), ((Number) p.value()).doubleValue()))
                                .toList());
                    } catch (RuntimeException | AssertionError e) {
                        if (!said.getAndSet(true)) {
                            out.accept("  read-back: " + firstLine(e.getMessage()) + "; tried again for up to "
                                    + READ_BACK.toSeconds() + " s while the stack works off the step's backlog");
                        }
                        return Poll.Attempt.failed(e);
                    }
                });
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message).strip();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() > 240 ? m.substring(0, 240) + "..." : m;
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
