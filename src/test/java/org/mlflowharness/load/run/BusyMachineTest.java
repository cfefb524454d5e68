package org.mlflowharness.load.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.ResourceWindow.Machine;
import org.mlflowharness.report.Failure;

class BusyMachineTest {

    private static ResourceWindow window(Double otherCores) {
        return new ResourceWindow(12, 12, new Machine(2, 1.9, 95.0, otherCores), "proc", null, null, null, null);
    }

    @Test
    void aBreachWhileOtherProcessesKeptTheMachineBusyIsInconclusiveWithTheFigures() {
        Failure f = LoadRun.performanceFailure("mixed step 1: p95 latency: threshold <= 3000 ms", window(0.97));
        assertThat(f.kind()).isEqualTo(Failure.Kind.INCONCLUSIVE);
        assertThat(f.text())
                .isEqualTo("mixed step 1: p95 latency: threshold <= 3000 ms: inconclusive: machine busy (other "
                        + "processes 0.97 of 2 cores, machine 95 % busy)");
    }

    @Test
    void theSameBreachOnAQuietMachineOrWithoutFiguresFails() {
        assertThat(LoadRun.performanceFailure("p95", window(0.3)).kind()).isEqualTo(Failure.Kind.PERFORMANCE);
        assertThat(LoadRun.performanceFailure("p95", window(null)).kind()).isEqualTo(Failure.Kind.PERFORMANCE);
        assertThat(LoadRun.performanceFailure("p95", null).kind()).isEqualTo(Failure.Kind.PERFORMANCE);
        assertThat(new Machine(2, null, null, 0.5).busyByOthers())
                .as("a quarter of the cores")
                .isTrue();
        assertThat(new Machine(2, 1.5, 75.0, 1.0).busyByOthers())
                .as("with an idle core left, others do not slow the stack")
                .isFalse();
    }

    @Test
    void theBusiestWindowDecidesForAnUploadSeries() {
        assertThat(LoadRun.busiest(List.of(window(0.1), window(0.8), window(null)))
                        .machine()
                        .otherProcessesCores())
                .isEqualTo(0.8);
        assertThat(LoadRun.busiest(List.of(window(null)))).isNull();
    }
}
