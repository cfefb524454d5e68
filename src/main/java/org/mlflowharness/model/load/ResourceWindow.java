package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * CPU and memory over one measured window (a step, an upload batch): the machine's cores and how busy they were, each
 * stack component's use (or, in {@code notSampled}, why not, with {@code source} naming where they were read), the
 * harness's own, and in {@code peaks} the highest reading of each level sampled besides CPU and memory (MLflow's temp
 * dir, the database's connections and its max_connections), null when none was.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceWindow(
        double seconds,
        int samples,
        Machine machine,
        String source,
        Map<String, Usage> components,
        String notSampled,
        Usage harness,
        Map<String, Double> peaks) {

    /** The machine's cores; busy cores and share, and the cores other processes used, when readable. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Machine(int cores, Double busyCores, Double busyPct, Double otherProcessesCores) {

        /**
         * The share of the cores that processes outside the stack and the harness may use before the machine counts as
         * busy, when it is also saturated ({@link #SATURATED_PCT}): what is measured then says more about the
         * neighbours than about the stack (on 2 cores: 0.5 core).
         */
        public static final double BUSY_SHARE_OF_CORES = 0.25;

        /** The machine's busy share from which it counts as saturated: no idle core left for the stack. */
        public static final double SATURATED_PCT = 90;

        /**
         * True when other processes used at least {@link #BUSY_SHARE_OF_CORES} of the cores while the machine was
         * saturated (at least {@link #SATURATED_PCT} % busy, when known); false when not read.
         */
        public boolean busyByOthers() {
            return otherProcessesCores != null
                    && otherProcessesCores >= BUSY_SHARE_OF_CORES * cores
                    && (busyPct == null || busyPct >= SATURATED_PCT);
        }

        /** "machine busy (other processes 1.02 of 2 cores)". */
        public String busyText() {
            return "machine busy (other processes "
                    + String.format(
                            java.util.Locale.ROOT, "%.2f", otherProcessesCores == null ? 0 : otherProcessesCores)
                    + " of " + cores + " cores, machine " + (busyPct == null ? "?" : Math.round(busyPct)) + " % busy)";
        }
    }

    /** One process group's average CPU in cores, its peak resident memory (summed over its processes) and process count. */
    public record Usage(double cpuCores, double peakRssMiB, int processes) {}
}
