package org.mlflowharness.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The integrity accounting against a fake store: no stack involved. */
class MetricVerifierTest {

    /** A fake metric store: what "the server" kept, per run and key. */
    private static final class FakeStore implements MetricVerifier.HistorySource {
        final Map<String, List<MetricLedger.Point>> points = new HashMap<>();

        void store(String run, List<MetricLedger.Point> ps) {
            points.computeIfAbsent(run, r -> new ArrayList<>()).addAll(ps);
        }

        @Override
        public List<MetricLedger.Point> history(String runId, String key) {
            return points.getOrDefault(runId, List.of()).stream()
                    .filter(p -> p.key().equals(key))
                    .toList();
        }
    }

    private final MetricLedger ledger = new MetricLedger();
    private final FakeStore store = new FakeStore();

    private void logAcknowledged(String run, long step) {
        List<MetricLedger.Point> batch = MetricPoints.batch(step, 5, 1000 + step);
        store.store(run, batch);
        ledger.acknowledge(run, batch);
    }

    @Test
    void everythingStoredOnceIsClean() {
        logAcknowledged("r1", 0);
        logAcknowledged("r1", 1);
        logAcknowledged("r2", 0);
        MetricVerifier.Result r = new MetricVerifier(
                        store,
                        runs -> OptionalLong.of(runs.stream()
                                .mapToLong(run -> store.points.get(run).size())
                                .sum()))
                .verify(ledger);
        assertThat(r.acknowledged()).isEqualTo(15);
        assertThat(r.stored()).isEqualTo(15);
        assertThat(r.dbRows()).isEqualTo(15);
        assertThat(r.ok()).isTrue();
    }

    @Test
    void aHistoryThatMissesPointsCountsThemLostAndFails() {
        logAcknowledged("r1", 0);
        logAcknowledged("r1", 1);
        store.points.get("r1").remove(3); // the server "acknowledged then lost" one point
        store.points.get("r1").remove(0);
        MetricVerifier.Result r = new MetricVerifier(store, MetricVerifier.RowCounter.NONE).verify(ledger);
        assertThat(r.lost()).as("lost points").isEqualTo(2);
        assertThat(r.ok()).isFalse();
        assertThat(r.examples()).allMatch(e -> e.startsWith("lost in run r1"));
        assertThat(Slo.NONE.checkMeasured(r.integrityErrors(), null, null))
                .as("becomes a breach")
                .hasSize(1);
    }

    @Test
    void pointsStoredTwiceCountAsDuplicated() {
        logAcknowledged("r1", 0);
        store.store("r1", List.of(MetricPoints.batch(0, 5, 1000).get(2)));
        MetricVerifier.Result r = new MetricVerifier(store, MetricVerifier.RowCounter.NONE).verify(ledger);
        assertThat(r.duplicated()).isEqualTo(1);
        assertThat(r.lost()).isZero();
        assertThat(r.ok()).isFalse();
    }

    @Test
    void unacknowledgedWritesAndDeadlocksAreNotLost() {
        logAcknowledged("r1", 0);
        store.store("r1", MetricPoints.batch(1, 5, 2000)); // committed, but the client saw a timeout: not acknowledged
        ledger.unavailable(); // a 503 deadlock: not acknowledged, not stored
        MetricVerifier.Result r = new MetricVerifier(store, MetricVerifier.RowCounter.NONE).verify(ledger);
        assertThat(r.lost()).isZero();
        assertThat(r.unacknowledgedStored()).isEqualTo(5);
        assertThat(r.unavailable503Requests()).isEqualTo(1);
        assertThat(r.dbRows()).as("no database access").isEqualTo(-1);
        assertThat(r.ok()).isTrue();
    }

    @Test
    void fewerDatabaseRowsThanAcknowledgedFails() {
        logAcknowledged("r1", 0);
        MetricVerifier.Result r = new MetricVerifier(store, runs -> OptionalLong.of(3L * runs.size())).verify(ledger);
        assertThat(r.integrityErrors()).isEqualTo(2);
        assertThat(r.ok()).isFalse();
    }

    @Test
    void aHistoryReadThatFailsFailsTheVerificationWithItsOwnError() {
        logAcknowledged("r1", 0);
        logAcknowledged("r2", 0);
        MetricVerifier.HistorySource refusing = (run, key) -> {
            if (run.equals("r2")) {
                throw new IllegalStateException("GET metrics/get-history of r2: 503");
            }
            return store.history(run, key);
        };
        assertThatThrownBy(() -> new MetricVerifier(refusing, MetricVerifier.RowCounter.NONE).verify(ledger))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("GET metrics/get-history of r2: 503");
    }

    @Test
    void theLedgerIsThreadSafe() throws Exception {
        Thread[] ts = new Thread[8];
        for (int t = 0; t < ts.length; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    ledger.acknowledge("r" + (i % 3), List.of(new MetricLedger.Point("k" + id, i, i, i)));
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        long total = ledger.runs().stream()
                .mapToLong(r -> ledger.acknowledged(r).size())
                .sum();
        assertThat(total).isEqualTo(8 * 200);
    }
}
