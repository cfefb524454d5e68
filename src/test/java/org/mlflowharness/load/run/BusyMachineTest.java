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

    private static Machine scheduled(double busy, double others, Double stackWait, Double harnessWait) {
        return new Machine(2, busy, 50 * busy, others, 0.05, stackWait, harnessWait, 80.0);
    }

    @Test
    void withTheSchedulersFiguresTheStacksWaitForCpusHeldByOthersDecides() {
        // a CPU-bound process beside two bounded burners on this 2-core machine (2026-12-03): it ran 3.78 s and waited
        // 4.26 s for a CPU in 8 s (53 %); the burners held about 1.3 of the 2 busy cores
        Machine burners = scheduled(2.0, 1.3, 53.0, 20.0);
        assertThat(burners.outsideWaitPct()).isEqualTo(34.5);
        assertThat(burners.busyByOthers()).isTrue();
        assertThat(burners.busyText())
                .isEqualTo("machine busy (the stack waited for a CPU 53 % of its runnable time, the injector 20 %; "
                        + "other processes 1.30 of 2 cores: about 35 % of the stack's time lost to them; CPU pressure "
                        + "80 %)");
        assertThat(LoadRun.performanceFailure(
                                "mixed step 1: p95",
                                new ResourceWindow(12, 12, burners, "proc", null, null, null, null))
                        .kind())
                .isEqualTo(Failure.Kind.INCONCLUSIVE);
    }

    @Test
    void aStackSaturatingTheMachineItselfIsNotBusyByOthersHoweverLongItWaits() {
        // the stack's own load fills both cores: its processes wait for each other and for the injector
        Machine self = scheduled(1.95, 0.1, 30.0, 25.0);
        assertThat(self.outsideWaitPct()).isEqualTo(1.5);
        assertThat(self.busyByOthers()).isFalse();
        assertThat(LoadRun.performanceFailure(
                                "mixed step 1: p95", new ResourceWindow(12, 12, self, "proc", null, null, null, null))
                        .kind())
                .isEqualTo(Failure.Kind.PERFORMANCE);
    }

    @Test
    void othersUsingCpuTheStackDidNotWaitForDoNotMakeTheMachineBusy() {
        // the CPU-share rule alone calls this busy (others 0.6 of 2 cores, 95 % busy); the stack barely waited
        Machine share = scheduled(1.9, 0.6, 4.0, 3.0);
        assertThat(new Machine(2, 1.9, 95.0, 0.6).busyByOthers()).isTrue();
        assertThat(share.outsideWaitPct()).isEqualTo(1.2);
        assertThat(share.busyByOthers()).isFalse();
    }

    @Test
    void theInjectorWaitingForOthersAlsoMakesTheMachineBusy() {
        Machine injector = scheduled(2.0, 1.0, 5.0, 40.0);
        assertThat(injector.outsideWaitPct()).isEqualTo(20.0);
        assertThat(injector.busyByOthers()).isTrue();
    }

    @Test
    void theBusiestWindowIsTheOneWhoseStackLostMostTimeToOthersNotTheOneWithMostOtherCpu() {
        ResourceWindow moreCpuNoWait =
                new ResourceWindow(12, 12, scheduled(1.9, 0.9, 2.0, 2.0), "proc", null, null, null, null);
        ResourceWindow lessCpuLongWait =
                new ResourceWindow(12, 12, scheduled(2.0, 0.7, 60.0, 50.0), "proc", null, null, null, null);
        assertThat(LoadRun.busiest(List.of(moreCpuNoWait, lessCpuLongWait))).isSameAs(lessCpuLongWait);
        assertThat(LoadRun.busiest(List.of(lessCpuLongWait, moreCpuNoWait))).isSameAs(lessCpuLongWait);
    }

    @Test
    void aSleepingSlowStackOnAnIdleMachineFailsThoughItsFewWakeUpsWaitedForACpu() {
        // compare with fault=nginx-slow (2026-12-03 15:27), a candidate round: p95 2553 ms, the machine 0.17 of 2
        // cores busy, others 0.06; the stack's threads still waited 32 % of their (short) runnable time: wake-up
        // latency of a lightly loaded process on this virtual machine, not a neighbour. Weighing that wait by the
        // others' share of the busy CPU (35 %) called it "machine busy"; by their share of the cores it is 1 %.
        Machine idle = new Machine(2, 0.17, 8.5, 0.06, 0.0, 32.0, 24.0, 4.0);
        assertThat(idle.outsideWaitPct()).isEqualTo(1.0);
        assertThat(LoadRun.performanceFailure(
                                "metric-logging step 1: p95 latency: threshold <= 2000 ms, measured 2553.00 ms",
                                new ResourceWindow(12, 12, idle, "proc", null, null, null, null))
                        .kind())
                .isEqualTo(Failure.Kind.PERFORMANCE);
    }
}
