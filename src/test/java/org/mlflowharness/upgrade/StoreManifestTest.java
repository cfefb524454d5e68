package org.mlflowharness.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mlflowharness.upgrade.Manifest.Kind;

class StoreManifestTest {

    /** A store of 5 runs with two metric keys each, one model with two versions, and a run the API does not serve. */
    static final class FakeStore implements ItemSource {
        final List<String> sql = new ArrayList<>();
        final Map<String, String> served = new TreeMap<>();

        @Override
        public StateReader.Read read(Kind kind, String key) {
            String k = kind + " " + key;
            return key.equals("r4") && kind == Kind.RUN
                    ? StateReader.Read.missing("GET /runs/get answered 404")
                    : StateReader.Read.of(served.getOrDefault(k, k));
        }

        @Override
        public List<String> column(String q) {
            sql.add(q);
            if (q.contains("FROM experiments")) {
                return List.of("0", "1");
            }
            if (q.contains("FROM runs")) {
                return List.of("r0", "r1", "r2", "r3", "r4");
            }
            if (q.contains("FROM metrics")) {
                return List.of("r0/loss", "r0/acc", "r1/loss", "r1/acc");
            }
            if (q.contains("FROM registered_models")) {
                return List.of("model");
            }
            if (q.contains("FROM model_versions")) {
                return List.of("model/1", "model/2");
            }
            throw new AssertionError(q);
        }

        @Override
        public Map<String, Long> tables() {
            return Map.of("runs", 5L, "metrics", 4000L);
        }
    }

    @Test
    void everyEntityOfTheStoreAndASampleOfFullHistories() {
        FakeStore store = new FakeStore();
        StoreManifest.Recorded r =
                StoreManifest.record(store, 2, List.of("1/r0/artifacts/model.pkl"), "artifacts", s -> {});
        Map<String, Integer> counts = r.manifest().counts();
        assertThat(counts)
                .containsEntry("experiment", 2)
                .containsEntry("run", 4) // r4 is not served: skipped with the reason, not verified
                .containsEntry("run's metric points", 5)
                .containsEntry("metric history", 4)
                .containsEntry("registered model", 1)
                .containsEntry("model version", 2)
                .containsEntry("object", 1)
                .containsEntry("artifact", 1)
                .containsEntry("table", 2);
        assertThat(r.manifest().skipped()).singleElement().asString().contains("run r4", "404");
        assertThat(r.sample()).isEqualTo(new StoreManifest.Sample(2, 5, 4));
        assertThat(r.sample().describe()).contains("of 2 of 5 runs", "4 histories");
        assertThat(store.sql.stream().filter(q -> q.contains("FROM metrics")))
                .singleElement()
                .asString()
                .contains("IN ('r0','r1')");
        assertThat(r.manifest().items())
                .anyMatch(i -> i.kind() == Kind.OBJECT && i.key().equals("artifacts/1/r0/artifacts/model.pkl"));
    }

    @Test
    void aSampleOfZeroReadsNoHistory() {
        StoreManifest.Recorded r = StoreManifest.record(new FakeStore(), 0, List.of(), "artifacts", s -> {});
        assertThat(r.manifest().counts()).doesNotContainKey("metric history");
        assertThat(r.sample().histories()).isZero();
    }

    @Test
    void verificationNamesARunWhoseMetricPointsChanged() {
        FakeStore before = new FakeStore();
        Manifest m =
                StoreManifest.record(before, 1, List.of(), "artifacts", s -> {}).manifest();
        FakeStore after = new FakeStore();
        after.served.put("RUN_METRICS r2", "1 keys, 999 points");
        Verification v = Verification.of("after the upgrade", m, after);
        assertThat(v.passed()).isFalse();
        assertThat(v.changed())
                .singleElement()
                .satisfies(o -> assertThat(o.key()).isEqualTo("r2"));
    }
}
