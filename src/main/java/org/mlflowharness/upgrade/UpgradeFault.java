package org.mlflowharness.upgrade;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.mlflowharness.model.Endpoints.DatabaseAccess;

/**
 * A deliberately damaging migration step ({@code --upgrade-fault}): after {@code mlflow db upgrade} and before the TO
 * server starts, one table is emptied or dropped. The rehearsal must then fail and name what was lost; a rehearsal that
 * passes with it would prove nothing.
 */
public record UpgradeFault(Action action, String table) {

    public enum Action {
        TRUNCATE("truncate-table"),
        DROP("drop-table");

        final String id;

        Action(String id) {
            this.id = id;
        }
    }

    /** {@code truncate-table=<table>} or {@code drop-table=<table>}; empty for an empty value. */
    public static Optional<UpgradeFault> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String[] kv = value.strip().split("=", 2);
        for (Action a : Action.values()) {
            if (a.id.equals(kv[0]) && kv.length == 2 && kv[1].matches("[A-Za-z0-9_]+")) {
                return Optional.of(new UpgradeFault(a, kv[1]));
            }
        }
        throw new IllegalArgumentException("--upgrade-fault '" + value
                + "': use truncate-table=<table> or drop-table=<table>, " + "e.g. truncate-table=params");
    }

    /** Applies the damage through JDBC (foreign key checks off, so that a referenced table can go too). */
    public void apply(DatabaseAccess db) {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement s = c.createStatement()) {
            s.execute("SET FOREIGN_KEY_CHECKS = 0");
            s.execute((action == Action.DROP ? "DROP TABLE `" : "TRUNCATE TABLE `") + table + "`");
            s.execute("SET FOREIGN_KEY_CHECKS = 1");
        } catch (SQLException e) {
            throw new IllegalStateException("--upgrade-fault " + this + " could not be applied: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return action.id + "=" + table;
    }
}
