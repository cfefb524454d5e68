package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.DatabaseConditions;
import org.mlflowharness.model.DatabaseConditions.LegacyCharset;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Ports;
import org.mlflowharness.proc.Readiness;
import org.mlflowharness.stack.Htpasswd;

/**
 * The MariaDB stand-in for MySQL ({@code --database mariadb}, or auto without MySQL): Debian's MariaDB with its data,
 * socket and temp directory under the stack's work directory. A run on it is evidence about MariaDB, not MySQL.
 * Binary logging is off (MariaDB's default) unless {@code --binary-log}; {@code log_bin_trust_function_creators} is
 * never turned on.
 */
final class MariaDbServer extends DatabaseServer {

    private final Path dir;

    /** @param dir the stack's work directory: the server's files go to {@code mariadb/}, its logs to {@code logs/} */
    MariaDbServer(Path dir, Fault fault, DatabaseConditions conditions) {
        super(fault, conditions);
        this.dir = dir;
    }

    @Override
    Started start(NativeProcesses processes) {
        Path data = dir.resolve("mariadb/data");
        Path socket = dir.resolve("mariadb/mysqld.sock");
        // Own temp dir: two install-db runs at once (parallel stacks) collided on the same temp table names in /tmp.
        Path tmp = dir.resolve("mariadb/tmp");
        String password = Htpasswd.secret(12);
        int port = Ports.free();
        try {
            Files.createDirectories(data);
            Files.createDirectories(tmp);
            Files.createDirectories(dir.resolve("mariadb/binlog"));
            Files.writeString(
                    dir.resolve("mariadb/init.sql"),
                    String.join(
                            "\n",
                            "CREATE DATABASE IF NOT EXISTS " + DB_NAME + " CHARACTER SET " + schemaCharset() + ";",
                            "CREATE USER IF NOT EXISTS '" + DB_USER + "'@'127.0.0.1' IDENTIFIED BY '" + password + "';",
                            "GRANT ALL PRIVILEGES ON " + DB_NAME + ".* TO '" + DB_USER + "'@'127.0.0.1';",
                            "FLUSH PRIVILEGES;",
                            ""));
        } catch (IOException e) {
            throw new StackException(
                    "mariadb", "cannot write its files: " + e.getMessage(), "pass a writable --work-dir");
        }
        Path log = dir.resolve("logs/mariadb.log");
        Command.run(
                "mariadb",
                List.of(
                        "mariadb-install-db",
                        "--no-defaults",
                        "--datadir=" + data,
                        "--tmpdir=" + tmp,
                        "--user=root",
                        "--auth-root-authentication-method=normal",
                        "--skip-test-db"),
                log,
                Duration.ofMinutes(2),
                "see " + log);
        String url = "jdbc:mysql://127.0.0.1:" + port + "/" + DB_NAME + "?useSSL=false&allowPublicKeyRetrieval=true";
        List<String> command = new ArrayList<>(List.of(
                "mariadbd",
                "--no-defaults",
                "--datadir=" + data,
                "--user=root",
                "--tmpdir=" + tmp,
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + socket,
                "--pid-file=" + dir.resolve("mariadb/mariadb.pid"),
                "--skip-name-resolve",
                "--character-set-server=utf8mb4",
                "--collation-server=" + collation(),
                "--max-connections=500",
                "--init-file=" + dir.resolve("mariadb/init.sql")));
        if (conditions.binaryLog()) {
            command.addAll(List.of("--log-bin=" + dir.resolve("mariadb/binlog/mariadb-bin"), "--server-id=1"));
        }
        ManagedProcess p = processes.launchReady(
                "database",
                "mariadb",
                command,
                Map.of(),
                Readiness.jdbc(url, DB_USER, password),
                Duration.ofSeconds(60),
                "see " + log,
                null);
        DatabaseAccess access = new DatabaseAccess(url, DB_USER, password);
        return new Started(
                access,
                p,
                "MariaDB",
                version(access, p),
                "SELECT VERSION()" + (conditions.isDefault() ? "" : "; " + String.join("; ", conditions.describe())),
                "MySQL");
    }

    /** "utf8mb4 COLLATE utf8mb4_bin", or the legacy charset and collation {@code --legacy-charset} asks for. */
    private String schemaCharset() {
        LegacyCharset legacy = conditions.legacyCharset();
        return legacy == LegacyCharset.NONE
                ? "utf8mb4 COLLATE " + collation()
                : legacy.charset() + " COLLATE " + legacy.collation();
    }

    /**
     * Case-sensitive by default: MySQL's and MariaDB's default utf8mb4 collations are case-insensitive, so names that
     * differ only in case collide in MLflow (mlflow#25911). The db-case-insensitive fault keeps the server default.
     */
    private String collation() {
        return fault == Fault.DB_CASE_INSENSITIVE ? "utf8mb4_general_ci" : "utf8mb4_bin";
    }

    @Override
    void revokeWrites() {
        // MariaDB ends the user's pooled connections itself (KILL USER)
        asRoot("REVOKE INSERT, UPDATE, DELETE ON " + DB_NAME + ".* FROM '" + DB_USER + "'@'127.0.0.1'; "
                + "FLUSH PRIVILEGES; KILL USER " + DB_USER + ";");
    }

    @Override
    String userHost() {
        return "127.0.0.1";
    }

    @Override
    void asRoot(String sql) {
        Path log = dir.resolve("logs/mariadb-fault.log");
        Command.run(
                "mariadb",
                List.of(
                        "mariadb",
                        "--no-defaults",
                        "--socket=" + dir.resolve("mariadb/mysqld.sock"),
                        "-uroot",
                        "-e",
                        sql),
                log,
                Duration.ofSeconds(30),
                "see " + log);
    }
}
