package org.mlflowharness.upgrade;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;

/**
 * A logical backup of MLflow's database with {@code mariadb-dump} (schema, rows, {@code CREATE DATABASE} with its
 * character set and collation, and {@code DROP DATABASE} before it), and its restore with {@code mariadb}: the restore
 * replaces the whole database, so tables a newer schema added are gone too. Both run as MLflow's own database user
 * over TCP, with the password in an option file rather than on the command line.
 */
public final class DatabaseBackup {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final DatabaseAccess db;
    private final Path dir;

    /** @param dir where the dump, the option file and the logs go */
    public DatabaseBackup(DatabaseAccess db, Path dir) {
        this.db = db;
        this.dir = dir;
    }

    public Path dump() {
        return dir.resolve("backup.sql");
    }

    /** Dumps the database to {@link #dump()}; returns its size in bytes. */
    public long backUp() {
        Path log = dir.resolve("backup.log");
        Path errors = dir.resolve("backup.err");
        Command.run(
                "mariadb-dump",
                shell("mariadb-dump --defaults-extra-file=" + options() + " --databases " + name()
                        + " --add-drop-database --single-transaction --routines --triggers --hex-blob --default-character-set=utf8mb4 > "
                        + dump() + " 2> " + errors),
                log,
                TIMEOUT,
                "see " + errors);
        try {
            return Files.size(dump());
        } catch (IOException e) {
            throw new StackException("mariadb-dump", "no dump at " + dump() + ": " + e.getMessage(), "see " + log);
        }
    }

    /** Replaces the database with the dump. */
    public void restore() {
        Path log = dir.resolve("restore.log");
        Command.run(
                "mariadb",
                shell("mariadb --defaults-extra-file=" + options() + " --default-character-set=utf8mb4 < " + dump()),
                log,
                TIMEOUT,
                "see " + log);
    }

    private String name() {
        return URI.create(db.jdbcUrl().substring("jdbc:".length())).getPath().substring(1);
    }

    /** A client option file with the credentials (mode 600), so that the password is not in any process list. */
    private Path options() {
        URI jdbc = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        Path file = dir.resolve("client.cnf");
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    file,
                    "[client]\nhost=" + jdbc.getHost() + "\nport=" + jdbc.getPort() + "\nuser=" + db.user()
                            + "\npassword=" + db.password() + "\nprotocol=tcp\n");
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        } catch (IOException e) {
            throw new StackException(
                    "mariadb", "cannot write " + file + ": " + e.getMessage(), "pass a writable --work-dir");
        }
        return file;
    }

    private static List<String> shell(String command) {
        return List.of("bash", "-o", "pipefail", "-c", command);
    }
}
