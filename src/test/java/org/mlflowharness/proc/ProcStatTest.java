package org.mlflowharness.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.model.ResourceProbe.Reading;

class ProcStatTest {

    @Test
    void aStatLineIsReadFromTheLastParenthesisOn() {
        String stat =
                "4242 (python3 -m (uvicorn)) S 4200 4242 4242 0 -1 4194560 5000 0 0 0 250 50 30 20 20 0 5 0 12345 "
                        + "700000000 25600 18446744073709551615 0 0 0 0 0 0 0 16781312 0 0 0 17 1 0 0 0 0 0";
        ProcStat.Proc p = ProcStat.parse(4242, stat);
        assertThat(p.ppid()).isEqualTo(4200);
        assertThat(p.cpuSeconds())
                .as("(utime 250 + stime 50 + cutime 30 + cstime 20) / 100")
                .isEqualTo(3.5);
        assertThat(p.rssBytes()).isEqualTo(25600L * 4096);
    }

    @Test
    void machineBusyTimeLeavesOutIdleAndIowait() {
        assertThat(ProcStat.machineBusySeconds(
                        "cpu  100 20 30 9000 500 5 5 40 0 0\ncpu0 50 10 15 4500 250 2 3 20 0 0\n"))
                .as("user + nice + system + irq + softirq + steal")
                .isEqualTo(2.0);
    }

    @Test
    void theSchedulersRunAndWaitTimesAndTheMachinesInterruptsAndCpuPressureAreRead() {
        assertThat(ProcStat.schedStat("3780000000 4260000000 1523\n")).containsExactly(3.78, 4.26);
        assertThat(ProcStat.machineInterruptSeconds("cpu  100 20 30 9000 500 5 7 40 0 0\n"))
                .as("irq + softirq")
                .isEqualTo(0.12);
        assertThat(ProcStat.cpuPressureSeconds("some avg10=4.20 avg60=5.08 avg300=20.01 total=11047172136\n"
                        + "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"))
                .isEqualTo(11047.172136);
    }

    @Test
    void aLiveProcessHasSchedulerFiguresWhereTheKernelKeepsThem() {
        Reading self = ProcStat.self().orElseThrow();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.exists(Path.of("/proc/self/schedstat")), "no schedstat on this kernel");
        assertThat(self.scheduledSeconds()).isPositive();
        assertThat(self.runQueueSeconds()).isNotNegative();
    }

    @Test
    void aTreeSumsAProcessAndItsChildren(@TempDir Path dir) {
        ManagedProcess child =
                ManagedProcess.start("sleep", List.of("sleep", "30"), Map.of(), dir, dir.resolve("sleep.log"));
        try {
            Reading tree =
                    ProcStat.snapshot().tree(ProcessHandle.current().pid()).orElseThrow();
            Reading self = ProcStat.self().orElseThrow();
            assertThat(tree.processes()).isGreaterThanOrEqualTo(2);
            assertThat(tree.rssBytes()).isGreaterThan(self.rssBytes() / 2);
            assertThat(ProcStat.snapshot().tree(child.pid()).orElseThrow().processes())
                    .isEqualTo(1);
        } finally {
            child.stop(Duration.ofSeconds(5));
        }
        assertThat(ProcStat.snapshot().tree(child.pid())).as("gone").isEmpty();
    }
}
