package org.mlflowharness.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mlflowharness.stack.StackDescription;

/**
 * What a harness run writes to {@code reports/latest/summary.json}: the stack that ran, per-suite counts, the
 * load section, times, and one verdict with the reason when it failed.
 *
 * @param load    per-scenario load results, or null when no load stage ran
 * @param reports the human-readable reports of this run (name to path), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(String command, String verdict, String reason, String started, String finished,
                        double durationSeconds, String trackingUri, StackDescription stack, Totals totals,
                        List<SuiteResult> suites, Map<String, Object> load, Map<String, String> reports) {

    public static final String PASSED = "PASSED";
    public static final String FAILED = "FAILED";

    /** Sums over all suites. */
    public record Totals(int passed, int failed, int skipped) {
        static Totals of(List<SuiteResult> suites) {
            return new Totals(suites.stream().mapToInt(SuiteResult::passed).sum(),
                    suites.stream().mapToInt(SuiteResult::failed).sum(),
                    suites.stream().mapToInt(SuiteResult::skipped).sum());
        }
    }

    /**
     * Builds the report; the verdict is FAILED when a failure reason is given, any suite failed, or nothing ran.
     */
    public static RunReport of(String command, Instant started, Instant finished, String trackingUri, StackDescription stack,
                               List<SuiteResult> suites, Map<String, Object> load, String failure) {
        Totals totals = Totals.of(suites);
        String reason = failure;
        if (reason == null && totals.failed() > 0) {
            List<SuiteResult> failed = suites.stream().filter(s -> s.failed() > 0).toList();
            String first = failed.get(0).failures().isEmpty() ? "" : failed.get(0).failures().get(0).reason();
            reason = totals.failed() + " test(s) failed in " + String.join(", ", failed.stream()
                    .map(s -> s.suite() + " [" + s.tag() + "]").toList())
                    + (first.isEmpty() ? "" : "; first: " + (first.length() > 240 ? first.substring(0, 240) + "..." : first));
        }
        if (reason == null && totals.passed() == 0 && load == null) {
            reason = "no test passed";
        }
        return new RunReport(command, reason == null ? PASSED : FAILED, reason, started.toString(), finished.toString(),
                Duration.between(started, finished).toMillis() / 1000.0, trackingUri, stack, totals, suites, load, null);
    }

    /** The same report, listing the human-readable reports written beside it. */
    public RunReport withReports(Map<String, String> paths) {
        return new RunReport(command, verdict, reason, started, finished, durationSeconds, trackingUri, stack, totals, suites, load, paths);
    }

    public boolean passed() {
        return PASSED.equals(verdict);
    }

    /** The closing line, in the plain form CI reads: {@code gate: 12 passed, 0 failed, 1 skipped}. */
    public String closingLine() {
        return "gate: " + totals.passed() + " passed, " + totals.failed() + " failed, " + totals.skipped() + " skipped";
    }
}
