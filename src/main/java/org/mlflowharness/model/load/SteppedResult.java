package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.mlflowharness.model.StackDescription;

/**
 * A stepped scenario's result (metric-logging, mixed): its SLO, the stack it ran through (with a note when not through
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
        Double harnessPeakRssMiB)
        implements ScenarioResult {

    /**
     * One step: its users and rate (metric-logging: the metric points offered and acknowledged per second), the
     * resources used, Gatling's exit code and report, the request statistics, the fault injected if any, what the
     * stack stored, and the SLO breaches.
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
            Boolean metSlo) {}

    /** The highest step that met the SLO: users, rate, offered points/s ("n/a" for mixed) and requests/s. */
    public record BestStep(int users, double rate, OrText<Double> offeredPointsPerSecond, double throughputRps) {}
}
