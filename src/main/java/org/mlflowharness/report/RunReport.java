package org.mlflowharness.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.model.load.LoadSection;

/**
 * What a harness run writes to {@code reports/latest/summary.json}: the stack that ran, the stages of the command
 * with the error of any that could not complete, per-suite counts, the load section, times, and one verdict with the
 * reason when it did not pass.
 *
 * <p>Verdicts: {@code PASSED}; {@code FAILED} when a check failed (a test, an SLO, an integrity count); {@code ERROR}
 * when a stage could not complete (the stack did not come up, a component died, the harness itself threw);
 * {@code INCONCLUSIVE} when nothing failed but a check could not decide because other processes kept the machine busy
 * ({@link Failure.Kind#INCONCLUSIVE}): run it again.
 *
 * @param stages   the command's stages in the order they ran
 * @param failures every failed check and a component that went down, most serious class first (the reason's order)
 * @param guard    how the run watched the stack, and what it found down; null when no stack was started
 * @param load     per-scenario load results, or null when no load stage ran
 * @param reports  the human-readable reports of this run (name to path), or null
 * @param sections a command's own sections (upgrade rehearsal, comparison) by name, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(
        String command,
        String verdict,
        String reason,
        String started,
        String finished,
        double durationSeconds,
        String trackingUri,
        StackDescription stack,
        Totals totals,
        List<Stage> stages,
        List<SuiteResult> suites,
        List<Failure> failures,
        Guard guard,
        LoadSection load,
        Map<String, String> reports,
        Map<String, ReportSection> sections) {

    public static final String PASSED = "PASSED";
    public static final String FAILED = "FAILED";
    public static final String ERROR = "ERROR";
    public static final String INCONCLUSIVE = "INCONCLUSIVE";

    /** Sums over all suites. */
    public record Totals(int passed, int failed, int skipped) {
        static Totals of(List<SuiteResult> suites) {
            return new Totals(
                    suites.stream().mapToInt(SuiteResult::passed).sum(),
                    suites.stream().mapToInt(SuiteResult::failed).sum(),
                    suites.stream().mapToInt(SuiteResult::skipped).sum());
        }
    }

    /**
     * One stage of a command (stack, suites, load, ...): how long it took and, when it could not complete, why.
     *
     * @param error   the exception that ended the stage ({@code Type: message}), or null when it completed
     * @param skipped why the stage was not run (a component of the stack was down before it), or null when it ran
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Stage(String name, double seconds, String error, String skipped) {
        public Stage(String name, double seconds, String error) {
            this(name, seconds, error, null);
        }

        public boolean completed() {
            return error == null;
        }
    }

    /**
     * How the run watched the stack it used: {@code watchedBy} names the watchdog or the breaker; {@code down} is the
     * component it found down, or null.
     */
    public record Guard(String watchedBy, Down down) {}

    /** A component that went down during the run: what happened, in which stage, and the end of its log. */
    public record Down(String component, String problem, String fix, String stage, List<String> logTail) {}

    /**
     * Builds the report. The verdict is ERROR when a stage could not complete, else FAILED when a suite failed, a
     * failure is given (the load stage's SLO or integrity verdict) or nothing ran at all, else PASSED. The reason lists
     * the failures most serious class first ({@link Failure.Kind}: a component that went down, a cause shared by failed
     * checks, security, data integrity, functional, performance), each suite with its first message and classed by the
     * layer its messages name ({@link FailureCauses}), then the errors of stages not already named.
     *
     * @param failures failures outside the suites (a component that went down, the load stage's checks); may be empty
     */
    public static RunReport of(
            String command,
            Instant started,
            Instant finished,
            String trackingUri,
            StackDescription stack,
            List<Stage> stages,
            List<SuiteResult> suites,
            LoadSection load,
            List<Failure> failures,
            Guard guard) {
        return of(command, started, finished, trackingUri, stack, stages, suites, load, failures, guard, Map.of());
    }

    /**
     * As {@link #of(String, Instant, Instant, String, StackDescription, List, List, LoadSection, List, Guard)}, with a
     * command's own sections (their failures among {@code failures}): a run with a section has done something even without suites.
     */
    public static RunReport of(
            String command,
            Instant started,
            Instant finished,
            String trackingUri,
            StackDescription stack,
            List<Stage> stages,
            List<SuiteResult> suites,
            LoadSection load,
            List<Failure> failures,
            Guard guard,
            Map<String, ReportSection> sections) {
        Totals totals = Totals.of(suites);
        List<Failure> all = new ArrayList<>();
        FailureCauses.shared(suites).ifPresent(all::add);
        suites.stream().filter(s -> s.failed() > 0).map(FailureCauses::ofSuite).forEach(all::add);
        all.addAll(failures);
        all.sort(Comparator.comparing(Failure::kind)); // stable: within a class, the order they happened in
        List<String> reasons = new ArrayList<>(all.stream().map(Failure::line).toList());
        List<Stage> errors = stages.stream().filter(s -> !s.completed()).toList();
        errors.stream()
                .filter(s -> all.stream().noneMatch(f -> f.text().contains(s.error())))
                .forEach(s -> reasons.add(s.name() + " stage: " + s.error()));
        if (reasons.isEmpty() && totals.passed() == 0 && load == null && sections.isEmpty()) {
            reasons.add("no test passed");
        }
        boolean undecidedOnly = !all.isEmpty()
                && all.stream().allMatch(f -> f.kind() == Failure.Kind.INCONCLUSIVE)
                && reasons.size() == all.size();
        String verdict = !errors.isEmpty() ? ERROR : reasons.isEmpty() ? PASSED : undecidedOnly ? INCONCLUSIVE : FAILED;
        return new RunReport(
                command,
                verdict,
                reasons.isEmpty() ? null : String.join("; ", reasons),
                started.toString(),
                finished.toString(),
                Duration.between(started, finished).toMillis() / 1000.0,
                trackingUri,
                stack,
                totals,
                List.copyOf(stages),
                List.copyOf(suites),
                List.copyOf(all),
                guard,
                load,
                null,
                sections.isEmpty() ? null : Map.copyOf(sections));
    }

    /** The subcommand of a typed command line: "upgrade" for "./harness upgrade --from mlflow=2.9.2". */
    public static String commandName(String command) {
        return command.replaceFirst("^\\./harness\\s+", "").split("\\s+")[0];
    }

    /** The same report, listing the human-readable reports written beside it. */
    public RunReport withReports(Map<String, String> paths) {
        return new RunReport(
                command,
                verdict,
                reason,
                started,
                finished,
                durationSeconds,
                trackingUri,
                stack,
                totals,
                stages,
                suites,
                failures,
                guard,
                load,
                paths,
                sections);
    }

    public boolean passed() {
        return PASSED.equals(verdict);
    }

    /**
     * The process exit code for this verdict: 0 passed, 1 a check failed, 2 a stage could not complete, 3 inconclusive
     * (the machine was busy: a CI job retries once).
     */
    public int exitCode() {
        return switch (verdict) {
            case PASSED -> 0;
            case FAILED -> 1;
            case INCONCLUSIVE -> 3;
            default -> 2;
        };
    }

    /**
     * The closing line, in the plain form CI reads: {@code gate: 12 passed, 0 failed, 1 skipped}, named after the
     * command that ran the suites (gate, upgrade, ...).
     */
    /**
     * Where the run's time went, one line for a CI log: {@code stages: stack 46.3 s, suites 145.3 s (ERROR), ...; run
     * 244.3 s}. A stage that ended with an error or was not run says so.
     */
    public String stagesLine() {
        StringBuilder line = new StringBuilder("stages: ");
        for (int i = 0; i < stages.size(); i++) {
            Stage st = stages.get(i);
            line.append(i == 0 ? "" : ", ")
                    .append(st.name())
                    .append(' ')
                    .append(st.seconds())
                    .append(" s")
                    .append(st.skipped() != null ? " (not run)" : st.completed() ? "" : " (ERROR)");
        }
        return line.append("; run ")
                .append(Math.round(durationSeconds * 10) / 10.0)
                .append(" s")
                .toString();
    }

    public String closingLine() {
        return commandName(command) + ": " + totals.passed() + " passed, " + totals.failed() + " failed, "
                + totals.skipped() + " skipped";
    }
}
