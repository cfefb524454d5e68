package org.mlflowharness.stack;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlflowharness.model.Endpoints.DatabaseAccess;

/**
 * Why MLflow exited while starting against MySQL, read from its log, in one line instead of a Python traceback: the
 * schema migration that MySQL refused (error 1419: a trigger without SUPER while binary logging is on), the stuck
 * half-applied migration a re-run then meets (error 1050: MySQL had committed the migration's DDL), a foreign key
 * refused because the tables it joins have different character sets or collations (MySQL's 3780 and 1215, MariaDB's
 * 1005 with errno 150: tables an old server default made latin1 or utf8mb3 under a schema now defaulting to
 * utf8mb4), and a login its driver cannot do ({@code caching_sha2_password}). Both stacks and the upgrade rehearsal use
 * it on MLflow's log.
 */
public final class MigrationFailure {

    /** The headline and the fix. */
    public record Diagnosis(String problem, String fix) {}

    private static final Pattern MYSQL_ERROR = Pattern.compile("\\((\\d{4}), ['\"](.*?)['\"]\\)");
    /** Alembic's line as a migration starts: from, to, description. */
    public static final Pattern UPGRADE = Pattern.compile("Running upgrade (\\w+) -> (\\w+)(?:, (.*))?");

    private static final Pattern MIGRATION_FILE = Pattern.compile("db_migrations/versions/([0-9a-f]+)_(\\w+)\\.py");
    private static final Pattern TRIGGER = Pattern.compile("CREATE TRIGGER (\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE TABLE `?(\\w+)|create table `\\w+`\\.`(\\w+)`");
    private static final Pattern FK_COLUMNS = Pattern.compile(
            "Referencing column '(\\w+)' and referenced column '(\\w+)' in foreign key constraint '(\\w+)'");
    private static final String TRUST = "log_bin_trust_function_creators";

    private MigrationFailure() {}

    /** The revision {@code alembic_version} records, if the database answers and has one. */
    public static Optional<String> schemaRevision(DatabaseAccess db) {
        try (var c = db.connect();
                var rs = c.createStatement().executeQuery("SELECT version_num FROM alembic_version")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * The diagnosis of MLflow's log, when it shows one of these failures.
     *
     * @param revision the schema's revision as the database records it ({@code alembic_version}), when known
     */
    public static Optional<Diagnosis> diagnose(List<String> log, Optional<String> revision) {
        String migration = null;
        String from = null;
        String code = null;
        String text = null;
        String trigger = null;
        String table = null;
        boolean tableAfterError = false;
        boolean auth = false;
        for (String line : log) {
            Matcher u = UPGRADE.matcher(line);
            if (u.find()) {
                from = u.group(1);
                migration = u.group(1) + " -> " + u.group(2) + (u.group(3) == null ? "" : " (" + u.group(3) + ")");
            }
            Matcher f = MIGRATION_FILE.matcher(line);
            if (f.find()) {
                migration = f.group(1) + " (" + f.group(2) + ")";
            }
            Matcher e = MYSQL_ERROR.matcher(line);
            if (code == null && e.find()) {
                code = e.group(1);
                text = e.group(2);
            }
            Matcher ct = CREATE_TABLE.matcher(line);
            if ((code == null || !tableAfterError) && ct.find()) {
                // the statement SQLAlchemy prints under the error, else the last one before it
                tableAfterError = code != null;
                table = ct.group(1) != null ? ct.group(1) : ct.group(2);
            }
            Matcher t = TRIGGER.matcher(line);
            if (trigger == null && t.find()) {
                trigger = t.group(1);
            }
            auth |= line.contains("caching_sha2_password");
        }
        String stuck = revision.orElse(from);
        String at = stuck == null ? "" : " at revision " + stuck;
        if ("1419".equals(code)) {
            return Optional.of(new Diagnosis(
                    "MLflow's schema migration failed on MySQL with error 1419 (\"" + text + "\")"
                            + (trigger == null ? "" : " creating trigger " + trigger)
                            + (migration == null ? "" : " in migration " + migration)
                            + ": binary logging is on (MySQL's default) and MLflow's user has no SUPER; the schema is"
                            + " left half-migrated" + at + " (MySQL commits each DDL statement, so a re-run fails"
                            + " with 1050)",
                    "start MySQL with " + TRUST + "=ON (--log-bin-trust-function-creators=ON, or SET GLOBAL " + TRUST
                            + "=1 as root), or let MLflow migrate as a user with SUPER; then start from a fresh"
                            + " schema or a backup"));
        }
        if (foreignKeyRefused(code, text)) {
            Matcher fk = FK_COLUMNS.matcher(text);
            String what = fk.find()
                    ? "foreign key " + fk.group(3) + " (" + (table == null ? "" : table + ".") + fk.group(1) + " -> "
                            + fk.group(2) + ")"
                    : "a foreign key" + (table == null ? "" : " of table " + table);
            return Optional.of(new Diagnosis(
                    "MLflow's schema migration failed with database error " + code + " (\"" + text + "\") creating "
                            + what + (migration == null ? "" : " in migration " + migration)
                            + ": the new table takes the schema's default character set and collation, the table it"
                            + " refers to has another one (created under an older server default, e.g. latin1 or"
                            + " utf8mb3); the schema is left half-migrated" + at
                            + " (MySQL commits each DDL statement, so a re-run fails with 1050)",
                    "restore the backup taken before the upgrade, then convert every MLflow table to the schema's"
                            + " default before migrating (SET FOREIGN_KEY_CHECKS=0; ALTER TABLE <table> CONVERT TO"
                            + " CHARACTER SET utf8mb4 COLLATE <the schema's collation>; for each table, as mlflow#9484's"
                            + " workaround does) and run mlflow db upgrade again"));
        }
        if ("1050".equals(code) && migration != null) {
            return Optional.of(new Diagnosis(
                    "MLflow's schema is stuck" + at + " on MySQL: migration " + migration + " fails with error 1050 (\""
                            + text + "\") because an earlier run of it failed half-way and MySQL had already committed"
                            + " its DDL",
                    "restore the backup taken before the upgrade (or drop what the failed migration created), fix"
                            + " its first failure (for error 1419: " + TRUST + "=ON; for 3780: tables converted to one"
                            + " collation) and run mlflow db upgrade again"));
        }
        if (auth) {
            return Optional.of(new Diagnosis(
                    "MLflow's MySQL driver cannot log in with MySQL's authentication plugin caching_sha2_password",
                    "give MLflow's environment a driver that has the plugin (PyMySQL with the cryptography package;"
                            + " mysqlclient built on libmysqlclient or MariaDB Connector/C 3.1+ with its"
                            + " caching_sha2_password plugin); mysql_native_password is gone from MySQL 9"));
        }
        return Optional.empty();
    }

    /** MySQL 8+: 3780 (incompatible columns), 1215 (older servers); MariaDB: 1005 with errno 150. */
    private static boolean foreignKeyRefused(String code, String text) {
        return "3780".equals(code) || "1215".equals(code) || ("1005".equals(code) && text.contains("errno: 150"));
    }
}
