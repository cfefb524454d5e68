package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.StackDescription;

/**
 * An upload comparison's result (large-upload, direct-s3): concurrent uploads per size, the sizes and their order,
 * the SLO, the direct-S3 baseline and, per nginx variant, its transfers, each destination or why it was not run.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UploadResult(
        int users,
        List<String> sizes,
        String order,
        SloLimits slo,
        String nginxVariantNote,
        OrText<Destination> direct,
        Map<String, OrText<Destination>> proxied,
        Double harnessPeakRssMiB)
        implements ScenarioResult {

    /**
     * The transfers to one destination over the sizes: per size, the largest size every upload of which succeeded,
     * the first that failed ("none"), the uploads acknowledged but not stored intact, the harness's peak memory and
     * the resources per size, and its SLO breaches. The direct baseline names its store; a variant how its uploads were
     * verified, its requests, Gatling reports, stack and its rate relative to the direct baseline's.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Destination(
            Map<String, SizeResult> bySize,
            String largestOk,
            OrText<FirstFailure> firstFailure,
            long corrupted,
            Map<String, Double> harnessPeakRssMiBBySize,
            Map<String, ResourceWindow> resourcesBySize,
            Double harnessPeakRssMiB,
            StackDescription.Component store,
            String verifiedBy,
            Requests requests,
            Map<String, String> gatlingReports,
            StackDescription stack,
            Map<String, Double> proxiedToDirectRatioBySize,
            OrText<Double> proxiedToDirectRatio,
            List<String> breaches) {}

    /** The uploads of one size: how many, how many succeeded, MB/s per upload and in aggregate, how they ended. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SizeResult(
            int transfers, int ok, Spread perTransferMBps, Double aggregateMBps, Map<String, Integer> outcomes) {}

    /** The least, median and greatest of per-upload MB/s. */
    public record Spread(double min, double median, double max) {}

    /** A destination's first size where an upload failed: how they ended, one reason, seconds into the batch. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FirstFailure(String size, Map<String, Integer> outcomes, String example, double afterSeconds) {}
}
