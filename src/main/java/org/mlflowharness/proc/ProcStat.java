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
 * such as MLflow's uvicorn processes), this JVM, and the machine's busy CPU time. Elsewhere (no /proc) readings are
 * empty.
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
            Deque<Long> todo = new ArrayDeque<>(List.of(root));
            while (!todo.isEmpty()) {
                Proc p = procs.get(todo.pop());
                if (p == null) {
                    continue;
                }
                cpu += p.cpuSeconds();
                rss += p.rssBytes();
                n++;
                todo.addAll(children.getOrDefault(p.pid(), List.of()));
            }
            return Optional.of(new Reading(cpu, rss, n));
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
            return Optional.of(new Reading(p.cpuSeconds(), p.rssBytes(), 1));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Busy CPU seconds of the whole machine over all cores (user, nice, system, irq, softirq, steal), or -1 without /proc. */
    public static double machineBusySeconds() {
        try {
            return machineBusySeconds(Files.readString(Path.of("/proc/stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static double machineBusySeconds(String procStat) {
        String cpu =
                procStat.lines().filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow();
        String[] f = cpu.trim().split("\\s+");
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
