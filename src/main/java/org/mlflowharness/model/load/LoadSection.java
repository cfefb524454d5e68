package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;

/**
 * The {@code load} section of a run's report (summary.json): the profile, each scenario's result by id in the order
 * they ran, how the stack's resources were sampled, the harness's peak memory, what was not run, the failed checks
 * and one verdict. Written by the load stage, read by the capacity report and by {@code compare}.
 *
 * @param harnessPeakRssMiB the harness's peak resident memory over the run, -1 when unreadable
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadSection(
        String profile,
        String description,
        String onBreach,
        Map<String, ScenarioResult> scenarios,
        Sampling resources,
        Double harnessPeakRssMiB,
        List<String> notRun,
        List<String> failures,
        String verdict) {

    /** Reads summaries of this and earlier versions: keys it does not know are ignored. */
    private static final ObjectMapper READER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** The section as summary.json holds it ({@code summary.path("load")}); null for a missing node. */
    public static LoadSection of(JsonNode load) {
        if (load == null || load.isMissingNode() || load.isNull()) {
            return null;
        }
        try {
            return READER.treeToValue(load, LoadSection.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a load section: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * How the stack components' CPU and memory were sampled: from {@code source} every {@code sampledEverySeconds},
     * or, in {@code notSampled}, why not.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sampling(String source, Integer sampledEverySeconds, String notSampled) {}
}
