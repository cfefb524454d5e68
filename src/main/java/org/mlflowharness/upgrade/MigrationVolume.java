package org.mlflowharness.upgrade;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Migration time against the FROM database's row counts, and its extrapolation to the counts a user gives with
 * {@code --rows-like table=N,...}. The model is stated with the figure: linear in the largest table, i.e. the whole
 * measured time is assumed to grow as the table with the most rows in the rehearsal (among those given) grows.
 *
 * @param seconds the measured migration time
 * @param rowsFrom the row count of every table of FROM's database when it was migrated
 * @param rowsLike the counts given, per table
 * @param factor the growth factor (rows given / rows migrated) of the largest table given, or null
 * @param byTable that table
 * @param estimatedSeconds {@code seconds * factor}, or null without a factor
 * @param notes tables given that could not be used, and why
 */
public record MigrationVolume(
        double seconds,
        Map<String, Long> rowsFrom,
        Map<String, Long> rowsLike,
        Double factor,
        String byTable,
        Double estimatedSeconds,
        List<String> notes) {

    public static final String MODEL = "linear in the largest table: estimated time = measured time x (rows given /"
            + " rows migrated) of the table given that has the most rows in the rehearsal. It treats all of the"
            + " measured time as growing with that table. It overestimates when the measured time is mostly a fixed cost per DDL statement (as at"
            + " a small seed: creating tables and indexes on empty or small tables), and underestimates migrations"
            + " that rebuild a table with secondary indexes (n log n) or copy it (ALTER TABLE ... ALGORITHM=COPY);"
            + " tables not given count as not growing. A second rehearsal at a larger volume is what turns it into a"
            + " fit.";

    /** Below this many rows in the largest table, the estimate is marked an upper bound. */
    static final long SMALL = 100_000;

    /** {@code --rows-like metrics=50000000,params=2000000}: table names and counts; a one-line error otherwise. */
    public static Map<String, Long> parse(String value) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String part : value.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2 || !kv[0].trim().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("--rows-like " + value + ": expected table=rows,... (e.g."
                        + " metrics=50000000,params=2000000), got '" + part.trim() + "'");
            }
            long n;
            try {
                n = Long.parseLong(kv[1].trim().replace("_", ""));
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0) {
                throw new IllegalArgumentException(
                        "--rows-like: " + kv[0].trim() + "=" + kv[1].trim() + " is not a row count (0 or more)");
            }
            out.put(kv[0].trim(), n);
        }
        return out;
    }

    /** The figures of one migration: {@code seconds} over {@code rowsFrom}, extrapolated to {@code rowsLike}. */
    public static MigrationVolume of(double seconds, Map<String, Long> rowsFrom, Map<String, Long> rowsLike) {
        Double factor = null;
        String by = null;
        long largest = 0;
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, Long> e : rowsLike.entrySet()) {
            Long from = rowsFrom.get(e.getKey());
            if (from == null) {
                notes.add(e.getKey() + ": not a table of FROM's database, left out");
            } else if (from == 0) {
                notes.add(e.getKey() + ": empty in the rehearsal, so its growth cannot be scaled from it; left out");
            } else if (from > largest) {
                largest = from;
                factor = (double) e.getValue() / from;
                by = e.getKey();
            }
        }
        Double estimate = factor == null ? null : Math.round(seconds * factor * 10) / 10.0;
        if (factor != null && largest < SMALL) {
            notes.add("the largest table given (" + by + ") has " + largest + " rows in the rehearsal: at this volume"
                    + " the migration time is mostly fixed cost per DDL statement, so the estimate is an upper bound of"
                    + " the linear model, not a forecast; rehearse at a larger volume for a usable figure");
        }
        return new MigrationVolume(
                seconds,
                new TreeMap<>(rowsFrom),
                rowsLike,
                factor == null ? null : Math.round(factor * 100) / 100.0,
                by,
                estimate,
                notes);
    }

    /** The report's lines: rows migrated per table, the estimate, its model and its limits. */
    public String markdown() {
        StringBuilder md = new StringBuilder("### Migration time against row counts\n\n");
        md.append("Migrated in ")
                .append(seconds)
                .append(" s with these rows in FROM's database:\n\n| table | rows migrated |");
        md.append(rowsLike.isEmpty() ? "\n|---|---|\n" : " rows given (--rows-like) |\n|---|---|---|\n");
        rowsFrom.forEach((t, n) -> {
            md.append("| ").append(t).append(" | ").append(n);
            if (!rowsLike.isEmpty()) {
                md.append(" | ")
                        .append(rowsLike.containsKey(t) ? String.valueOf(rowsLike.get(t)) : "")
                        .append(" |\n");
            } else {
                md.append(" |\n");
            }
        });
        md.append('\n');
        if (estimatedSeconds != null) {
            md.append("Estimated migration time at the rows given: **")
                    .append(estimatedSeconds)
                    .append(" s** (x")
                    .append(factor)
                    .append(", from ")
                    .append(byTable)
                    .append(").\n\n");
        } else if (!rowsLike.isEmpty()) {
            md.append("No estimate: none of the tables given has rows in the rehearsal.\n\n");
        } else {
            md.append("No estimate: give production's counts with --rows-like table=rows,...\n\n");
        }
        notes.forEach(n -> md.append("- ").append(n).append('\n'));
        md.append(notes.isEmpty() ? "" : "\n").append("Model: ").append(MODEL).append("\n\n");
        return md.toString();
    }
}
