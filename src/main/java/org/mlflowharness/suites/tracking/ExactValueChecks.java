package org.mlflowharness.suites.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.mlflowharness.suites.support.ExactValues;

/**
 * The tracking suite's exact-value check: doubles, timestamps, steps and multi-byte text come back exactly as logged.
 * {@code TrackingSuite} runs it as one of its {@code @Nested} groups.
 */
public abstract class ExactValueChecks extends TrackingChecks {

    @Test
    @DisplayName(
            "full-precision doubles, subnormals, extremes and -0.0; timestamps and steps beyond 2^31, 2^32 and 2^53; "
                    + "multi-byte params, tags and keys at their limits: all come back exactly")
    void roundTripExactly(TestReporter report) {
        String runId = run(experiment("exact"));
        ExactValues.Logged logged = ExactValues.log(mlflow, runId);
        List<String> problems = new ArrayList<>();
        List<String> deviations = new ArrayList<>();
        JsonNode got = ExactValues.run(mlflow, runId);
        Map<String, ExactValues.Point> latest = new LinkedHashMap<>();
        ExactValues.points(got.path("data").path("metrics")).forEach(p -> latest.put(p.key(), p));
        for (ExactValues.Point sent : ExactValues.METRICS) {
            if (logged.refused().containsKey(sent.key())) {
                continue;
            }
            List<ExactValues.Point> history = ExactValues.history(mlflow, runId, sent.key());
            if (history.size() != 1) {
                problems.add(
                        "history of " + sent.key() + " has " + history.size() + " points instead of 1: " + history);
            } else {
                problems.addAll(ExactValues.differences(sent, history.get(0), "metrics/get-history", deviations));
            }
            if (latest.containsKey(sent.key())) {
                problems.addAll(ExactValues.differences(sent, latest.get(sent.key()), "runs/get latest", deviations));
            } else {
                problems.add("runs/get has no latest value of " + sent.key());
            }
        }
        Map<String, String> params = ExactValues.keyValues(got.path("data").path("params"));
        Map<String, String> tags = ExactValues.keyValues(got.path("data").path("tags"));
        checkText(problems, "param long_param", params.get("long_param"), ExactValues.PARAM_VALUE);
        checkText(problems, "tag long_tag", tags.get("long_tag"), ExactValues.TAG_VALUE);
        checkText(problems, "param under the 250-character key", params.get(ExactValues.LONG_KEY), "key at the limit");
        // Refusals last: the values that came back different say more about the layer than an error text.
        logged.refused().forEach((key, why) -> problems.add("log-metric " + key + " was refused: " + why));
        deviations.forEach(d -> report.publishEntry("known deviation", d));
        assertThat(problems)
                .as("values read back through the API differ from those logged: the tracking server or its "
                        + "database narrows them (a FLOAT or 32-bit column, a non-utf8mb4 or byte-counted text column)")
                .isEmpty();
    }

    private void checkText(List<String> problems, String what, String got, String sent) {
        if (!sent.equals(got)) {
            problems.add(what + " (" + ExactValues.length(sent) + " characters, "
                    + sent.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    + " UTF-8 bytes) came back "
                    + (got == null
                            ? "missing"
                            : "as " + ExactValues.length(got) + " characters"
                                    + (got.length() > 40 ? ", starting " + got.substring(0, 40) : ": " + got)));
        }
    }
}
