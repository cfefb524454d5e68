package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.mlflowharness.model.DatabaseConditions;
import org.mlflowharness.model.DatabaseConditions.LegacyCharset;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Ports;
import org.mlflowharness.proc.Readiness;
import org.mlflowharness.stack.Htpasswd;

/**
 * Real MySQL: {@code mysqld} of Debian's sid packages run by chroot in its cached root file system
 * ({@link MysqlRootfs}), its data under {@code /srv/harness/<stack>/} there (the stack's work directory links to it
 * as {@code mysql/}), on a free loopback port. Set up as the official mysql image does for {@code MYSQL_DATABASE} and
 * {@code MYSQL_USER}: one schema, one user with ALL on it and nothing else, MySQL's defaults otherwise, but for the
 * deviations {@link #serverOptions} marks.
 */
final class MysqlServer extends DatabaseServer {

    private final MysqlRootfs.Rootfs rootfs;
    private final Path dir;
    /** The server's directory inside the root file system (absolute there). */
    private final String home;

    /** @param dir the stack's work directory: logs go to its {@code logs/}, {@code mysql/} links to the data */
    MysqlServer(MysqlRootfs.Rootfs rootfs, Path dir, Fault fault, DatabaseConditions conditions) {
        super(fault, conditions);
        this.rootfs = rootfs;
        this.dir = dir;
        this.home = "/srv/harness/"
                + UUID.nameUUIDFromBytes(dir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8))
                        .toString()
                        .substring(0, 8);
    }

    /**
     * The server's options besides its files and port. Each one that is not MySQL's default is a DEVIATION from the
     * article's {@code mysql} service, with its reason; {@code db-article-exact} and {@code --least-privilege} drop the
     * one MLflow needs. Binary logging is on either way (MySQL's default).
     */
    static List<String> serverOptions(Fault fault, DatabaseConditions conditions) {
        List<String> o = new ArrayList<>(List.of(
                "--bind-address=127.0.0.1",
                "--mysqlx=OFF",
                // Without it (or an existing /var/lib/mysql-files) mysqld refuses to start (MY-010095).
                "--secure-file-priv=",
                "--skip-name-resolve",
                "--character-set-server=utf8mb4"));
        if (fault != Fault.DB_CASE_INSENSITIVE) {
            // DEVIATION: case-sensitive names. MySQL's default utf8mb4_0900_ai_ci makes MLflow experiment and model
            // names that differ only in case collide (mlflow#25911); db-case-insensitive keeps the default.
            o.add("--collation-server=utf8mb4_bin");
        }
        if (trustsFunctionCreators(fault, conditions)) {
            // DEVIATION: MLflow's migrations create triggers (prevent_secrets_aad_mutation, 3.x); with binary logging
            // on (MySQL's default) a user without SUPER gets error 1419 and the schema is left half-migrated.
            // The article's MYSQL_USER has ALL on its schema only. db-article-exact and --least-privilege restore that.
            o.add("--log-bin-trust-function-creators=ON");
        }
        return o;
    }

    private static boolean trustsFunctionCreators(Fault fault, DatabaseConditions conditions) {
        return fault != Fault.DB_ARTICLE_EXACT && !conditions.leastPrivilege();
    }

    /**
     * The official image's init for MYSQL_DATABASE / MYSQL_USER / MYSQL_PASSWORD, run at every start. The schema names
     * the collation the server is given: statements of mysqld's --init-file run with the compiled-in default
     * (utf8mb4_0900_ai_ci), not --collation-server (seen with 9.7.4), unlike the image's init through a client. With
     * {@code --legacy-charset} the schema gets the charset an old server's default gave it.
     */
    static String initSql(String password, Fault fault, DatabaseConditions conditions) {
        LegacyCharset legacy = conditions.legacyCharset();
        return String.join(
                "\n",
                "CREATE DATABASE IF NOT EXISTS `" + DB_NAME + "`"
                        + (legacy != LegacyCharset.NONE
                                ? " CHARACTER SET " + legacy.charset() + " COLLATE " + legacy.collation()
                                : fault == Fault.DB_CASE_INSENSITIVE
                                        ? ""
                                        : " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
                        + ";",
                "CREATE USER IF NOT EXISTS '" + DB_USER + "'@'%' IDENTIFIED BY '" + password + "';",
                "GRANT ALL ON `" + DB_NAME + "`.* TO '" + DB_USER + "'@'%';",
                "");
    }

    @Override
    Started start(NativeProcesses processes) {
        String password = Htpasswd.secret(12);
        int port = Ports.free();
        Path log = dir.resolve("logs/mysql-initialize.log");
        Path host = rootfs.host(home);
        try {
            Dirs.deleteRecursively(host);
            Files.createDirectories(host.resolve("tmp"));
            Files.writeString(host.resolve("init.sql"), initSql(password, fault, conditions));
            Files.deleteIfExists(dir.resolve("mysql"));
            Files.createSymbolicLink(dir.resolve("mysql"), host);
        } catch (IOException e) {
            throw new StackException(
                    "mysql", "cannot write its files in " + host + ": " + e.getMessage(), "check --cache-dir");
        }
        String fix = "see " + log;
        Command.run("mysql", rootfs.chroot("chown", "-R", "mysql:mysql", home), log, Duration.ofMinutes(1), fix);
        Command.run(
                "mysql",
                rootfs.chroot(
                        "mysqld",
                        "--no-defaults",
                        "--initialize-insecure",
                        "--user=mysql",
                        "--datadir=" + home + "/data"),
                log,
                Duration.ofMinutes(3),
                fix);
        List<String> command = new ArrayList<>(rootfs.chroot(
                "mysqld",
                "--no-defaults",
                "--user=mysql",
                "--datadir=" + home + "/data",
                "--tmpdir=" + home + "/tmp",
                "--socket=" + socket(),
                "--pid-file=" + home + "/mysqld.pid",
                "--port=" + port,
                "--init-file=" + home + "/init.sql"));
        command.addAll(serverOptions(fault, conditions));
        String url = "jdbc:mysql://127.0.0.1:" + port + "/" + DB_NAME + "?useSSL=false&allowPublicKeyRetrieval=true";
        // chroot execs mysqld: the process is mysqld itself, stopped by SIGTERM like any other component.
        ManagedProcess p = processes.launchReady(
                "database",
                "mysql",
                command,
                Map.of(),
                Readiness.jdbc(url, DB_USER, password),
                Duration.ofSeconds(120),
                "see " + dir.resolve("logs/mysql.log"),
                null);
        DatabaseAccess access = new DatabaseAccess(url, DB_USER, password);
        return new Started(
                access,
                p,
                "MySQL",
                version(access, p),
                "SELECT VERSION(); Debian " + MysqlRootfs.SUITE + " package " + MysqlRootfs.SERVER_PACKAGE + " "
                        + rootfs.packageVersion() + " run by chroot in " + rootfs.dir()
                        + (trustsFunctionCreators(fault, conditions)
                                ? "; log_bin_trust_function_creators=ON (deviation)"
                                : "")
                        + (conditions.isDefault() ? "" : "; " + String.join("; ", conditions.describe())),
                null);
    }

    private String socket() {
        return home + "/mysqld.sock";
    }

    @Override
    void revokeWrites() {
        // A schema-level revoke reaches open connections only at their next USE, so MLflow's pooled connections are
        // killed (MySQL has no KILL USER).
        asRoot("REVOKE INSERT, UPDATE, DELETE ON `" + DB_NAME + "`.* FROM '" + DB_USER + "'@'%';");
        String kills = Command.output(
                "mysql",
                root(
                        "-N",
                        "-B",
                        "-e",
                        "SELECT GROUP_CONCAT(CONCAT('KILL ', id, ';') SEPARATOR ' ')"
                                + " FROM information_schema.processlist WHERE user = '" + DB_USER + "'"),
                Map.of(),
                "see " + dir.resolve("logs/mysql-fault.log"));
        if (kills.startsWith("KILL")) {
            // --force: a connection that ended meanwhile is no reason to stop
            Command.capture("mysql", root("--force", "-e", kills), "");
        }
    }

    private List<String> root(String... args) {
        List<String> c = new ArrayList<>(rootfs.chroot("mysql", "--no-defaults", "-uroot", "--socket=" + socket()));
        c.addAll(List.of(args));
        return c;
    }

    @Override
    String userHost() {
        return "%";
    }

    @Override
    void asRoot(String sql) {
        Path log = dir.resolve("logs/mysql-fault.log");
        Command.run("mysql", root("-e", sql), log, Duration.ofSeconds(30), "see " + log);
    }
}
