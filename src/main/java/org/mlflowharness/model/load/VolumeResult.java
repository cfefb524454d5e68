package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.StackDescription;

/**
 * The data-volume scenario's result: the fill's shape and the name that identifies it in the store, the SLO, the stack
 * it ran through, the warm-up, the fixture whose reads are measured (a long metric history, an artifact listing), and
 * per volume level what the fill took and how the reads and the logging behaved there.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VolumeResult(
        String fillId,
        Shape shape,
        SloLimits slo,
        String nginxVariantNote,
        StackDescription stack,
        String warmUp,
        String probe,
        List<Level> levels,
        String keptFill,
        Double harnessPeakRssMiB)
        implements ScenarioResult {

    /**
     * What the store is filled with and how the levels are measured: per run params, tags and metric keys x steps,
     * runs per experiment, parallel fill writers; the readers' and logging jobs' count, rate and duration, batch size.
     */
    public record Shape(
            int runsPerExperiment,
            int params,
            int tags,
            int metricKeys,
            int stepsPerKey,
            int writers,
            int historySteps,
            int artifacts,
            int users,
            double rate,
            int batchSize,
            int durationSeconds) {}

    /**
     * One volume level: the runs asked for and the runs and metric points of the fill present when measured; the
     * fill's work for it; the reads (per read in {@code reads.byRequest}) and the logging at that volume, what the
     * logging stored, the resources during each, Gatling's reports, and the SLO breaches.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Level(
            int targetRuns,
            int runs,
            long metricPoints,
            Fill fill,
            Requests reads,
            Requests logging,
            Double loggedPointsPerSecond,
            Integrity integrity,
            ResourceWindow readResources,
            ResourceWindow loggingResources,
            Map<String, String> gatlingReports,
            List<String> breaches,
            boolean metSlo) {}

    /**
     * What the fill did to reach a level: runs reused from an earlier fill (same shape, kept in the store), runs and
     * metric points added, requests, seconds, points/s, parallel writers; {@code cut} when the time bound stopped it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Fill(
            int runsReused,
            int runsAdded,
            long pointsAdded,
            long requests,
            double seconds,
            double pointsPerSecond,
            int writers,
            String cut) {}
}
