package org.mlflowharness.model;

import java.util.Map;

/**
 * What the stack's components use, read on demand: per component (its whole process tree, or its container),
 * cumulative CPU time and current resident memory. A load run samples it per step, so that a report can say which
 * component saturated first. A provider that cannot see its components returns {@link #unavailable} with the reason.
 */
public interface ResourceProbe {

    /**
     * One component's reading: CPU seconds used since it started, resident bytes now, and how many processes; and, as
     * the kernel's scheduler counts them over its live threads, the seconds they ran on a CPU and the seconds they
     * were runnable but waited for one (-1 each when not known).
     */
    record Reading(double cpuSeconds, long rssBytes, int processes, double scheduledSeconds, double runQueueSeconds) {
        public Reading(double cpuSeconds, long rssBytes, int processes) {
            this(cpuSeconds, rssBytes, processes, -1, -1);
        }
    }

    /** Where the figures come from, e.g. {@code /proc of the native stack's process trees}; or why there are none. */
    String source();

    /** True when {@link #read} gives figures. */
    boolean available();

    /** Per component name (mariadb, mlflow, nginx, nginx-article...): its reading now; components that ended are left out. */
    Map<String, Reading> read();

    /** The gauge of what MLflow buffers on disk while it passes an upload on: its temporary directory, in MiB. */
    String MLFLOW_TEMP_DIR_MIB = "mlflow temp dir MiB";

    /** Levels read now, by name, besides CPU and memory, e.g. {@link #MLFLOW_TEMP_DIR_MIB}; none by default. */
    default Map<String, Double> gauges() {
        return Map.of();
    }

    /** A probe with no figures, saying why. */
    static ResourceProbe unavailable(String reason) {
        return new ResourceProbe() {
            @Override
            public String source() {
                return reason;
            }

            @Override
            public boolean available() {
                return false;
            }

            @Override
            public Map<String, Reading> read() {
                return Map.of();
            }
        };
    }
}
