package org.mlflowharness.upgrade;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mlflowharness.model.Endpoints.DatabaseAccess;

/**
 * The structure of one database as {@code information_schema} describes it (the same on MySQL and MariaDB): tables
 * with their collation, columns (type, nullability, default, collation), indexes (columns in order, unique or not),
 * foreign keys (columns, referenced table and columns, rules) and triggers. Names are keys; everything is sorted so two
 * snapshots compare item by item ({@link SchemaDiff}).
 */
public record SchemaSnapshot(
        String schema,
        Map<String, String> tableCollations,
        Map<String, Column> columns,
        Map<String, List<Index>> indexes,
        Map<String, List<ForeignKey>> foreignKeys,
        Map<String, Trigger> triggers) {

    /** A column: {@code COLUMN_TYPE} as the server spells it, nullability, default (null: none) and collation. */
    public record Column(String type, boolean nullable, String defaultValue, String collation) {}

    /** An index of a table: its name, its columns in order ({@code name(prefix)} for a prefix), unique or not. */
    public record Index(String name, List<String> columns, boolean unique) {

        /** What an index is, whatever its name: the table's columns it covers, in order, and whether unique. */
        String shape() {
            return (unique ? "UNIQUE " : "") + "(" + String.join(", ", columns) + ")";
        }
    }

    /** A foreign key of a table: its name, columns, the referenced table and columns, and its rules. */
    public record ForeignKey(
            String name,
            List<String> columns,
            String referencedTable,
            List<String> referencedColumns,
            String onUpdate,
            String onDelete) {

        /** What a foreign key is, whatever its name and rules. */
        String shape() {
            return "(" + String.join(", ", columns) + ") -> " + referencedTable + "("
                    + String.join(", ", referencedColumns) + ")";
        }
    }

    /** A trigger: its table, when it fires, on what, and its statement (whitespace collapsed). */
    public record Trigger(String table, String timing, String event, String statement) {}

    /** Reads the schema of the database {@code db} points at (the user needs rights on it to see its objects). */
    public static SchemaSnapshot read(DatabaseAccess db) {
        try (Connection c = db.connect()) {
            String schema = c.getCatalog();
            Map<String, String> tables = new TreeMap<>();
            query(
                    c,
                    schema,
                    "SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES"
                            + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
                    rs -> tables.put(rs.getString(1), rs.getString(2)));

            Map<String, Column> columns = new TreeMap<>();
            query(
                    c,
                    schema,
                    "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLLATION_NAME"
                            + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?",
                    rs -> {
                        if (tables.containsKey(rs.getString(1))) { // not the columns of views
                            columns.put(
                                    rs.getString(1) + "." + rs.getString(2),
                                    new Column(
                                            rs.getString(3),
                                            "YES".equals(rs.getString(4)),
                                            rs.getString(5),
                                            rs.getString(6)));
                        }
                    });

            Map<String, Map<String, Index>> indexes = new TreeMap<>();
            query(
                    c,
                    schema,
                    "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS"
                            + " WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
                    rs -> {
                        String column = rs.getString(4) + (rs.getString(5) == null ? "" : "(" + rs.getString(5) + ")");
                        boolean unique = rs.getInt(3) == 0;
                        indexes.computeIfAbsent(rs.getString(1), t -> new LinkedHashMap<>())
                                .computeIfAbsent(rs.getString(2), n -> new Index(n, new ArrayList<>(), unique))
                                .columns()
                                .add(column);
                    });

            Map<String, Map<String, ForeignKey>> foreignKeys = new TreeMap<>();
            query(
                    c,
                    schema,
                    "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME,"
                            + " k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE"
                            + " FROM information_schema.KEY_COLUMN_USAGE k"
                            + " JOIN information_schema.REFERENTIAL_CONSTRAINTS r"
                            + " ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
                            + " AND r.TABLE_NAME = k.TABLE_NAME"
                            + " WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL"
                            + " ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
                    rs -> {
                        String table = rs.getString(1);
                        String referenced = rs.getString(4);
                        String onUpdate = rs.getString(6);
                        String onDelete = rs.getString(7);
                        ForeignKey fk = foreignKeys
                                .computeIfAbsent(table, t -> new LinkedHashMap<>())
                                .computeIfAbsent(
                                        rs.getString(2),
                                        n -> new ForeignKey(
                                                n,
                                                new ArrayList<>(),
                                                referenced,
                                                new ArrayList<>(),
                                                onUpdate,
                                                onDelete));
                        fk.columns().add(rs.getString(3));
                        fk.referencedColumns().add(rs.getString(5));
                    });

            Map<String, Trigger> triggers = new TreeMap<>();
            query(
                    c,
                    schema,
                    "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT"
                            + " FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?",
                    rs -> triggers.put(
                            rs.getString(1),
                            new Trigger(
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5).strip().replaceAll("\\s+", " "))));

            Map<String, List<Index>> indexLists = new TreeMap<>();
            indexes.forEach((t, m) -> indexLists.put(t, List.copyOf(m.values())));
            Map<String, List<ForeignKey>> fkLists = new TreeMap<>();
            foreignKeys.forEach((t, m) -> fkLists.put(t, List.copyOf(m.values())));
            return new SchemaSnapshot(schema, tables, columns, indexLists, fkLists, triggers);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read the schema of " + db.jdbcUrl() + " from information_schema: " + e.getMessage(), e);
        }
    }

    /** The database's default character set and collation ({@code information_schema.SCHEMATA}). */
    public static String[] defaults(DatabaseAccess db) {
        try (Connection c = db.connect();
                PreparedStatement s = c.prepareStatement("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME"
                        + " FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            s.setString(1, c.getCatalog());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("information_schema.SCHEMATA has no " + c.getCatalog());
                }
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the defaults of " + db.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String schema, String sql, Row row) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        }
    }
}
