package org.mlflowharness.upgrade;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the rehearsal seeded, as the FROM stack served it right after seeding: one {@link Item} per experiment,
 * run, metric history, artifact (through MLflow and in the bucket), registered model, model version and database
 * table, each with its canonical content and that content's SHA-256. Verifying a stack means reading every item again
 * ({@link StateReader}) and comparing.
 *
 * @param skipped what is not in the manifest, and why: not seeded (aliases where FROM has no alias API), or seeded but
 *                not served back by FROM (a finding about FROM)
 */
public record Manifest(String seededBy, List<Item> items, List<String> skipped) {

    public Manifest {
        items = List.copyOf(items);
        skipped = List.copyOf(skipped);
    }

    /** What an item is and how it is read back. */
    public enum Kind {
        EXPERIMENT("experiment", "API experiments/get"),
        RUN("run", "API runs/get"),
        METRIC_HISTORY("metric history", "API metrics/get-history"),
        RUN_METRICS("run's metric points", "SQL: points, steps and a checksum per key in the metrics table"),
        ARTIFACT("artifact", "download through nginx"),
        ARTIFACT_LISTING("artifact listing", "API artifacts list"),
        OBJECT("object", "S3 GetObject on the store"),
        REGISTERED_MODEL("registered model", "API registered-models/get"),
        MODEL_VERSION("model version", "API model-versions/get"),
        TABLE("table", "SELECT COUNT(*) in the database");

        private final String label;
        private final String readBy;

        Kind(String label, String readBy) {
            this.label = label;
            this.readBy = readBy;
        }

        public String label() {
            return label;
        }

        public String readBy() {
            return readBy;
        }
    }

    /**
     * One item: its kind, its key (an id, a path, a name), the canonical content FROM served and that content's SHA-256.
     * {@code content} is kept whole for small items and summarized for large ones (histories, objects).
     */
    public record Item(Kind kind, String key, String content, String sha256) {}

    /** Items per kind, for the report. */
    public Map<String, Integer> counts() {
        Map<String, Integer> m = new TreeMap<>();
        items.forEach(i -> m.merge(i.kind().label(), 1, Integer::sum));
        return m;
    }

    /** A manifest builder that reads each item back from the FROM stack as it is added. */
    static final class Builder {
        private final ItemSource reader;
        private final List<Item> items = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();

        Builder(ItemSource reader) {
            this.reader = reader;
        }

        void add(Kind kind, String key) {
            StateReader.Read r = reader.read(kind, key);
            if (r.present()) {
                items.add(new Item(kind, key, r.summary(), r.sha256()));
            } else {
                // FROM accepted it but does not serve it: a finding about FROM, and nothing an upgrade can be held to.
                skipped.add(
                        kind.label() + " " + key + ": FROM accepted it but does not serve it (" + r.content() + ")");
            }
        }

        void skip(String what) {
            skipped.add(what);
        }

        Manifest build(String seededBy) {
            return new Manifest(seededBy, items, skipped);
        }
    }
}
