package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the load generator (the harness's JVM: Gatling, the recorders, the sampler) cost during a measured window: its
 * CPU seconds, per 1,000 requests and, for uploads, per MB sent; its share of the machine's cores; and whether that
 * share was above {@code limitPct}, in which case the window measured the injector as much as the stack.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InjectorCost(
        double cpuSeconds,
        Double cpuSecondsPer1000Requests,
        Double cpuSecondsPerMB,
        double shareOfMachinePct,
        double limitPct,
        boolean measuringInjector) {

    /** Above this share of the machine's cores the injector is flagged: its own limits may be what was measured. */
    public static final double LIMIT_PCT = 25;

    /**
     * The injector's cost over {@code w} for {@code requests} requests and {@code megabytes} sent (null when not an
     * upload); null when the window has no harness reading.
     */
    public static InjectorCost of(ResourceWindow w, long requests, Double megabytes) {
        if (w == null || w.harness() == null || w.machine() == null || w.seconds() <= 0) {
            return null;
        }
        double cpu = w.harness().cpuCores() * w.seconds();
        double share = 100 * w.harness().cpuCores() / w.machine().cores();
        return new InjectorCost(
                round(cpu),
                requests > 0 ? round(1000 * cpu / requests) : null,
                megabytes != null && megabytes > 0 ? round(cpu / megabytes) : null,
                round(share),
                LIMIT_PCT,
                share > LIMIT_PCT);
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
