package org.mlflowharness.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.mlflowharness.model.Endpoints;

/**
 * The backend database's connections against its limit, read once a second by the {@link ResourceSampler} over one
 * JDBC connection kept open (its own is among those counted): {@code database connections} (Threads_connected) and
 * {@code database max_connections}. Without database access, or once a read failed (the database restarting), none.
 */
public final class DatabaseGauges implements Supplier<Map<String, Double>>, AutoCloseable {

    private final Endpoints.DatabaseAccess db;
    private Connection connection;

    /** Gauges of {@code endpoints}' database, or of none when it gives no database access. */
    public DatabaseGauges(Endpoints endpoints) {
        this.db = endpoints.databaseAccess().orElse(null);
    }

    @Override
    public synchronized Map<String, Double> get() {
        if (db == null) {
            return Map.of();
        }
        try {
            if (connection == null || connection.isClosed()) {
                java.util.Properties p = new java.util.Properties();
                p.setProperty("user", db.user());
                p.setProperty("password", db.password());
                p.setProperty("connectTimeout", "1000"); // a database being restarted must not stall the sampler
                p.setProperty("socketTimeout", "2000");
                connection = DriverManager.getConnection(db.jdbcUrl(), p);
            }
            Map<String, Double> m = new LinkedHashMap<>();
            try (Statement st = connection.createStatement()) {
                try (ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE 'Threads_connected'")) {
                    if (rs.next()) {
                        m.put("database connections", rs.getDouble(2));
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT @@max_connections")) {
                    if (rs.next()) {
                        m.put("database max_connections", rs.getDouble(1));
                    }
                }
            }
            return m;
        } catch (SQLException e) { // not reachable now (a restart under resilience): no reading this second
            close();
            return Map.of();
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) { // closing a broken connection: nothing left to release
            }
            connection = null;
        }
    }
}
