package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.mlflowharness.model.StackDescription;

/**
 * A stepped scenario's result (metric-logging, mixed, breakpoint): its SLO, the stack it ran through (with a note when not through
 * the profile's nginx variant), the warm-up, each step run, and the highest step that met the SLO ("none" if none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SteppedResult(
        String nginxVariantNote,
        SloLimits slo,
        StackDescription stack,
        String warmUp,
        List<Step> steps,
        OrText<BestStep> highestStepMeetingSlo,
        Double harnessPeakRssMiB,
        Sizing sizing)
        implements ScenarioResult {

    /**
     * Workers for a target load (breakpoint with a {@code target}): the target ({@code jobs} x points/s each), the
     * metric points/s acknowledged at the highest step that met the SLO, MLflow's workers then (its processes counted,
     * less the supervisor), the rate per worker, the workers the target needs at that rate and the headroom of the
     * measured stack over the target (%, negative when short). {@code basis} says how the figure is reached. With a
     * worker sweep, {@code sweep} holds what each worker count sustained and the workers needed come from it; when a
     * sweep was asked for and could not run, {@code sweepNotRun} says why.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sizing(
            int targetJobs,
            double targetPointsPerSecondPerJob,
            double targetPointsPerSecond,
            double sustainedPointsPerSecond,
            Integer workers,
            Double pointsPerSecondPerWorker,
            Integer workersNeeded,
            double headroomPct,
            String basis,
            List<SweepPoint> sweep,
            String sweepNotRun) {}

    /**
     * The breakpoint ramp run again with MLflow restarted with {@code --workers N}: the highest arrival rate that met
     * the SLO (null when none did), the metric points/s acknowledged there and per worker, the CPU cores MLflow used
     * then (null when not read), and what broke the ramp at the next step (null when no step broke it).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SweepPoint(
            int workers,
            Double highestArrivalsPerSecond,
            double sustainedPointsPerSecond,
            double pointsPerSecondPerWorker,
            Double mlflowCores,
            String brokeBy) {}

    /**
     * One step: its users and rate (metric-logging: the metric points offered and acknowledged per second), the
     * resources used, Gatling's exit code and report, the request statistics, the fault injected if any, what the
     * stack stored, the SLO breaches, for an open-model step its arrivals,
     * and what the load generator itself cost.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(
            int users,
            double rate,
            Double offeredPointsPerSecond,
            ResourceWindow resources,
            int gatlingExitCode,
            String gatlingReport,
            Requests requests,
            Double acknowledgedPointsPerSecond,
            String faultInjected,
            Integrity integrity,
            List<String> breaches,
            Boolean metSlo,
            Arrivals arrivals,
            InjectorCost injector) {}

    /**
     * An open-model step (breakpoint): the arrivals planned at the step's rate, those sent, those not sent because
     * {@code maxInFlight} requests were still unanswered (the injector does not queue: saturation is counted, not
     * hidden), and those that started more than a second after their planned time (the injector itself was late).
     */
    public record Arrivals(long planned, long sent, long notSent, long startedLate, int maxInFlight) {}

    /** The highest step that met the SLO: users, rate, offered points/s ("n/a" for mixed) and requests/s. */
    public record BestStep(int users, double rate, OrText<Double> offeredPointsPerSecond, double throughputRps) {}
}
