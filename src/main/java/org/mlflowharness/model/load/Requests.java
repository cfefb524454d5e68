package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Request statistics of a Gatling run (or a series of them): counts, failures by status, latency percentiles in ms;
 * over all requests also the wall time, the throughput and the same figures per request name ({@code byRequest}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Requests(
        long requests,
        long ok,
        long errors,
        double errorPct,
        Map<String, Integer> errorsByStatus,
        long p50Ms,
        long p95Ms,
        long p99Ms,
        long maxMs,
        Double wallSeconds,
        Double throughputRps,
        Map<String, Requests> byRequest) {}
