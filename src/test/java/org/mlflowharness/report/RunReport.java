package org.mlflowharness.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflowharness.stack.StackDescription;

/**
 * What a harness run writes to {@code reports/latest/summary.json}: the stack that ran, the stages of the command
 * with the error of any that could not complete, per-suite counts, the load section, times, and one verdict with the
 * reason when it did not pass.
 *
 * <p>Verdicts: {@code PASSED}; {@code FAILED} when a check failed (a test, an SLO, an integrity count); {@code ERROR}
 * when a stage could not complete (the stack did not come up, a component died, the harness itself threw).
 *
 * @param stages  the command's stages in the order they ran
 * @param load    per-scenario load results, or null when no load stage ran
 * @param reports the human-readable reports of this run (name to path), or null
 * @param sections a command's own sections (upgrade rehearsal, comparison) by name, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(String command, String verdict, String reason, String started, String finished,
                        double durationSeconds, String trackingUri, StackDescription stack, Totals totals,
                        List<Stage> stages, List<SuiteResult> suites, Map<String, Object> load, Map<String, String> reports,
                        Map<String, ReportSection> sections) {

    public static final String PASSED = "PASSED";
    public static final String FAILED = "FAILED";
    public static final String ERROR = "ERROR";

    /** Sums over all suites. */
    public record Totals(int passed, int failed, int skipped) {
        static Totals of(List<SuiteResult> suites) {
            return new Totals(suites.stream().mapToInt(SuiteResult::passed).sum(),
                    suites.stream().mapToInt(SuiteResult::failed).sum(),
                    suites.stream().mapToInt(SuiteResult::skipped).sum());
        }
    }

    /**
     * One stage of a command (stack, suites, load, ...): how long it took and, when it could not complete, why.
     *
     * @param error the exception that ended the stage ({@code Type: message}), or null when it completed
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Stage(String name, double seconds, String error) {
        public boolean completed() {
            return error == null;
        }
    }

    /**
     * Builds the report. The verdict is ERROR when a stage could not complete, else FAILED when a suite failed, a
     * failure is given (the load stage's SLO or integrity verdict) or nothing ran at all, else PASSED. The reason lists
     * the failed checks first (they usually explain a later stage's crash), then the stage errors.
     *
     * @param failures failed checks outside the suites (e.g. the load stage's reason); may be empty
     */
    public static RunReport of(String command, Instant started, Instant finished, String trackingUri, StackDescription stack,
                               List<Stage> stages, List<SuiteResult> suites, Map<String, Object> load, List<String> failures) {
        return of(command, started, finished, trackingUri, stack, stages, suites, load, failures, Map.of());
    }

    /**
     * As {@link #of(String, Instant, Instant, String, StackDescription, List, List, Map, List)}, with a command's own
     * sections (their failures among {@code failures}): a run with a section has done something even without suites.
     */
    public static RunReport of(String command, Instant started, Instant finished, String trackingUri, StackDescription stack,
                               List<Stage> stages, List<SuiteResult> suites, Map<String, Object> load, List<String> failures,
                               Map<String, ReportSection> sections) {
        Totals totals = Totals.of(suites);
        List<String> reasons = new ArrayList<>();
        if (totals.failed() > 0) {
            List<SuiteResult> failed = suites.stream().filter(s -> s.failed() > 0).toList();
            String first = failed.get(0).failures().isEmpty() ? "" : failed.get(0).failures().get(0).reason();
            reasons.add(totals.failed() + " test(s) failed in " + String.join(", ", failed.stream()
                    .map(s -> s.suite() + " [" + s.tag() + "]").toList())
                    + (first.isEmpty() ? "" : "; first: " + (first.length() > 240 ? first.substring(0, 240) + "..." : first)));
        }
        reasons.addAll(failures);
        List<Stage> errors = stages.stream().filter(s -> !s.completed()).toList();
        errors.forEach(s -> reasons.add(s.name() + " stage: " + s.error()));
        if (reasons.isEmpty() && totals.passed() == 0 && load == null && sections.isEmpty()) {
            reasons.add("no test passed");
        }
        String verdict = !errors.isEmpty() ? ERROR : reasons.isEmpty() ? PASSED : FAILED;
        return new RunReport(command, verdict, reasons.isEmpty() ? null : String.join("; ", reasons), started.toString(),
                finished.toString(), Duration.between(started, finished).toMillis() / 1000.0, trackingUri, stack, totals,
                List.copyOf(stages), List.copyOf(suites), load, null, sections.isEmpty() ? null : Map.copyOf(sections));
    }

    /** The same report, listing the human-readable reports written beside it. */
    public RunReport withReports(Map<String, String> paths) {
        return new RunReport(command, verdict, reason, started, finished, durationSeconds, trackingUri, stack, totals, stages,
                suites, load, paths, sections);
    }


    public boolean passed() {
        return PASSED.equals(verdict);
    }

    /** The process exit code for this verdict: 0 passed, 1 a check failed, 2 a stage could not complete. */
    public int exitCode() {
        return switch (verdict) {
            case PASSED -> 0;
            case FAILED -> 1;
            default -> 2;
        };
    }

    /** The closing line, in the plain form CI reads: {@code gate: 12 passed, 0 failed, 1 skipped}. */
    public String closingLine() {
        return "gate: " + totals.passed() + " passed, " + totals.failed() + " failed, " + totals.skipped() + " skipped";
    }
}
