package org.mlflowharness.suites.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;

/**
 * Assertions on MLflow error answers: {@code {"error_code": ..., "message": ...}} with the HTTP status the error code
 * maps to (INVALID_PARAMETER_VALUE and RESOURCE_ALREADY_EXISTS 400, RESOURCE_DOES_NOT_EXIST 404, ...).
 */
public final class MlflowErrors {

    public static final String INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE";
    public static final String RESOURCE_DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST";
    public static final String RESOURCE_ALREADY_EXISTS = "RESOURCE_ALREADY_EXISTS";

    private MlflowErrors() {}

    /**
     * Asserts that {@code r} is an MLflow JSON error with this status and error code, and returns its message.
     *
     * @param what what the request was, for the failure message ("log-parameter on a deleted run")
     */
    public static String assertMlflowError(Response r, int status, String errorCode, String what) {
        String body = r.asString();
        String shown = body.length() > 600 ? body.substring(0, 600) + "..." : body;
        assertThat(r.statusCode())
                .as("HTTP status of " + what + " (body: " + shown + ")")
                .isEqualTo(status);
        assertThat(r.contentType())
                .as("content type of the error answer to " + what + " (body: " + shown + ")")
                .startsWith("application/json");
        assertThat(r.jsonPath().getString("error_code"))
                .as("error_code of " + what + " (body: " + shown + ")")
                .isEqualTo(errorCode);
        String message = r.jsonPath().getString("message");
        assertThat(message).as("message of the error answer to " + what).isNotBlank();
        return message;
    }

    /** The error code of an answer, or {@code null} when it is not an MLflow JSON error. */
    public static String errorCode(Response r) {
        try {
            return r.jsonPath().getString("error_code");
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
