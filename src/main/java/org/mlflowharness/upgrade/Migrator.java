package org.mlflowharness.upgrade;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.model.DatabaseConditions;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.stack.MigrationFailure;

/**
 * Runs TO's {@code mlflow db upgrade} for the rehearsal ({@link MigrationRun}): once, or with
 * {@code --interrupt-migration} killed part-way and run again, reporting whether the re-run finished or stayed stuck.
 * A failed migration becomes one line naming the migration, the revision and the fix ({@link MigrationFailure}).
 */
final class Migrator {

    static final Duration TIMEOUT = Duration.ofMinutes(30);

    /**
     * {@code mlflow db upgrade URI} as the {@code mlflow} script runs it, with alembic's INFO lines logged: MLflow 3.x
     * sets alembic's logger to WARNING when it is imported, so its "Running upgrade A -> B" lines are otherwise not
     * printed.
     */
    private static final String WATCHED_UPGRADE = "import logging, sys\n"
            + "from mlflow.cli import cli\n"
            + "alembic = logging.getLogger('alembic')\n"
            + "alembic.setLevel(logging.INFO)\n"
            + "if not alembic.handlers:\n"
            + "    alembic.addHandler(logging.StreamHandler())\n"
            + "sys.argv = ['mlflow', 'db', 'upgrade', sys.argv[1]]\n"
            + "sys.exit(cli())\n";

    /** What the report says was run. */
    static final String DESCRIPTION = "mlflow db upgrade <backend-store-uri>, run through MLflow's CLI entry point in"
            + " its python with alembic's INFO log on (its per-migration lines)";

    /** The command: TO's python next to its {@code mlflow} script. */
    static List<String> command(Path mlflowScript, String uri) {
        return List.of(mlflowScript.resolveSibling("python").toString(), "-c", WATCHED_UPGRADE, uri);
    }

    private final List<String> command;
    private final DatabaseAccess db;
    private final Path dir;
    private final Optional<MigrationRun.Interrupt> interrupt;
    private final MigrationFindings findings;
    private final Consumer<String> out;

    Migrator(
            List<String> command,
            DatabaseAccess db,
            Path dir,
            Optional<MigrationRun.Interrupt> interrupt,
            MigrationFindings findings,
            Consumer<String> out) {
        this.command = command;
        this.db = db;
        this.dir = dir;
        this.interrupt = interrupt;
        this.findings = findings;
        this.out = out;
    }

    /**
     * Before the migration: with a legacy charset, moves the schema's default to the server's current one; then records
     * what the server says of the conditions (binary logging, trigger waiver, collations, MLflow's grants).
     */
    void prepare(DatabaseConditions conditions) {
        if (conditions.legacyCharset() != DatabaseConditions.LegacyCharset.NONE) {
            findings.schemaDefaultMoved = moveSchemaDefault(db);
            out.accept("legacy charset: schema default moved " + findings.schemaDefaultMoved
                    + ", MLflow's tables keep theirs");
        }
        ServerFacts facts = ServerFacts.read(db);
        findings.server = facts;
        findings.leastPrivileged = facts.leastPrivileged();
        out.accept("database before the migration: " + facts.variables().get("version") + ", binary logging "
                + facts.binaryLogging() + ", log_bin_trust_function_creators="
                + facts.variables().get("log_bin_trust_function_creators") + ", tables by collation "
                + facts.tableCollations() + ", MLflow's user "
                + (findings.leastPrivileged ? "least privileged: " : "NOT least privileged: ") + facts.grants());
    }

    /** The migration's time against FROM's row counts, extrapolated to {@code rowsLike}. */
    void volume(MigrationRun.Outcome done, Map<String, Long> rowsFrom, Map<String, Long> rowsLike) {
        findings.volume = MigrationVolume.of(done.seconds(), rowsFrom, rowsLike);
        if (findings.volume.estimatedSeconds() != null) {
            out.accept("migration time extrapolated to --rows-like: " + findings.volume.estimatedSeconds() + " s (x"
                    + findings.volume.factor() + " from " + findings.volume.byTable()
                    + "; linear model, see the report)");
        }
    }

    /**
     * Migrates; returns the successful run's outcome (the re-run's after an interruption) and its log. Throws a
     * {@link StackException} with the diagnosis when the migration does not finish.
     */
    MigrationRun.Outcome migrate(Path log) {
        MigrationRun.Outcome first = MigrationRun.run(command, log, TIMEOUT, interrupt, dir);
        findings.steps = first.steps();
        MigrationRun.Outcome last = first;
        Path lastLog = log;
        if (interrupt.isPresent()) {
            String requested = interrupt.get().toString();
            String atKill = revision();
            if (first.killedAt() == null) {
                findings.interruption = new MigrationFindings.Interruption(
                        requested,
                        null,
                        atKill,
                        null,
                        null,
                        "not interrupted: the run ended (" + first.ended() + ") before " + requested);
            } else {
                out.accept("INTERRUPTED mlflow db upgrade during " + first.killedAt() + " (" + first.ended()
                        + "); alembic_version: " + atKill + "; running it again ...");
                lastLog = log.resolveSibling("migration-rerun.log");
                last = MigrationRun.run(command, lastLog, TIMEOUT, Optional.empty(), dir);
                String after = revision();
                String outcome = last.succeeded()
                        ? "finished: the re-run reached " + after + " (data: see the verification after the upgrade)"
                        : "stuck at revision " + after + ": "
                                + MigrationFailure.diagnose(ManagedProcess.tail(lastLog, 400), Optional.of(after))
                                        .map(MigrationFailure.Diagnosis::problem)
                                        .orElse("the re-run " + last.ended() + " (log " + lastLog + ")");
                findings.interruption = new MigrationFindings.Interruption(
                        requested, first.killedAt(), atKill, last.ended(), last.seconds(), outcome);
                out.accept("re-run " + last.ended() + " in " + last.seconds() + " s: " + outcome);
            }
        }
        if (!last.succeeded()) {
            Optional<String> at = MigrationFailure.schemaRevision(db);
            Optional<MigrationFailure.Diagnosis> d = MigrationFailure.diagnose(ManagedProcess.tail(lastLog, 400), at);
            findings.failure = d.map(MigrationFailure.Diagnosis::problem)
                    .orElse("mlflow db upgrade " + last.ended()
                            + at.map(r -> " at revision " + r).orElse(""));
            findings.fix = d.map(MigrationFailure.Diagnosis::fix).orElse(null);
            throw new StackException(
                    "mlflow db upgrade",
                    findings.failure + " (log: " + lastLog + ")",
                    findings.fix == null ? "see " + lastLog : findings.fix,
                    ManagedProcess.tail(lastLog, 20),
                    null);
        }
        return last;
    }

    private String revision() {
        return MigrationFailure.schemaRevision(db).orElse("(none)");
    }

    /**
     * {@code --legacy-charset}: the schema's default moves to the server's current one, as restoring a dump on a current
     * server (or ALTER DATABASE) does; the tables keep theirs. As MLflow's user (ALL on its schema includes ALTER).
     * Returns "before -> after".
     */
    static String moveSchemaDefault(DatabaseAccess db) {
        try (Connection c = db.connect()) {
            String schema;
            String before;
            String charset;
            String collation;
            try (ResultSet rs = c.createStatement()
                    .executeQuery("SELECT DATABASE(), @@character_set_database, @@collation_database,"
                            + " @@character_set_server, @@collation_server")) {
                rs.next();
                schema = rs.getString(1);
                before = rs.getString(2) + " / " + rs.getString(3);
                charset = rs.getString(4);
                collation = rs.getString(5);
            }
            c.createStatement()
                    .execute("ALTER DATABASE `" + schema + "` CHARACTER SET " + charset + " COLLATE " + collation);
            return before + " -> " + charset + " / " + collation;
        } catch (SQLException e) {
            throw new IllegalStateException("moving the schema's default character set: " + e.getMessage(), e);
        }
    }
}
