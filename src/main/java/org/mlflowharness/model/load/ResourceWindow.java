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

    /**
     * The machine's cores; busy cores and share, and the cores other processes used (busy CPU less the stack's, the
     * harness's and the interrupts'), when readable. As the kernel's scheduler counts them: the cores spent serving
     * interrupts (mostly the load's own network traffic), the share of their runnable time the stack's processes and
     * the harness (the load injector) spent waiting for a CPU, and the share of the time some task of the machine
     * waited for one (CPU pressure); each null when not known.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Machine(
            int cores,
            Double busyCores,
            Double busyPct,
            Double otherProcessesCores,
            Double interruptCores,
            Double stackCpuWaitPct,
            Double harnessCpuWaitPct,
            Double cpuPressurePct) {

        public Machine(int cores, Double busyCores, Double busyPct, Double otherProcessesCores) {
            this(cores, busyCores, busyPct, otherProcessesCores, null, null, null, null);
        }

        /**
         * Without the scheduler's figures: the share of the cores that processes outside the stack and the harness may
         * use before the machine counts as busy, when it is also saturated ({@link #SATURATED_PCT}) (on 2 cores: 0.5
         * core).
         */
        public static final double BUSY_SHARE_OF_CORES = 0.25;

        /** Without the scheduler's figures: the machine's busy share from which it counts as saturated. */
        public static final double SATURATED_PCT = 90;

        /**
         * The share of their runnable time that the stack's processes (or the injector, whichever is more) lost waiting
         * for a CPU to processes outside the stack and the harness, from which the machine counts as busy: a step
         * slowed that much by its neighbours cannot tell a 10 % change of the stack.
         */
        public static final double OUTSIDE_WAIT_PCT = 10;

        /**
         * The share of their runnable time the stack's processes or the injector (whichever is more) waited for a CPU
         * because of processes outside the stack and the harness: their wait share, times the share of the machine's
         * cores those processes held meanwhile (a runnable thread waits for them only for a CPU they hold; with idle
         * cores left it waits for none of them, and what it waits for then is the scheduler's wake-up latency, some
         * 30 % of the runnable time of a lightly loaded process on this 2-core virtual machine). Null without the
         * scheduler's figures.
         */
        public Double outsideWaitPct() {
            Double wait = stackCpuWaitPct;
            if (wait == null || (harnessCpuWaitPct != null && harnessCpuWaitPct > wait)) {
                wait = harnessCpuWaitPct;
            }
            if (wait == null || otherProcessesCores == null || cores <= 0) {
                return null;
            }
            return Math.round(10 * wait * Math.min(1, otherProcessesCores / cores)) / 10.0;
        }

        /**
         * Orders machines from the least to the most busy with others: busy ({@link #busyByOthers}) after not, then by
         * {@link #outsideWaitPct}, then by the cores other processes used; unknown figures first.
         */
        public static final java.util.Comparator<Machine> BY_OTHERS = java.util.Comparator.comparing(
                        (Machine m) -> m != null && m.busyByOthers())
                .thenComparingDouble(m -> m == null || m.outsideWaitPct() == null ? -1 : m.outsideWaitPct())
                .thenComparingDouble(m -> m == null || m.otherProcessesCores() == null ? -1 : m.otherProcessesCores());

        /**
         * True when processes outside the stack and the harness kept it waiting: {@link #outsideWaitPct} at least
         * {@link #OUTSIDE_WAIT_PCT}; without the scheduler's figures, when they used at least
         * {@link #BUSY_SHARE_OF_CORES} of the cores while the machine was saturated (at least {@link #SATURATED_PCT} %
         * busy, when known). False when not read.
         */
        public boolean busyByOthers() {
            Double outside = outsideWaitPct();
            if (outside != null) {
                return outside >= OUTSIDE_WAIT_PCT;
            }
            return otherProcessesCores != null
                    && otherProcessesCores >= BUSY_SHARE_OF_CORES * cores
                    && (busyPct == null || busyPct >= SATURATED_PCT);
        }

        /**
         * "machine busy (the stack waited for a CPU 53 % of its runnable time, the injector 20 %; other processes 1.30
         * of 2 cores: about 34 % of the stack's time lost to them; CPU pressure 80 %)", or without
         * the scheduler's figures "machine busy (other processes 1.02 of 2 cores, machine 95 % busy)".
         */
        public String busyText() {
            String others = "other processes " + fmt(otherProcessesCores) + " of " + cores + " cores";
            Double outside = outsideWaitPct();
            if (outside == null) {
                return "machine busy (" + others + ", machine " + (busyPct == null ? "?" : Math.round(busyPct))
                        + " % busy)";
            }
            return "machine busy (the stack waited for a CPU " + pct(stackCpuWaitPct) + " of its runnable time, the "
                    + "injector " + pct(harnessCpuWaitPct) + "; " + others + ": about " + pct(outside)
                    + " of the stack's time lost to them"
                    + (cpuPressurePct == null ? "" : "; CPU pressure " + pct(cpuPressurePct)) + ")";
        }

        private static String fmt(Double d) {
            return String.format(java.util.Locale.ROOT, "%.2f", d == null ? 0 : d);
        }

        private static String pct(Double d) {
            return d == null ? "?" : Math.round(d) + " %";
        }
    }

    /** One process group's average CPU in cores, its peak resident memory (summed over its processes) and process count. */
    public record Usage(double cpuCores, double peakRssMiB, int processes) {}
}
