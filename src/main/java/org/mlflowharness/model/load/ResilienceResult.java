package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.StackDescription;

/**
 * The resilience scenario's result: the steady load and the fault plan, the stack, the warm-up, the Gatling report and
 * requests, per fault what failed and when the stack served again, the requests failed before the first fault, and
 * the integrity check over everything.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResilienceResult(
        SteadyLoad load,
        List<String> plan,
        int recoverySeconds,
        StackDescription stack,
        String nginxVariantNote,
        String warmUp,
        String gatlingReport,
        Requests requests,
        List<Fault> faults,
        Long failedBeforeTheFirstFault,
        String faultInjected,
        ResilienceIntegrity integrity,
        Double harnessPeakRssMiB)
        implements ScenarioResult {

    /** The load kept up while the faults run: training jobs logging metrics and uploaders. */
    public record SteadyLoad(
            int trainingJobs,
            double iterationsPerSecond,
            int batchSize,
            int uploadUsers,
            double uploadsPerSecond,
            String uploadSize) {}

    /**
     * One fault: planned and actual start, the outage, when the component was ready and the stack served again
     * (seconds after the start, or why not), its own error if it failed, the requests until the next fault, the
     * failed ones and their window and classes, and a timeline of requests and errors per second.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Fault(
            String fault,
            double plannedAtSeconds,
            double startedAtSeconds,
            double outageSeconds,
            OrText<Double> componentReadyAfterSeconds,
            OrText<Double> servesAgainAfterSeconds,
            String error,
            int requests,
            int failedRequests,
            ErrorWindow errorWindow,
            Map<String, Integer> failuresByClass,
            Timeline timeline) {}

    /** Seconds after the fault's start of the first and last failed request ("none" when none failed). */
    public record ErrorWindow(OrText<Double> firstFailedAfterSeconds, OrText<Double> lastFailedAfterSeconds) {}

    /** Requests and errors per bucket around a fault, and the fault's moments (null: did not happen). */
    public record Timeline(int bucketSeconds, String secondsRelativeTo, List<Point> points, Marks marks) {}

    /** One bucket of a timeline, {@code second} relative to the fault's start. */
    public record Point(long second, int requests, int errors) {}

    /** The fault's start, the end of its outage, when the component was ready and the stack served again. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Marks(double faultAt, double outageEndsAt, Double readyAt, Double servesAgainAt) {}

    /** Every acknowledged metric point stored exactly once, every acknowledged upload stored intact. */
    public record ResilienceIntegrity(Integrity metricPoints, Uploads uploads) {}

    /** The uploads sent during the faults: acknowledged, acknowledged but not stored intact (with an example), per size. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Uploads(
            int sent,
            long acknowledged,
            long acknowledgedButNotStoredIntact,
            Map<String, UploadResult.SizeResult> bySize,
            String example) {}
}
