package org.mlflowharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflowharness.model.load.InjectorCost;
import org.mlflowharness.model.load.LoadFixtures;
import org.mlflowharness.model.load.ResourceWindow;

/** The injector's own cost per step, and the flag on a step where it took more than the stated share of the machine. */
class InjectorCostTest {

    @Test
    void costPerThousandRequestsAndPerMbAndTheShareOfTheMachine() {
        ResourceWindow w = LoadFixtures.window(1.5, 75, 0.1, 0.5, 0.2, 0.1, 0.5, 0.1); // 15.2 s, 2 cores
        InjectorCost c = InjectorCost.of(w, 1520, null);
        assertThat(c.cpuSeconds()).isEqualTo(7.6);
        assertThat(c.cpuSecondsPer1000Requests()).isEqualTo(5.0);
        assertThat(c.cpuSecondsPerMB()).isNull();
        assertThat(c.shareOfMachinePct()).isEqualTo(25.0);
        assertThat(c.measuringInjector()).as("25 % is not above the 25 % limit").isFalse();
        InjectorCost busy = InjectorCost.of(LoadFixtures.window(1.5, 75, 0.1, 0.8, 0.2, 0.1, 0.5, 0.1), 0, 76.0);
        assertThat(busy.measuringInjector()).isTrue();
        assertThat(busy.cpuSecondsPer1000Requests())
                .as("no requests: no figure")
                .isNull();
        assertThat(busy.cpuSecondsPerMB()).isEqualTo(0.16);
        assertThat(InjectorCost.of(null, 10, null)).isNull();
    }

    @Test
    void theReportFlagsTheStepsThatMeasuredTheInjector() {
        Document d = new Document("t");
        ResourceSection.injector(
                d,
                "breakpoint",
                List.of("5 arrivals/s", "40 arrivals/s"),
                Arrays.asList(
                        InjectorCost.of(LoadFixtures.window(1, 50, 0, 0.2, 0.2, 0.1, 0.5, 0.1), 760, null),
                        InjectorCost.of(LoadFixtures.window(2, 100, 0, 0.9, 0.2, 0.1, 0.5, 0.1), 6080, null)));
        String md = CapacityReportTest.text(d);
        assertThat(md)
                .contains("Above 25 % of the machine's cores a step measured the injector as much as the stack: 40 "
                        + "arrivals/s")
                .contains("| 40 arrivals/s | 13.68 | 2.25 | - | 45 % | MEASURING THE INJECTOR |")
                .contains("| 5 arrivals/s | 3.04 | 4 | - | 10 % | ok |");
    }
}
