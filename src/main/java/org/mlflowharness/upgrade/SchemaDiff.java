package org.mlflowharness.upgrade;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.mlflowharness.upgrade.SchemaSnapshot.Column;
import org.mlflowharness.upgrade.SchemaSnapshot.ForeignKey;
import org.mlflowharness.upgrade.SchemaSnapshot.Index;

/**
 * Every difference between an upgraded schema and a fresh install of the same MLflow version on the same engine:
 * tables, columns (type, nullability, default, collation), indexes and foreign keys (matched by what they cover, so a
 * name alone differing is listed as such), triggers, collations. A table, column, index or foreign key that the fresh
 * install has and the upgraded schema lacks fails the rehearsal (a missing index turns queries into full scans, a
 * missing foreign key lets orphans in), unless it is listed as expected in {@code upgrade-schema-expected.txt}; every
 * other difference is listed without failing it.
 */
public final class SchemaDiff {

    /** The resource of expected differences: {@code <kind> <object> | <why>} per line, {@code #} comments. */
    static final String EXPECTED = "/upgrade-schema-expected.txt";

    /** The kinds of difference that fail the rehearsal (unless expected). */
    static final Set<String> FAILING =
            Set.of("missing-table", "missing-column", "missing-index", "missing-foreign-key");

    /**
     * One difference: its kind ({@code missing-index}, {@code column-type}, ...), the object ({@code metrics.value},
     * {@code metrics (run_uuid)}), what each side has, whether it fails the rehearsal, and why it is expected if it is.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Difference(String kind, String object, String detail, boolean fails, String expected) {

        /** {@code kind object: detail}, for the verdict and the console. */
        public String oneLine() {
            return kind + " " + object + ": " + detail + (expected == null ? "" : " (expected: " + expected + ")");
        }
    }

    private final List<Difference> found = new ArrayList<>();
    private final Map<String, String> expected;

    private SchemaDiff(Map<String, String> expected) {
        this.expected = expected;
    }

    /** The differences of {@code upgraded} from {@code fresh}, the expected ones marked as such. */
    public static List<Difference> compare(SchemaSnapshot upgraded, SchemaSnapshot fresh) {
        return compare(upgraded, fresh, expected());
    }

    static List<Difference> compare(SchemaSnapshot upgraded, SchemaSnapshot fresh, Map<String, String> expected) {
        SchemaDiff d = new SchemaDiff(expected);
        d.values("table", upgraded.tableCollations(), fresh.tableCollations(), c -> "collation " + c, (name, u, f) -> {
            d.differ("table-collation", name, u, f);
        });
        d.values("column", upgraded.columns(), fresh.columns(), c -> c.type() + " " + nullability(c), (name, u, f) -> {
            d.differ("column-type", name, u.type(), f.type());
            d.differ("column-null", name, nullability(u), nullability(f));
            d.differ("column-default", name, String.valueOf(u.defaultValue()), String.valueOf(f.defaultValue()));
            d.differ("column-collation", name, u.collation(), f.collation());
        });
        for (String table : union(upgraded.indexes().keySet(), fresh.indexes().keySet())) {
            if (!upgraded.tableCollations().containsKey(table)
                    || !fresh.tableCollations().containsKey(table)) {
                continue; // a table only one side has is its own difference
            }
            d.values(
                    "index",
                    byShape(upgraded.indexes().getOrDefault(table, List.of()), Index::shape, table),
                    byShape(fresh.indexes().getOrDefault(table, List.of()), Index::shape, table),
                    Index::name,
                    (shape, u, f) -> d.differ("index-name", shape, u.name(), f.name()));
        }
        for (String table :
                union(upgraded.foreignKeys().keySet(), fresh.foreignKeys().keySet())) {
            if (!upgraded.tableCollations().containsKey(table)
                    || !fresh.tableCollations().containsKey(table)) {
                continue;
            }
            d.values(
                    "foreign-key",
                    byShape(upgraded.foreignKeys().getOrDefault(table, List.of()), ForeignKey::shape, table),
                    byShape(fresh.foreignKeys().getOrDefault(table, List.of()), ForeignKey::shape, table),
                    ForeignKey::name,
                    (shape, u, f) -> {
                        d.differ("foreign-key-name", shape, u.name(), f.name());
                        d.differ("foreign-key-rule", shape, rules(u), rules(f));
                    });
        }
        d.values("trigger", upgraded.triggers(), fresh.triggers(), t -> "on " + t.table(), (name, u, f) -> {
            d.differ("trigger", name, u.toString(), f.toString());
        });
        return List.copyOf(d.found);
    }

    private interface Both<T> {
        void accept(String name, T upgraded, T fresh);
    }

    /** Items by name on each side: missing ones, extra ones, and {@code both} for those on both sides. */
    private <T> void values(
            String what, Map<String, T> upgraded, Map<String, T> fresh, Function<T, String> describe, Both<T> both) {
        for (String name : union(upgraded.keySet(), fresh.keySet())) {
            T u = upgraded.get(name);
            T f = fresh.get(name);
            if (u == null) {
                add(
                        "missing-" + what,
                        name,
                        "a fresh install has it (" + describe.apply(f) + "), the upgraded schema not");
            } else if (f == null) {
                add(
                        "extra-" + what,
                        name,
                        "the upgraded schema has it (" + describe.apply(u) + "), a fresh install not");
            } else {
                both.accept(name, u, f);
            }
        }
    }

    private void differ(String kind, String object, String upgraded, String fresh) {
        if (!Objects.equals(upgraded, fresh)) {
            add(kind, object, "upgraded: " + upgraded + "; fresh install: " + fresh);
        }
    }

    private void add(String kind, String object, String detail) {
        String why = expected.get(kind + " " + object);
        found.add(new Difference(kind, object, detail, why == null && FAILING.contains(kind), why));
    }

    private static <T> Map<String, T> byShape(List<T> items, Function<T, String> shape, String table) {
        Map<String, T> map = new LinkedHashMap<>();
        items.forEach(i -> map.putIfAbsent(table + " " + shape.apply(i), i));
        return map;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static String nullability(Column c) {
        return c.nullable() ? "NULL" : "NOT NULL";
    }

    private static String rules(ForeignKey fk) {
        return "ON UPDATE " + fk.onUpdate() + " ON DELETE " + fk.onDelete();
    }

    /** The expected differences: {@code <kind> <object>} to why, from {@link #EXPECTED}. */
    static Map<String, String> expected() {
        try (InputStream in = SchemaDiff.class.getResourceAsStream(EXPECTED)) {
            if (in == null) {
                throw new IllegalStateException(EXPECTED + " is not on the class path (src/main/resources)");
            }
            return parseExpected(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> parseExpected(String text) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            int bar = l.indexOf('|');
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (bar < 0) {
                throw new IllegalStateException(EXPECTED + ": '" + l + "' has no '| why'");
            }
            expected.put(l.substring(0, bar).strip(), l.substring(bar + 1).strip());
        }
        return expected;
    }
}
