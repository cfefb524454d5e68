package org.mlflowharness.load;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mlflowharness.model.load.Integrity;
import org.mlflowharness.model.load.OrText;
import org.mlflowharness.proc.Poll;

/**
 * Reads every run of a {@link MetricLedger} back and compares what was acknowledged with what is stored:
 * through the API (metric history per key) and, where the database is reachable, by counting rows in {@code metrics}.
 */
public final class MetricVerifier {

    /** Where stored points come from: the MLflow API in a real run, a fake in unit tests. */
    public interface HistorySource {
        List<MetricLedger.Point> history(String runId, String key);
    }

    /** Rows in the {@code metrics} table for these runs together, or empty when the database is not reachable. */
    public interface RowCounter {
        OptionalLong rows(Collection<String> runIds);

        RowCounter NONE = runIds -> OptionalLong.empty();
    }

    /** Metric histories read at once: a step's runs x keys are independent reads, one after another they took seconds. */
    static final int READERS = 4;

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
        long acked = 0, stored = 0, lost = 0, dup = 0, unacked = 0;
        List<String> examples = new ArrayList<>();
        // each run's acknowledged points, copied out of the ledger once
        Map<String, Map<MetricLedger.Point, Integer>> acks = new TreeMap<>();
        ledger.runs().forEach(run -> acks.put(run, ledger.acknowledged(run)));
        Map<String, List<MetricLedger.Point>> histories = readHistories(acks);
        for (Map.Entry<String, Map<MetricLedger.Point, Integer>> run : acks.entrySet()) {
            Map<MetricLedger.Point, Integer> ack = run.getValue();
            Map<MetricLedger.Point, Integer> have = new HashMap<>();
            for (MetricLedger.Point p : histories.getOrDefault(run.getKey(), List.of())) {
                have.merge(p, 1, Integer::sum);
                stored++;
            }
            for (Map.Entry<MetricLedger.Point, Integer> e : ack.entrySet()) {
                int a = e.getValue();
                int s = have.getOrDefault(e.getKey(), 0);
                acked += a;
                if (s < a) {
                    lost += a - s;
                    example(examples, "lost in run " + run.getKey() + ": " + e.getKey());
                } else if (s > a) {
                    dup += s - a;
                    example(examples, "duplicated x" + s + " in run " + run.getKey() + ": " + e.getKey());
                }
            }
            for (Map.Entry<MetricLedger.Point, Integer> e : have.entrySet()) {
                if (!ack.containsKey(e.getKey())) {
                    unacked += e.getValue();
                }
            }
        }
        OptionalLong dbRows = acks.isEmpty() ? OptionalLong.of(0) : rows.rows(acks.keySet());
        return new Result(
                ledger.runs().size(),
                acked,
                stored,
                lost,
                dup,
                unacked,
                dbRows.orElse(-1),
                ledger.unavailableRequests(),
                examples);
    }

    /** Every acknowledged key's history of every run, read {@link #READERS} at a time: run id -> its points. */
    private Map<String, List<MetricLedger.Point>> readHistories(Map<String, Map<MetricLedger.Point, Integer>> acks) {
        ExecutorService readers = Executors.newFixedThreadPool(READERS);
        try {
            Map<String, List<CompletableFuture<List<MetricLedger.Point>>>> reads = new HashMap<>();
            for (String run : acks.keySet()) {
                acks.get(run).keySet().stream()
                        .map(MetricLedger.Point::key)
                        .distinct()
                        .forEach(key -> reads.computeIfAbsent(run, r -> new ArrayList<>())
                                .add(CompletableFuture.supplyAsync(() -> history.history(run, key), readers)));
            }
            Map<String, List<MetricLedger.Point>> points = new HashMap<>();
            reads.forEach((run, keys) -> keys.forEach(
                    read -> points.computeIfAbsent(run, r -> new ArrayList<>()).addAll(Poll.join(read))));
            return points;
        } finally {
            readers.shutdownNow();
        }
    }

    private static void example(List<String> examples, String s) {
        if (examples.size() < 5) {
            examples.add(s);
        }
    }
}
