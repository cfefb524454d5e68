package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the stack stored of the metric points the load logged: the points acknowledged, stored, lost (acknowledged,
 * not stored), duplicated, stored although their request failed; the rows in the metrics table (or why they were not
 * counted), the 503 answers, whether it held, and a few examples of what went wrong.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Integrity(
        int runs,
        long acknowledged,
        long stored,
        long lost,
        long duplicated,
        long unacknowledgedStored,
        OrText<Long> dbRows,
        long unavailable503Requests,
        boolean ok,
        List<String> examples) {}
