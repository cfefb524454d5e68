package org.mlflowharness.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.mlflowharness.model.load.Integrity;
import org.mlflowharness.model.load.OrText;

/**
 * Reads every run of a {@link MetricLedger} back and compares what was acknowledged with what is stored:
 * through the API (metric history per key) and, where the database is reachable, by counting rows in {@code metrics}.
 */
public final class MetricVerifier {

    /** Where stored points come from: the MLflow API in a real run, a fake in unit tests. */
    public interface HistorySource {
        List<MetricLedger.Point> history(String runId, String key);
    }

    /** Rows in the {@code metrics} table for a run, or empty when the database is not reachable. */
    public interface RowCounter {
        OptionalLong rows(String runId);

        RowCounter NONE = runId -> OptionalLong.empty();
    }

    /**
     * The outcome. {@code lost}: acknowledged points missing from the history; {@code duplicated}: stored more often than
     * acknowledged; {@code unacknowledgedStored}: stored although the request was not acknowledged (e.g. a 503 or
     * timeout whose write committed) — reported, not a failure; {@code dbRows} -1 when not counted.
     */
    public record Result(
            int runs,
            long acknowledged,
            long stored,
            long lost,
            long duplicated,
            long unacknowledgedStored,
            long dbRows,
            long unavailable503Requests,
            List<String> examples) {

        /** Lost or duplicated points, or fewer DB rows than acknowledged points. */
        public long integrityErrors() {
            long dbShort = dbRows >= 0 && dbRows < acknowledged - lost ? (acknowledged - lost) - dbRows : 0;
            return lost + duplicated + dbShort;
        }

        public boolean ok() {
            return integrityErrors() == 0;
        }

        /** The outcome as the load report gives it. */
        public Integrity report() {
            return new Integrity(
                    runs,
                    acknowledged,
                    stored,
                    lost,
                    duplicated,
                    unacknowledgedStored,
                    dbRows < 0 ? OrText.text("not counted (no database access)") : OrText.of(dbRows),
                    unavailable503Requests,
                    ok(),
                    examples.isEmpty() ? null : examples);
        }
    }

    private final HistorySource history;
    private final RowCounter rows;

    public MetricVerifier(HistorySource history, RowCounter rows) {
        this.history = history;
        this.rows = rows;
    }

    public Result verify(MetricLedger ledger) {
        long acked = 0, stored = 0, lost = 0, dup = 0, unacked = 0, dbRows = 0;
        boolean counted = true;
        List<String> examples = new ArrayList<>();
        for (String run : new TreeSet<>(ledger.runs())) {
            Map<MetricLedger.Point, Integer> ack = ledger.acknowledged(run);
            TreeSet<String> keys = new TreeSet<>();
            ack.keySet().forEach(p -> keys.add(p.key()));
            Map<MetricLedger.Point, Integer> have = new HashMap<>();
            for (String key : keys) {
                for (MetricLedger.Point p : history.history(run, key)) {
                    have.merge(p, 1, Integer::sum);
                    stored++;
                }
            }
            for (Map.Entry<MetricLedger.Point, Integer> e : ack.entrySet()) {
                int a = e.getValue();
                int s = have.getOrDefault(e.getKey(), 0);
                acked += a;
                if (s < a) {
                    lost += a - s;
                    example(examples, "lost in run " + run + ": " + e.getKey());
                } else if (s > a) {
                    dup += s - a;
                    example(examples, "duplicated x" + s + " in run " + run + ": " + e.getKey());
                }
            }
            for (Map.Entry<MetricLedger.Point, Integer> e : have.entrySet()) {
                if (!ack.containsKey(e.getKey())) {
                    unacked += e.getValue();
                }
            }
            OptionalLong n = rows.rows(run);
            if (n.isPresent()) {
                dbRows += n.getAsLong();
            } else {
                counted = false;
            }
        }
        return new Result(
                ledger.runs().size(),
                acked,
                stored,
                lost,
                dup,
                unacked,
                counted ? dbRows : -1,
                ledger.unavailableRequests(),
                examples);
    }

    private static void example(List<String> examples, String s) {
        if (examples.size() < 5) {
            examples.add(s);
        }
    }
}
