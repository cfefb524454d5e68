package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A scenario's service-level objective as reported: only the limits it sets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SloLimits(
        Integer p95Ms, Integer p99Ms, Double errorPct, Long maxLostWrites, Double minMBps, Double minRatio) {}
