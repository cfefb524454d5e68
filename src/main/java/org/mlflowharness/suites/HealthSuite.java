package org.mlflowharness.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.suites.support.StackSuite;

/**
 * The stack answers through nginx, what runs is what the description says, and the database takes a new connection
 * without a stall.
 */
@StackSuite
@Order(5)
@Tag("health")
@DisplayName("health: /health and /version through nginx, new database connections ready quickly")
class HealthSuite {

    /** How long a new connection may take: a healthy server on this machine answers in tens of milliseconds. */
    static final double CONNECT_LIMIT_SECONDS = 2;

    @Test
    @DisplayName("GET /health through nginx answers 200 OK")
    void healthThroughNginx(MlflowClient mlflow) {
        Response r = mlflow.spec().get("/health");
        assertThat(r.statusCode()).as("status of /health through nginx").isEqualTo(200);
        assertThat(r.asString().trim()).as("body of /health").isEqualTo("OK");
    }

    @Test
    @DisplayName("GET /version through nginx names the MLflow version the description reports")
    void versionThroughNginx(MlflowClient mlflow, StackDescription description) {
        assertThat(mlflow.version())
                .as("MLflow /version through nginx")
                .isNotBlank()
                .isEqualTo(description.component("tracking").version());
    }

    @Test
    @DisplayName("the stack description names every component with the version it reported")
    void descriptionIsComplete(StackDescription description) {
        assertThat(description.components())
                .extracting(StackDescription.Component::role)
                .as("roles in the stack description")
                .contains("proxy", "tracking", "database", "object-store");
        if (!description.provider().equals("external")) {
            assertThat(description.components())
                    .allSatisfy(c -> assertThat(c.version())
                            .as(c.role() + " version")
                            .isNotBlank()
                            .doesNotStartWith("unknown"));
        }
        StackDescription.Component store = description.component("object-store");
        if (store.name().equals("S3Proxy")) {
            assertThat(store.standInFor())
                    .as("S3Proxy must be flagged as a stand-in for RustFS")
                    .startsWith("RustFS");
        }
    }

    @Test
    @DisplayName("a new database connection as MLflow's user is ready within 2 s (no stall per connection)")
    void newConnectionsAreReadyQuickly(Endpoints endpoints) throws SQLException {
        assumeTrue(
                endpoints.databaseAccess().isPresent(),
                "no direct database access (external stack without --jdbc-url): cannot open a connection to it");
        DatabaseAccess db = endpoints.database();
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            try (Connection c = db.connect()) {
                try (var st = c.createStatement();
                        var rs = st.executeQuery("SELECT 1")) {
                    rs.next();
                }
            }
            seconds.add(Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        }
        assertThat(java.util.Collections.max(seconds))
                .as(
                        "database: the slowest of three new connections as MLflow's user, SELECT 1 included, in s (all:"
                                + " %s; MLflow's pool pays this for every connection it opens; a stall per connection"
                                + " is the server's reverse DNS lookup of the client without skip-name-resolve, an"
                                + " init_connect, a slow authentication plugin)",
                        seconds)
                .isLessThan(CONNECT_LIMIT_SECONDS);
    }
}
