package org.mlflowharness.upgrade;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mlflowharness.upgrade.Manifest.Item;
import org.mlflowharness.upgrade.Manifest.Kind;

/**
 * Every manifest item read again from a stack and compared: verified (present, equal, served), lost (not served: 404,
 * an error, no object, no table, rows missing) or changed (served, but different), item by item.
 *
 * @param phase  when it was verified, e.g. "after the upgrade to 3.17.2"
 * @param counts per kind: verified / lost / changed
 */
public record Verification(
        String phase,
        int items,
        int verified,
        List<Outcome> lost,
        List<Outcome> changed,
        Map<String, Map<String, Integer>> counts) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An item that did not verify: what FROM served and what this stack served or answered; for JSON items, the fields that differ. */
    public record Outcome(
            String kind, String key, String readBy, String expected, String actual, List<String> differences) {
        public String oneLine() {
            return kind + " " + key + ": "
                    + (differences.isEmpty()
                            ? abbreviate(expected) + " -> " + abbreviate(actual)
                            : String.join("; ", differences));
        }
    }

    public static Verification of(String phase, Manifest manifest, ItemSource reader) {
        int verified = 0;
        List<Outcome> lost = new ArrayList<>();
        List<Outcome> changed = new ArrayList<>();
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (Item item : manifest.items()) {
            StateReader.Read now = reader.read(item.kind(), item.key());
            String state;
            if (now.present() && Objects.equals(now.sha256(), item.sha256())) {
                verified++;
                state = "verified";
            } else {
                Outcome o = new Outcome(
                        item.kind().label(),
                        item.key(),
                        item.kind().readBy(),
                        item.content(),
                        now.present() ? now.summary() : now.content(),
                        now.present() ? differences(item.content(), now.summary()) : List.of());
                boolean rowsLost =
                        item.kind() == Kind.TABLE && now.present() && rows(now.content()) < rows(item.content());
                if (!now.present() || rowsLost) {
                    lost.add(o);
                    state = "lost";
                } else {
                    changed.add(o);
                    state = "changed";
                }
            }
            counts.computeIfAbsent(item.kind().label(), k -> new TreeMap<>()).merge(state, 1, Integer::sum);
        }
        return new Verification(phase, manifest.items().size(), verified, lost, changed, counts);
    }

    public boolean passed() {
        return lost.isEmpty() && changed.isEmpty();
    }

    /** One line for the verdict: counts and the first items lost or changed, named. */
    public String failure() {
        if (passed()) {
            return null;
        }
        List<String> named = new ArrayList<>();
        lost.stream().limit(5).forEach(o -> named.add("LOST " + o.oneLine()));
        changed.stream().limit(5).forEach(o -> named.add("CHANGED " + o.oneLine()));
        return phase + ": " + lost.size() + " item(s) lost, " + changed.size() + " changed of " + items + ": "
                + String.join(" | ", named)
                + (lost.size() + changed.size() > named.size() ? " | ... (all in the report)" : "");
    }

    /** For two canonical JSON objects, each top-level field whose value differs: {@code params: {a=1} -> {}}. */
    static List<String> differences(String expected, String actual) {
        Map<String, Object> a;
        Map<String, Object> b;
        try {
            a = JSON.readValue(expected, new TypeReference<>() {});
            b = JSON.readValue(actual, new TypeReference<>() {});
        } catch (Exception notJson) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String k : new TreeSet<>(union(a.keySet(), b.keySet()))) {
            if (!Objects.equals(a.get(k), b.get(k))) {
                out.add(k + ": " + abbreviate(String.valueOf(a.get(k))) + " -> "
                        + abbreviate(String.valueOf(b.get(k))));
            }
        }
        return out;
    }

    private static java.util.Set<String> union(java.util.Set<String> x, java.util.Set<String> y) {
        java.util.Set<String> u = new TreeSet<>(x);
        u.addAll(y);
        return u;
    }

    private static long rows(String content) {
        try {
            return Long.parseLong(content.replace(" rows", "").strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }
}
