package org.mlflowharness.stack.nativestack;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.model.DatabaseConditions;
import org.mlflowharness.model.DatabaseKind;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.ManagedProcess;

/**
 * The native stack's database: one server process on a free loopback port with one schema ({@value #DB_NAME}) and one
 * user for MLflow, and the database faults, applied as its root user once MLflow has created its schema.
 * {@link MysqlServer} is real MySQL; {@link MariaDbServer} stands in for it. {@link #select} is the one place that
 * decides which one runs.
 */
abstract sealed class DatabaseServer permits MariaDbServer, MysqlServer {

    static final String DB_NAME = "mlflow";
    static final String DB_USER = "mlflow";

    /**
     * A ready database: how MLflow and the harness reach it, its process, and what the stack description says of it.
     *
     * @param standInFor the product it stands in for, or null when it is the real one
     */
    record Started(
            DatabaseAccess access,
            ManagedProcess process,
            String name,
            String version,
            String versionSource,
            String standInFor) {}

    /** The deliberate fault of the stack (database faults are applied here) and the production-shaped conditions. */
    final Fault fault;

    final DatabaseConditions conditions;

    DatabaseServer(Fault fault, DatabaseConditions conditions) {
        this.fault = fault;
        this.conditions = conditions;
    }

    /** Starts the server with its files under the stack's work directory (or its own root file system). */
    abstract Started start(NativeProcesses processes);

    /** The database faults, applied once MLflow has created its schema, and again after each restart. */
    final void applyFault() {
        if (fault == Fault.DB_READ_ONLY) {
            revokeWrites();
        } else if (fault == Fault.DB_METRICS_FLOAT) {
            // A backend that narrows metric values: 4-byte FLOAT instead of the DOUBLE MLflow's schema creates.
            asRoot("ALTER TABLE `" + DB_NAME + "`.metrics MODIFY `value` FLOAT NOT NULL;");
        } else if (fault == Fault.DB_SLOW_CONNECT) {
            // run for every new connection of a user without CONNECTION_ADMIN / SUPER: MLflow's, not root's
            asRoot("SET GLOBAL init_connect = 'DO SLEEP(3)';");
        }
    }

    /** db-read-only: MLflow's user keeps its schema but loses write rights, its open connections too. */
    abstract void revokeWrites();

    /**
     * The database {@code --database} asks for: MySQL in its cached root file system (made first when missing); for
     * auto, MySQL when it can be had, else the MariaDB stand-in, saying so in one line with how to get MySQL.
     */
    static DatabaseServer select(HarnessConfig config, Toolchain tools, Path dir, Consumer<String> out) {
        MysqlRootfs rootfs = new MysqlRootfs(config.cacheDir(), out);
        DatabaseKind kind = config.database();
        Optional<String> unavailable =
                kind == DatabaseKind.MARIADB ? Optional.empty() : rootfs.unavailable(!config.flag(Option.NO_INSTALL));
        DatabaseKind chosen = MysqlRootfs.choose(kind, unavailable);
        if (chosen == DatabaseKind.MYSQL) {
            return new MysqlServer(rootfs.ensure(tools), dir, config.fault(), config.databaseConditions());
        }
        if (config.fault() == Fault.DB_ARTICLE_EXACT) {
            throw new StackException(
                    "database",
                    "--fault " + Fault.DB_ARTICLE_EXACT.id() + " restores the article's MySQL setting, but this run"
                            + " has MariaDB"
                            + unavailable.map(u -> " (" + u + ")").orElse(""),
                    "use --database mysql (needs debootstrap and Debian's mirror once)");
        }
        if (kind == DatabaseKind.AUTO) {
            out.accept(MysqlRootfs.standInNote(unavailable.orElse("")));
        }
        return new MariaDbServer(dir, config.fault(), config.databaseConditions());
    }

    /** Runs {@code sql} as the server's root user; a failure names the database and its log. */
    abstract void asRoot(String sql);

    /** The host part of MLflow's user account. */
    abstract String userHost();

    /**
     * Creates database {@code name} beside MLflow's, with the given defaults, and gives MLflow's user all rights on it
     * (as root: MLflow's user may not create databases); returns how to reach it as that user.
     */
    DatabaseAccess createDatabase(DatabaseAccess mlflow, String name, String charset, String collation) {
        requireName(name);
        asRoot("DROP DATABASE IF EXISTS `" + name + "`; CREATE DATABASE `" + name + "` CHARACTER SET " + charset
                + " COLLATE " + collation + "; GRANT ALL PRIVILEGES ON `" + name + "`.* TO '" + DB_USER
                + "'@'" + userHost() + "';");
        return new DatabaseAccess(
                mlflow.jdbcUrl().replaceFirst("/" + DB_NAME + "\\?", "/" + name + "?"),
                mlflow.user(),
                mlflow.password());
    }

    /** Drops a database {@link #createDatabase} made, and the rights on it. */
    void dropDatabase(String name) {
        requireName(name);
        asRoot("DROP DATABASE IF EXISTS `" + name + "`; REVOKE ALL PRIVILEGES ON `" + name + "`.* FROM '" + DB_USER
                + "'@'" + userHost() + "';");
    }

    private static void requireName(String name) {
        if (!name.matches("[a-z][a-z0-9_]*") || name.equals(DB_NAME)) {
            throw new IllegalArgumentException("not a scratch database name: " + name);
        }
    }

    /** {@code SELECT VERSION()} as the harness's user; a failure names the component and its log. */
    static String version(DatabaseAccess access, ManagedProcess p) {
        try (var c = access.connect();
                var rs = c.createStatement().executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            throw p.failure("SELECT VERSION() failed: " + e.getMessage(), "see " + p.log(), e);
        }
    }
}
