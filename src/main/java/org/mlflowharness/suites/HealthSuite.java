package org.mlflowharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.suites.support.StackSuite;

/** The stack answers through nginx, and what runs is what the description says. */
@StackSuite
@Order(5)
@Tag("health")
@DisplayName("health: /health and /version through nginx")
class HealthSuite {

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
}
