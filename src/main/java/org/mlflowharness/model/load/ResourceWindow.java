package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * CPU and memory over one measured window (a step, an upload batch): the machine's cores and how busy they were, each
 * stack component's use (or, in {@code notSampled}, why not, with {@code source} naming where they were read), and
 * the harness's own.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceWindow(
        double seconds,
        int samples,
        Machine machine,
        String source,
        Map<String, Usage> components,
        String notSampled,
        Usage harness) {

    /** The machine's cores; busy cores and share, and the cores other processes used, when readable. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Machine(int cores, Double busyCores, Double busyPct, Double otherProcessesCores) {}

    /** One process group's average CPU in cores, its peak resident memory (summed over its processes) and process count. */
    public record Usage(double cpuCores, double peakRssMiB, int processes) {}
}
