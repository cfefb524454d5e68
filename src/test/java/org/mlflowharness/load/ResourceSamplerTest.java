package org.mlflowharness.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.model.ResourceProbe;
import org.mlflowharness.model.ResourceProbe.Reading;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.ResourceWindow.Machine;
import org.mlflowharness.model.load.ResourceWindow.Usage;
import org.mlflowharness.proc.ProcStat;

class ResourceSamplerTest {

    static final long MIB = 1 << 20;

    static ResourceProbe probe() {
        return new ResourceProbe() {
            public String source() {
                return "test";
            }

            public boolean available() {
                return true;
            }

            public Map<String, Reading> read() {
                return Map.of();
            }
        };
    }

    @Test
    void aWindowGivesCoresPerComponentPeakRssAndWhatTheRestOfTheMachineUsed() {
        var start = new ResourceSampler.Sample(
                0, Map.of("mlflow", new Reading(10, 100 * MIB, 5)), new Reading(3, 200 * MIB, 1), 1000);
        var middle = new ResourceSampler.Sample(
                5_000_000_000L,
                Map.of("mlflow", new Reading(15, 300 * MIB, 5), "nginx-article", new Reading(1, 10 * MIB, 2)),
                new Reading(4, 250 * MIB, 1),
                1008);
        var end = new ResourceSampler.Sample(
                10_000_000_000L,
                Map.of("mlflow", new Reading(20, 150 * MIB, 5), "nginx-article", new Reading(2, 10 * MIB, 2)),
                new Reading(6, 220 * MIB, 1),
                1018);
        ResourceWindow w = ResourceSampler.summarise(start, end, List.of(start, middle, end), 2, probe());
        assertThat(w.components().get("mlflow")).isEqualTo(new Usage(1.0, 300.0, 5));
        assertThat(w.components().get("nginx-article").cpuCores())
                .as("from the sample it first appeared in")
                .isEqualTo(0.2);
        assertThat(w.harness()).isEqualTo(new Usage(0.3, 250.0, 1));
        assertThat(w.machine()).isEqualTo(new Machine(2, 1.8, 90.0, 0.3));
    }

    @Test
    void theSchedulersFiguresGiveTheShareOfRunnableTimeWaitedForACpuAndInterruptsAreNotOtherProcesses() {
        var start = new ResourceSampler.Sample(
                0,
                Map.of("mlflow", new Reading(10, MIB, 5, 8, 1), "mysql", new Reading(4, MIB, 1, 3, 0)),
                new Reading(3, MIB, 1, 2.5, 0.5),
                new ProcStat.MachineTimes(1000, 50, 300),
                Map.of());
        var end = new ResourceSampler.Sample(
                10_000_000_000L,
                Map.of("mlflow", new Reading(16, MIB, 5, 14, 5), "mysql", new Reading(6, MIB, 1, 5, 1)),
                new Reading(5, MIB, 1, 4.5, 1.5),
                new ProcStat.MachineTimes(1019, 51, 308),
                Map.of());
        Machine m = ResourceSampler.summarise(start, end, List.of(start, end), 2, probe())
                .machine();
        assertThat(m.busyCores()).isEqualTo(1.9);
        assertThat(m.interruptCores()).isEqualTo(0.1);
        assertThat(m.otherProcessesCores())
                .as("1.9 busy - 0.8 stack - 0.2 harness - 0.1 interrupts")
                .isEqualTo(0.8);
        assertThat(m.stackCpuWaitPct()).as("waited 5 of 13 s runnable").isEqualTo(38.46);
        assertThat(m.harnessCpuWaitPct()).as("waited 1 of 3 s runnable").isEqualTo(33.33);
        assertThat(m.cpuPressurePct()).isEqualTo(80.0);
        assertThat(m.outsideWaitPct()).as("38.46 % x 0.8 / 2 cores").isEqualTo(15.4);
        assertThat(m.busyByOthers()).isTrue();
    }

    @Test
    void withoutAProbeTheWindowSaysWhyAndStillHasTheHarnessAndTheMachine() {
        var start = new ResourceSampler.Sample(0, Map.of(), new Reading(3, 200 * MIB, 1), 1000);
        var end = new ResourceSampler.Sample(10_000_000_000L, Map.of(), new Reading(5, 200 * MIB, 1), 1010);
        ResourceWindow w = ResourceSampler.summarise(
                start,
                end,
                List.of(start, end),
                2,
                ResourceProbe.unavailable("an external stack's processes run where the harness cannot see them"));
        assertThat(w.notSampled()).isEqualTo("an external stack's processes run where the harness cannot see them");
        assertThat(w.components()).isNull();
        assertThat(w.machine().busyCores()).isEqualTo(1.0);
        assertThat(w.machine().otherProcessesCores()).isNull();
    }

    @Test
    void levelsBesidesCpuAndMemoryArePeaksOverTheWindow() {
        var a = new ResourceSampler.Sample(
                0,
                Map.of(),
                new Reading(3, MIB, 1),
                1000,
                Map.of("mlflow temp dir MiB", 0.0, "database connections", 5.0));
        var b = new ResourceSampler.Sample(
                1,
                Map.of(),
                new Reading(3, MIB, 1),
                1000,
                Map.of("mlflow temp dir MiB", 512.0, "database connections", 9.0));
        var c = new ResourceSampler.Sample(
                2, Map.of(), new Reading(3, MIB, 1), 1000, Map.of("database connections", 7.0));
        assertThat(ResourceSampler.peaks(List.of(a, b, c)))
                .containsEntry("mlflow temp dir MiB", 512.0)
                .containsEntry("database connections", 9.0);
        assertThat(ResourceSampler.peaks(List.of(new ResourceSampler.Sample(0, Map.of(), null, 0))))
                .as("none read: no peaks")
                .isNull();
    }
}
