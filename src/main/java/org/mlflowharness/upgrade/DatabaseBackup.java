package org.mlflowharness.upgrade;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.nativestack.MysqlRootfs;

/**
 * A logical backup of MLflow's database with {@code mariadb-dump} or MySQL's own {@code mysqldump} (schema, rows,
 * triggers, {@code CREATE DATABASE} with its character set and collation, and {@code DROP DATABASE} before it), and its
 * restore with {@code mariadb} / {@code mysql}: the restore replaces the whole database, so tables a newer schema added
 * are gone too. Both run as MLflow's own database user over TCP, with the password in an option file rather than on
 * the command line.
 */
public final class DatabaseBackup {

    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    /**
     * The client tools: Debian's MariaDB ones on the host, or MySQL's from the same packages as the server, run by
     * chroot in its root file system ({@code --no-tablespaces}: MLflow's user has no PROCESS privilege;
     * {@code --set-gtid-purged=OFF}: MySQL 9 has GTIDs on, and reading their state for the dump needs RELOAD or
     * FLUSH_TABLES, which MLflow's user does not have either; a restore into the same server needs no GTID state).
     */
    public record Client(String dump, String shell, String dumpOptions, Optional<MysqlRootfs.Rootfs> rootfs) {

        public static final Client MARIADB = new Client("mariadb-dump", "mariadb", "", Optional.empty());

        /** MySQL's own tools for MySQL (the tree the native stack runs it from), MariaDB's for the stand-in. */
        public static Client of(RunningStack running, Path cacheDir, Consumer<String> out) {
            boolean mysql = running.description().components().stream()
                    .anyMatch(c -> c.role().equals("database") && c.name().equals("MySQL"));
            return mysql
                    ? new MysqlRootfs(cacheDir, out)
                            .cached()
                            .map(Client::mysql)
                            .orElseThrow(() -> new IllegalStateException("MySQL runs but its root file system is gone"))
                    : MARIADB;
        }

        public static Client mysql(MysqlRootfs.Rootfs rootfs) {
            return new Client("mysqldump", "mysql", " --no-tablespaces --set-gtid-purged=OFF", Optional.of(rootfs));
        }

        /** {@code tool} as a shell word: by chroot for MySQL's. */
        String command(String tool) {
            return rootfs.map(r -> "chroot " + r.dir() + " " + tool).orElse(tool);
        }
    }

    /**
     * How the harness dumps MLflow's database (and how README.md tells users to): the database with its
     * {@code CREATE DATABASE} and a {@code DROP DATABASE} before it, one consistent snapshot without locking, routines
     * and triggers, binary columns in hex, utf8mb4; the client adds what its server needs ({@link Client#mysql}).
     */
    public static final String DUMP_FLAGS = "--single-transaction --routines --triggers --hex-blob"
            + " --default-character-set=utf8mb4 --add-drop-database --databases";

    private final DatabaseAccess db;
    private final Path dir;
    private final Client client;

    /** @param dir where the dump, the option file and the logs go */
    public DatabaseBackup(DatabaseAccess db, Path dir, Client client) {
        this.db = db;
        this.dir = dir;
        this.client = client;
    }

    public Client client() {
        return client;
    }

    public Path dump() {
        return dir.resolve("backup.sql");
    }

    /** Dumps the database to {@link #dump()}; returns its size in bytes. */
    public long backUp() {
        return backUp(dump());
    }

    /**
     * Dumps the database to {@code target}, gzip-compressed when its name ends in {@code .gz} (what
     * {@code upgrade --from-dump} takes); returns its size in bytes.
     */
    public long backUp(Path target) {
        Path log = dir.resolve("backup.log");
        Path errors = dir.resolve("backup.err");
        Command.run(
                client.dump(),
                shell(client.command(client.dump()) + " --defaults-extra-file=" + options() + " " + DUMP_FLAGS + " "
                        + name() + client.dumpOptions() + " 2> " + errors
                        + (target.toString().endsWith(".gz") ? " | gzip -6" : "") + " > '"
                        + target.toString().replace("'", "'\\''") + "'"),
                log,
                TIMEOUT,
                "see " + errors);
        try {
            return Files.size(target);
        } catch (IOException e) {
            throw new StackException(client.dump(), "no dump at " + target + ": " + e.getMessage(), "see " + log);
        }
    }

    /** Replaces the database with the dump. */
    public void restore() {
        restore(dump());
    }

    /** Runs the SQL script {@code script} (a dump, or one rewritten by {@link DumpFile#writeRestorable}) as MLflow's user. */
    public void restore(Path script) {
        Path log = dir.resolve("restore.log");
        Command.run(
                client.shell(),
                shell(client.command(client.shell()) + " --defaults-extra-file=" + options()
                        + " --default-character-set=utf8mb4 < '"
                        + script.toString().replace("'", "'\\''") + "'"),
                log,
                TIMEOUT,
                "see " + log);
    }

    /** The name of MLflow's database on the stack. */
    public String database() {
        return name();
    }

    private String name() {
        return URI.create(db.jdbcUrl().substring("jdbc:".length())).getPath().substring(1);
    }

    /**
     * A client option file with the credentials (mode 600), so that the password is not in any process list; for
     * MySQL's tools inside their root file system. Returns its path as the tool sees it.
     */
    private String options() {
        URI jdbc = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        String inside = "/srv/harness/backup-"
                + Integer.toHexString(dir.toAbsolutePath().hashCode()) + ".cnf";
        Path file = client.rootfs().map(r -> r.host(inside)).orElse(dir.resolve("client.cnf"));
        try {
            Files.createDirectories(dir);
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file,
                    "[client]\nhost=" + jdbc.getHost() + "\nport=" + jdbc.getPort() + "\nuser=" + db.user()
                            + "\npassword=" + db.password() + "\nprotocol=tcp\n");
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        } catch (IOException e) {
            throw new StackException(
                    client.shell(), "cannot write " + file + ": " + e.getMessage(), "pass a writable --work-dir");
        }
        return client.rootfs().isPresent() ? inside : file.toString();
    }

    private static List<String> shell(String command) {
        return List.of("bash", "-o", "pipefail", "-c", command);
    }
}
