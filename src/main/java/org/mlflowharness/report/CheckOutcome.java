package org.mlflowharness.report;

import java.util.Map;

/**
 * One check (test) as it ran: its outcome (passed, failed, skipped), the reason when it did not pass, and the
 * behaviours it observed and published through JUnit's {@code TestReporter} (key to value): what {@code compare}
 * diffs between two stacks.
 */
public record CheckOutcome(String suite, String test, String outcome, String reason, Map<String, String> observed) {}
