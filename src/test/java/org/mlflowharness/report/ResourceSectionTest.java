package org.mlflowharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.ResourceWindow.Machine;
import org.mlflowharness.model.load.ResourceWindow.Usage;

class ResourceSectionTest {

    private static ResourceWindow window(Machine m) {
        return new ResourceWindow(
                12, 12, m, "proc", Map.of("mlflow", new Usage(0.35, 900, 12)), null, new Usage(0.17, 500, 1), null);
    }

    @Test
    void aSaturatedStepWhoseStackWaitedForOthersSaysSoWithTheSchedulersFigures() {
        // the gate's mixed step beside two CPU burners (2026-12-03)
        String s = ResourceSection.limit(
                window(new Machine(2, 2.0, 100.0, 1.36, 0.01, 80.77, 90.47, 97.28)), "At mixed step 1,");
        assertThat(s)
                .contains("the machine's CPU was saturated first")
                .contains("Other processes on the machine kept the stack waiting for a CPU, machine busy (the stack "
                        + "waited for a CPU 81 % of its runnable time, the injector 90 %")
                .contains("repeat it on a quiet machine");
    }

    @Test
    void aStepSaturatedByTheStackItselfIsItsOwnLimitEvenWithOthersUsingCpu() {
        // others used 0.6 cores, but the stack hardly waited for them: its processes waited for each other
        String s = ResourceSection.limit(
                window(new Machine(2, 1.95, 97.5, 0.6, 0.02, 4.0, 3.0, 40.0)), "At mixed step 3,");
        assertThat(s).contains("saturated first").doesNotContain("Other processes on the machine");
    }
}
