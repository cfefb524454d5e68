package org.mlflowharness.report;

import java.util.List;

/** One suite's outcome: counts, time, and each failure and skip with its reason. */
public record SuiteResult(String suite, String tag, int passed, int failed, int skipped, double seconds,
                          List<Problem> failures, List<Problem> skips) {

    public SuiteResult {
        failures = List.copyOf(failures);
        skips = List.copyOf(skips);
    }

    /** A failed or skipped test and why. */
    public record Problem(String test, String reason) {
    }
}
