package org.mlflowharness.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The one place that says where the stack under test is. {@code trackingUri} is nginx: every suite and scenario
 * talks to MLflow through it. {@code s3} and {@code database} give direct access to the stores for verification
 * only; they are null when the provider cannot offer them (external mode without those settings).
 * {@code internalServices} lists host:port pairs of services that must never answer through nginx.
 */
public record Endpoints(
        URI trackingUri,
        String username,
        String password,
        S3Access s3,
        DatabaseAccess database,
        List<InternalService> internalServices) {

    public Endpoints {
        internalServices = internalServices == null ? List.of() : List.copyOf(internalServices);
    }

    /** Direct access to the artifact store; objects of a run live at {@code s3://bucket/artifactRoot/<exp>/<run>/artifacts/...}. */
    public record S3Access(
            URI endpoint, String accessKey, String secretKey, String bucket, String artifactRoot, String region) {}

    /** Direct JDBC access to MLflow's backend store. */
    public record DatabaseAccess(String jdbcUrl, String user, String password) {

        /** A new JDBC connection as this user; the caller closes it. */
        public java.sql.Connection connect() throws java.sql.SQLException {
            return java.sql.DriverManager.getConnection(jdbcUrl, user, password);
        }

        /** Where the database listens, from the JDBC URL ({@code jdbc:mysql://host:port/db}; port 3306 when none is given). */
        public InternalService service() {
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            return new InternalService("database", uri.getHost(), uri.getPort() < 0 ? 3306 : uri.getPort());
        }

        /** The same database as MLflow's {@code --backend-store-uri} (SQLAlchemy, PyMySQL driver). */
        public String sqlAlchemyUri() {
            URI jdbc = URI.create(jdbcUrl.substring("jdbc:".length()));
            return "mysql+pymysql://" + user + ":" + password + "@" + jdbc.getHost() + ":" + jdbc.getPort()
                    + jdbc.getPath();
        }
    }

    /** A service the stack keeps internal (database, object store), with where it listens for the harness. */
    public record InternalService(String name, String host, int port) {

        /** The object store at its S3 endpoint. */
        public static InternalService objectStore(S3Access s3) {
            URI e = s3.endpoint();
            return new InternalService(
                    "object-store",
                    e.getHost(),
                    e.getPort() >= 0 ? e.getPort() : "https".equals(e.getScheme()) ? 443 : 80);
        }
    }

    @JsonIgnore
    public Optional<S3Access> s3Access() {
        return Optional.ofNullable(s3);
    }

    @JsonIgnore
    public Optional<DatabaseAccess> databaseAccess() {
        return Optional.ofNullable(database);
    }

    /** The same stack reached through another proxy. */
    public Endpoints withTrackingUri(URI uri) {
        return new Endpoints(uri, username, password, s3, database, internalServices);
    }

    /** The port of an internal service, e.g. {@code mlflow}. */
    public Optional<Integer> internalPort(String name) {
        return internalServices.stream()
                .filter(s -> s.name().equals(name))
                .map(InternalService::port)
                .findFirst();
    }

    /** The same endpoints with other credentials: for auth checks. */
    public Endpoints withCredentials(String user, String pass) {
        return new Endpoints(trackingUri, user, pass, s3, database, internalServices);
    }
}
