package org.mlflowharness.upgrade;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.Endpoints.DatabaseAccess;

/**
 * What the database server says of the conditions MLflow's migration meets, read as MLflow's own user just before it:
 * binary logging, the trigger waiver, the server's and the schema's default character set, the collations of
 * MLflow's tables, and the user's grants (least privileged when they name MLflow's schema only).
 *
 * @param variables schema (MLflow's), version, log_bin, log_bin_trust_function_creators, character_set_server, collation_server, and the
 *     schema's default character set and collation
 * @param tableCollations how many of MLflow's tables have each collation
 * @param grants {@code SHOW GRANTS} for MLflow's user
 */
public record ServerFacts(Map<String, String> variables, Map<String, Integer> tableCollations, List<String> grants) {

    public static ServerFacts read(DatabaseAccess db) {
        Map<String, String> v = new LinkedHashMap<>();
        Map<String, Integer> collations = new LinkedHashMap<>();
        List<String> grants = new ArrayList<>();
        try (Connection c = db.connect()) {
            try (ResultSet rs = c.createStatement()
                    .executeQuery("SELECT DATABASE(), VERSION(), @@log_bin, @@log_bin_trust_function_creators,"
                            + " @@character_set_server, @@collation_server, s.default_character_set_name,"
                            + " s.default_collation_name FROM information_schema.schemata s"
                            + " WHERE s.schema_name = DATABASE()")) {
                rs.next();
                String[] names = {
                    "schema",
                    "version",
                    "log_bin",
                    "log_bin_trust_function_creators",
                    "character_set_server",
                    "collation_server",
                    "schema default character set",
                    "schema default collation"
                };
                for (int i = 0; i < names.length; i++) {
                    v.put(names[i], rs.getString(i + 1));
                }
            }
            try (ResultSet rs = c.createStatement()
                    .executeQuery("SELECT table_collation, COUNT(*) FROM information_schema.tables"
                            + " WHERE table_schema = DATABASE() GROUP BY table_collation ORDER BY table_collation")) {
                while (rs.next()) {
                    collations.put(rs.getString(1), rs.getInt(2));
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("SHOW GRANTS")) {
                while (rs.next()) {
                    grants.add(
                            rs.getString(1).replaceAll("IDENTIFIED BY PASSWORD '[^']*'", "IDENTIFIED BY PASSWORD ..."));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the server's conditions: " + e.getMessage(), e);
        }
        return new ServerFacts(v, collations, grants);
    }

    /**
     * True when every grant is on {@code schema} alone, besides the global USAGE every account has (no global
     * privilege, no SUPER).
     */
    public static boolean onlyOnSchema(List<String> grants, String schema) {
        return !grants.isEmpty()
                && grants.stream()
                        .allMatch(g -> g.matches("GRANT USAGE ON \\*\\.\\* TO .*")
                                || g.matches("GRANT .* ON [`']?" + schema + "[`']?\\.\\* TO .*"));
    }

    public boolean leastPrivileged() {
        return onlyOnSchema(grants, variables.get("schema"));
    }

    /** "on" or "off", from the server's own {@code @@log_bin}. */
    public String binaryLogging() {
        String b = variables.getOrDefault("log_bin", "");
        return b.equals("1") || b.equalsIgnoreCase("ON") ? "on" : "off";
    }
}
