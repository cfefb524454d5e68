package org.mlflowharness.suites.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.mlflowharness.client.MlflowClient.keyValues;
import static org.mlflowharness.suites.support.ExactValues.MAX_KEY;
import static org.mlflowharness.suites.support.ExactValues.MAX_PARAM_VALUE;
import static org.mlflowharness.suites.support.ExactValues.MAX_TAG_VALUE;
import static org.mlflowharness.suites.support.MlflowErrors.INVALID_PARAMETER_VALUE;
import static org.mlflowharness.suites.support.MlflowErrors.assertMlflowError;

import io.restassured.response.Response;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tracking suite's checks of over-long params and tags: values one character over the limit are truncated or
 * rejected, keys at the limit are accepted and one over it rejected. {@code TrackingSuite} runs it as one of its
 * {@code @Nested} groups.
 */
public abstract class OverLongChecks extends TrackingChecks {

    /** Run data whose values and keys MLflow limits in length: params (write-once) and tags. */
    enum RunData {
        PARAM("param", "log-parameter", "params", "param value", 'v', 'k'),
        TAG("tag", "set-tag", "tags", "run tag value", 't', 't');

        final String noun;
        final String endpoint;
        final String plural;
        final String valueWhat;
        final char valueChar;
        final char keyChar;

        RunData(String noun, String endpoint, String plural, String valueWhat, char valueChar, char keyChar) {
            this.noun = noun;
            this.endpoint = endpoint;
            this.plural = plural;
            this.valueWhat = valueWhat;
            this.valueChar = valueChar;
            this.keyChar = keyChar;
        }

        /** The write: {@code /runs/<endpoint>} with run_id, key and value. */
        String path() {
            return "/runs/" + endpoint;
        }

        /** Where {@code runs/get} answers them, as key/value pairs. */
        String jsonPath() {
            return "run.data." + plural;
        }

        @Override
        public String toString() {
            return noun;
        }
    }

    /** Each kind with the length of the value sent and the limit it must be truncated to. */
    static Stream<Arguments> overLongValues() {
        return Stream.of(
                arguments(RunData.PARAM, MAX_PARAM_VALUE + 1, MAX_PARAM_VALUE),
                arguments(RunData.TAG, MAX_TAG_VALUE + 1, MAX_TAG_VALUE));
    }

    @ParameterizedTest(name = "a {0} value of {1} chars is either truncated to {2} or rejected (exactly one)")
    @MethodSource("overLongValues")
    @DisplayName("values one char over the limit")
    void overLongValue(RunData kind, int length, int limit, TestReporter report) {
        String runId = run(experiment("long" + kind.noun));
        String value = repeat(kind.valueChar, length - 2) + "XY";
        Response r = mlflow.postRaw(kind.path(), Map.of("run_id", runId, "key", "long", "value", value));
        Map<String, String> stored = keyValues(mlflow.getRun(runId), kind.jsonPath());
        assertTruncatedOrRejected(report, kind.valueWhat, r, stored.get("long"), value, limit);
    }

    @ParameterizedTest(name = "a {0} key of 250 chars is accepted, 251 is rejected")
    @EnumSource(RunData.class)
    @DisplayName("keys at and one over the 250-char limit")
    void overLongKey(RunData kind) {
        String runId = run(experiment("long" + kind.noun + "key"));
        String atLimit = repeat(kind.keyChar, MAX_KEY);
        String overLimit = repeat(kind.keyChar, MAX_KEY + 1);
        mlflow.post(kind.path(), Map.of("run_id", runId, "key", atLimit, "value", "ok"));
        assertMlflowError(
                mlflow.postRaw(kind.path(), Map.of("run_id", runId, "key", overLimit, "value", "x")),
                400,
                INVALID_PARAMETER_VALUE,
                kind.endpoint + " with a 251-char key");
        Map<String, String> stored = keyValues(mlflow.getRun(runId), kind.jsonPath());
        String what = kind.plural + " after a rejected 251-char key";
        if (kind == RunData.PARAM) {
            assertThat(stored).as(what).containsExactly(Map.entry(atLimit, "ok"));
        } else { // every run also carries MLflow's own mlflow.* tags
            assertThat(stored).as(what).containsEntry(atLimit, "ok").doesNotContainKey(overLimit);
        }
    }

    /**
     * Asserts exactly one of the two documented outcomes for an over-long value: accepted and truncated to
     * {@code limit} chars (MLFLOW_TRUNCATE_LONG_VALUES=true, the default), or rejected with 400 INVALID_PARAMETER_VALUE
     * and nothing stored; publishes which.
     */
    static void assertTruncatedOrRejected(
            TestReporter report, String what, Response r, String stored, String sent, int limit) {
        if (r.statusCode() == 200) {
            assertThat(stored)
                    .as(what + " of " + sent.length() + " chars was accepted: it must be stored truncated to " + limit)
                    .isNotNull()
                    .hasSize(limit)
                    .isEqualTo(sent.substring(0, limit));
            report.publishEntry("long " + what, sent.length() + " chars accepted and truncated to " + limit);
        } else {
            assertMlflowError(r, 400, INVALID_PARAMETER_VALUE, what + " of " + sent.length() + " chars");
            assertThat(stored).as(what + " was rejected: nothing may be stored").isNull();
            report.publishEntry("long " + what, sent.length() + " chars rejected with 400 INVALID_PARAMETER_VALUE");
        }
    }
}
