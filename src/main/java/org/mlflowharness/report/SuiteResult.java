package org.mlflowharness.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One suite's outcome: counts, time, and every check as it ran (its outcome, time and reason). The failures and skips
 * with their reasons are read off the checks; summary.json lists those, the JUnit XML every check ({@link JunitXml}).
 */
public record SuiteResult(
        String suite,
        String tag,
        int passed,
        int failed,
        int skipped,
        double seconds,
        @JsonIgnore List<Check> checks) {

    public SuiteResult {
        checks = List.copyOf(checks);
    }

    /** The failed checks and why (a suite's set-up or a group's failure is one too). */
    @JsonProperty("failures")
    public List<Problem> failures() {
        return problems(Check.FAILED);
    }

    /** The skipped checks and why. */
    @JsonProperty("skips")
    public List<Problem> skips() {
        return problems(Check.SKIPPED);
    }

    private List<Problem> problems(String outcome) {
        return checks.stream()
                .filter(c -> c.outcome().equals(outcome))
                .map(c -> new Problem(c.test(), c.reason()))
                .toList();
    }

    /** A failed or skipped test and why. */
    public record Problem(String test, String reason) {}

    /**
     * One check: its name in the suite ({@code group > test}), passed, failed or skipped, its time, and the reason when
     * it did not pass.
     */
    public record Check(String test, String outcome, double seconds, String reason) {
        public static final String PASSED = "passed";
        public static final String FAILED = "failed";
        public static final String SKIPPED = "skipped";

        public static Check failed(String test, String reason) {
            return new Check(test, FAILED, 0, reason);
        }

        public static Check skipped(String test, String reason) {
            return new Check(test, SKIPPED, 0, reason);
        }
    }
}
