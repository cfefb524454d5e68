package org.mlflowharness.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflowharness.model.ResourceProbe.Reading;

/**
 * CPU time and resident memory of local processes, read from Linux's /proc: process trees (a component with workers,
 * such as MLflow's uvicorn processes), this JVM, and the machine's busy CPU time. Besides, what the kernel's scheduler
 * counts: per process the time its threads ran and the time they were runnable but waited for a CPU (the run queue,
 * /proc/[pid]/task/[tid]/schedstat), and the machine's CPU pressure (/proc/pressure/cpu). Elsewhere (no /proc)
 * readings are empty, and figures not kept by the kernel are -1.
 */
public final class ProcStat {

    /** /proc/[pid]/stat counts CPU in USER_HZ, which Linux fixes at 100 per second for user space. */
    static final double TICKS_PER_SECOND = 100.0;
    /** /proc/[pid]/stat counts RSS in pages: 4 KiB on the x86-64 and arm64 machines the harness runs on. */
    static final long PAGE_BYTES = 4096;

    /** One process: its parent, CPU seconds (its own plus its reaped children's) and resident bytes. */
    record Proc(long pid, long ppid, double cpuSeconds, long rssBytes) {}

    /** Every process at one moment: read once, then any number of trees summed from it. */
    public static final class Snapshot {
        private final Map<Long, Proc> procs;
        private final Map<Long, List<Long>> children = new HashMap<>();

        Snapshot(Map<Long, Proc> procs) {
            this.procs = procs;
            procs.values()
                    .forEach(p -> children.computeIfAbsent(p.ppid(), k -> new ArrayList<>())
                            .add(p.pid()));
        }

        /**
         * The process {@code root} and its descendants: CPU seconds of the live ones (their reaped children included,
         * so a worker that exits between two snapshots is still counted), RSS summed over them; empty when it is gone.
         */
        public Optional<Reading> tree(long root) {
            if (!procs.containsKey(root)) {
                return Optional.empty();
            }
            double cpu = 0;
            long rss = 0;
            int n = 0;
            double[] sched = {0, 0};
            Deque<Long> todo = new ArrayDeque<>(List.of(root));
            while (!todo.isEmpty()) {
                Proc p = procs.get(todo.pop());
                if (p == null) {
                    continue;
                }
                cpu += p.cpuSeconds();
                rss += p.rssBytes();
                n++;
                addSchedStat(p.pid(), sched);
                todo.addAll(children.getOrDefault(p.pid(), List.of()));
            }
            return Optional.of(new Reading(cpu, rss, n, sched[0], sched[1]));
        }
    }

    private ProcStat() {}

    /** All processes now (one read of each /proc/[pid]/stat); empty without /proc. */
    public static Snapshot snapshot() {
        Map<Long, Proc> procs = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(
                Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path d : dirs) {
                try {
                    Proc p = parse(Long.parseLong(d.getFileName().toString()), Files.readString(d.resolve("stat")));
                    procs.put(p.pid(), p);
                } catch (IOException | RuntimeException gone) {
                    // ended while listing
                }
            }
        } catch (IOException | RuntimeException noProc) {
            return new Snapshot(Map.of());
        }
        return new Snapshot(procs);
    }

    /** This JVM alone (its threads are one process). */
    public static Optional<Reading> self() {
        long pid = ProcessHandle.current().pid();
        try {
            Proc p = parse(pid, Files.readString(Path.of("/proc/self/stat")));
            double[] sched = {0, 0};
            addSchedStat(pid, sched);
            return Optional.of(new Reading(p.cpuSeconds(), p.rssBytes(), 1, sched[0], sched[1]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Adds to {@code sched} the seconds the live threads of {@code pid} ran on a CPU ([0]) and waited runnable for one
     * ([1]); both become -1 when the kernel does not keep them (no schedstat). A thread that ended took its figures
     * with it, so over a window they are a lower bound.
     */
    static void addSchedStat(long pid, double[] sched) {
        if (sched[0] < 0) {
            return;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks) {
                try {
                    double[] rw = schedStat(Files.readString(t.resolve("schedstat")));
                    sched[0] += rw[0];
                    sched[1] += rw[1];
                } catch (java.nio.file.NoSuchFileException gone) {
                    // the thread ended while listing
                }
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // the process ended since the snapshot
        } catch (IOException | RuntimeException noSchedStat) {
            sched[0] = -1;
            sched[1] = -1;
        }
    }

    /** A schedstat line, "run-ns wait-ns timeslices": seconds run on a CPU and waited on the run queue. */
    static double[] schedStat(String line) {
        String[] f = line.trim().split("\\s+");
        return new double[] {Long.parseLong(f[0]) / 1e9, Long.parseLong(f[1]) / 1e9};
    }

    /**
     * The machine's CPU times, counted since boot: busy seconds over all cores (user, nice, system, irq, softirq,
     * steal), of which serving interrupts (irq + softirq: on a load run mostly its own network traffic), and the
     * seconds in which at least one runnable task waited for a CPU ("some" of /proc/pressure/cpu). Each -1 when not
     * readable.
     */
    public record MachineTimes(double busySeconds, double interruptSeconds, double cpuPressureSeconds) {
        public static final MachineTimes UNKNOWN = new MachineTimes(-1, -1, -1);
    }

    /** The machine's CPU times now. */
    public static MachineTimes machineTimes() {
        double busy = -1;
        double interrupts = -1;
        double pressure = -1;
        try {
            String stat = Files.readString(Path.of("/proc/stat"));
            busy = machineBusySeconds(stat);
            interrupts = machineInterruptSeconds(stat);
        } catch (IOException | RuntimeException noProc) {
            // left unknown
        }
        try {
            pressure = cpuPressureSeconds(Files.readString(Path.of("/proc/pressure/cpu")));
        } catch (IOException | RuntimeException noPressure) {
            // a kernel without pressure stall information
        }
        return new MachineTimes(busy, interrupts, pressure);
    }

    static double cpuPressureSeconds(String pressure) {
        String some =
                pressure.lines().filter(l -> l.startsWith("some ")).findFirst().orElseThrow();
        String total =
                some.substring(some.indexOf("total=") + "total=".length()).trim();
        return Long.parseLong(total) / 1e6;
    }

    static double machineInterruptSeconds(String procStat) {
        String[] f = cpuLine(procStat);
        return (Long.parseLong(f[6]) + Long.parseLong(f[7])) / TICKS_PER_SECOND;
    }

    private static String[] cpuLine(String procStat) {
        return procStat.lines()
                .filter(l -> l.startsWith("cpu "))
                .findFirst()
                .orElseThrow()
                .trim()
                .split("\\s+");
    }

    static double machineBusySeconds(String procStat) {
        String[] f = cpuLine(procStat);
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system [idle iowait] irq softirq steal
            busy += Long.parseLong(f[i]);
        }
        return busy / TICKS_PER_SECOND;
    }

    /**
     * A /proc/[pid]/stat line: ppid (field 4), utime + stime + cutime + cstime (14-17), rss in pages (24). The command
     * (field 2) may contain spaces and parentheses, so fields are counted from the last ')'.
     */
    static Proc parse(long pid, String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+"); // f[n - 3] is field n
        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]))
                / TICKS_PER_SECOND;
        return new Proc(pid, Long.parseLong(f[1]), cpu, Long.parseLong(f[21]) * PAGE_BYTES);
    }
}
