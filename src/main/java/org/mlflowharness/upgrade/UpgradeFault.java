package org.mlflowharness.upgrade;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.mlflowharness.model.Endpoints.DatabaseAccess;

/**
 * A deliberately damaging migration step ({@code --upgrade-fault}): after {@code mlflow db upgrade} and before the TO
 * server starts, one table is emptied or dropped, or one index dropped. The rehearsal must then fail and name what was
 * lost (the verification a table, the schema check an index); a rehearsal that passes with it would prove nothing.
 *
 * @param index the index of {@link Action#DROP_INDEX}, else null
 */
public record UpgradeFault(Action action, String table, String index) {

    public enum Action {
        TRUNCATE("truncate-table"),
        DROP("drop-table"),
        DROP_INDEX("drop-index");

        final String id;

        Action(String id) {
            this.id = id;
        }
    }

    /**
     * {@code truncate-table=<table>}, {@code drop-table=<table>} or {@code drop-index=<table>.<index>}; empty for an
     * empty value.
     */
    public static Optional<UpgradeFault> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String[] kv = value.strip().split("=", 2);
        for (Action a : Action.values()) {
            if (!a.id.equals(kv[0]) || kv.length != 2) {
                continue;
            }
            if (a == Action.DROP_INDEX && kv[1].matches("[A-Za-z0-9_]+\\.[A-Za-z0-9_]+")) {
                String[] ti = kv[1].split("\\.");
                return Optional.of(new UpgradeFault(a, ti[0], ti[1]));
            }
            if (a != Action.DROP_INDEX && kv[1].matches("[A-Za-z0-9_]+")) {
                return Optional.of(new UpgradeFault(a, kv[1], null));
            }
        }
        throw new IllegalArgumentException("--upgrade-fault '" + value
                + "': use truncate-table=<table>, drop-table=<table> or drop-index=<table>.<index>, "
                + "e.g. truncate-table=params");
    }

    /** Applies the damage through JDBC (foreign key checks off, so that a referenced table can go too). */
    public void apply(DatabaseAccess db) {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("SET FOREIGN_KEY_CHECKS = 0");
            s.execute(
                    switch (action) {
                        case DROP -> "DROP TABLE `" + table + "`";
                        case TRUNCATE -> "TRUNCATE TABLE `" + table + "`";
                        case DROP_INDEX -> "ALTER TABLE `" + table + "` DROP INDEX `" + index + "`";
                    });
            s.execute("SET FOREIGN_KEY_CHECKS = 1");
        } catch (SQLException e) {
            throw new IllegalStateException("--upgrade-fault " + this + " could not be applied: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return action.id + "=" + table + (index == null ? "" : "." + index);
    }
}
