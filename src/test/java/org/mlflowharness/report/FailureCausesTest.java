package org.mlflowharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflowharness.report.SuiteResult.Check;

class FailureCausesTest {

    static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");

    static SuiteResult suite(String name, String tag, String... failures) {
        return new SuiteResult(
                name,
                tag,
                1,
                failures.length,
                0,
                1,
                java.util.Arrays.stream(failures).map(f -> Check.failed("t", f)).toList());
    }

    static RunReport report(SuiteResult... suites) {
        return RunReport.of("gate", T0, T0, "u", null, List.of(), List.of(suites), null, List.of(), null);
    }

    static final String DENIED =
            "POST /registered-models/create answered 500: MLflow's own answer: {\"error_code\": \"INTERNAL_ERROR\", "
                    + "\"message\": \"(pymysql.err.OperationalError) (1142, \\\"INSERT command denied to user 'mlflow'@'localhost' for table "
                    + "`mlflow`.`registered_models`\\\")\"}";

    @Test
    void aDatabasePrivilegeInSecuritySuiteIsDataIntegrityNamingTheDatabase() {
        RunReport r = report(
                suite("SecuritySuite", "security", DENIED, DENIED),
                suite("TrackingSuite", "tracking", "GET x answered 500"));
        assertThat(r.failures())
                .extracting(Failure::kind)
                .containsExactly(Failure.Kind.INTEGRITY, Failure.Kind.FUNCTIONAL);
        assertThat(r.reason())
                .startsWith(
                        "data integrity: database (database privilege): SecuritySuite [security]: 2 test(s) failed, first: ");
    }

    @Test
    void aNarrowedColumnIsDataIntegrityToo() {
        RunReport r = report(suite(
                "TrackingSuite",
                "tracking",
                "exact values differ: the database narrows them (a FLOAT or 32-bit column)"));
        assertThat(r.failures()).extracting(Failure::kind).containsExactly(Failure.Kind.INTEGRITY);
        assertThat(r.reason()).startsWith("data integrity: database (database narrowing): TrackingSuite [tracking]");
    }

    @Test
    void aRealSecurityFailureBesideADatabaseOneKeepsTheSecurityClass() {
        RunReport r =
                report(suite("SecuritySuite", "security", DENIED, "GET ../../etc/passwd answered 200 with root:x:0:0"));
        assertThat(r.failures()).extracting(Failure::kind).containsExactly(Failure.Kind.SECURITY);
    }

    @Test
    void theHostCheckThatExplainsManyFailuresIsNamedFirst() {
        String host =
                "GET /api/2.0/mlflow/experiments/search answered 403: MLflow's host check refused the Host header nginx forwarded";
        RunReport r = report(
                suite("AuthSuite", "auth", "TRACKING_API through nginx: 403 Invalid Host header, MLflow directly: 200"),
                suite("TrackingSuite", "tracking", host, host),
                suite("ArtifactSuite", "artifacts", "SHA-256 differs"));
        assertThat(r.failures())
                .extracting(Failure::kind)
                .containsExactly(
                        Failure.Kind.CAUSE, Failure.Kind.SECURITY, Failure.Kind.INTEGRITY, Failure.Kind.FUNCTIONAL);
        assertThat(r.reason())
                .startsWith(
                        "cause: MLflow's Host check refused the Host nginx forwarded (403 \"Invalid Host header\"; ")
                .contains("explains 3 failed test(s) in AuthSuite, TrackingSuite; security: AuthSuite [auth]");
    }

    @Test
    void oneHostCheckFailureAloneIsNoSharedCause() {
        RunReport r = report(suite(
                "SecuritySuite",
                "security",
                "Host: mlflow.example.com answered 200, expected 403 Invalid Host header"));
        assertThat(r.failures()).extracting(Failure::kind).containsExactly(Failure.Kind.SECURITY);
    }
}
