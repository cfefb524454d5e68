package org.mlflowharness.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SloTest {

    private final Slo slo =
            Slo.fromMap(Map.of("p95Ms", 500, "p99Ms", 1000, "errorPct", 1, "minMBps", 50, "minRatio", 0.5));

    @Test
    void latencyAndErrorThresholdsBecomeGatlingAssertions() {
        assertThat(slo.gatlingAssertions()).as("p95, p99, error %").hasSize(3);
        assertThat(Slo.NONE.gatlingAssertions()).isEmpty();
    }

    @Test
    void aBreachNamesTheThresholdAndTheMeasuredValue() {
        assertThat(slo.checkLatency(812, 900, 0.5))
                .singleElement()
                .hasToString("p95 latency: threshold <= 500 ms, measured 812.00 ms");
        assertThat(slo.checkLatency(100, 200, 2.5))
                .singleElement()
                .hasToString("error rate: threshold <= 1.0 %, measured 2.50 %");
        assertThat(slo.checkLatency(100, 200, 0)).isEmpty();
    }

    @Test
    void lostWritesAreZeroByDefaultAndThroughputHasAFloor() {
        assertThat(Slo.NONE.checkMeasured(1L, null, null))
                .singleElement()
                .hasToString("lost or duplicated writes: threshold <= 0, measured 1");
        assertThat(slo.checkMeasured(0L, 42.0, 0.4))
                .extracting(Slo.Breach::what)
                .containsExactly("throughput", "proxied/direct ratio");
        assertThat(slo.checkMeasured(0L, 60.0, 0.9)).isEmpty();
    }
}
