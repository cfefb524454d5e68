package org.mlflowharness.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.mlflowharness.model.ResourceProbe;
import org.mlflowharness.model.ResourceProbe.Reading;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.ResourceWindow.Machine;
import org.mlflowharness.model.load.ResourceWindow.Usage;
import org.mlflowharness.proc.ProcStat;
import org.mlflowharness.proc.ProcStat.MachineTimes;

/**
 * Samples, once a second while a load stage runs, the CPU and resident memory of each stack component (through the
 * provider's {@link ResourceProbe}), of the harness JVM itself, and the machine's busy CPU; and, where the kernel's
 * scheduler counts them, how long the stack's and the harness's threads waited for a CPU and the machine's CPU pressure.
 * A step opens a {@link Window} when it starts and {@link #close closes} it when it ends: the window's summary gives each
 * one's average CPU in cores and its peak RSS, what the rest of the machine used (other processes on a shared machine),
 * and what share of their runnable time the stack and the harness spent waiting for a CPU.
 */
public final class ResourceSampler implements AutoCloseable {

    static final long PERIOD_MILLIS = 1000;

    /** One reading of everything: components by name, the harness, the machine's CPU times, the gauges. */
    record Sample(
            long nanos,
            Map<String, Reading> components,
            Reading harness,
            MachineTimes machine,
            Map<String, Double> gauges) {
        Sample(long nanos, Map<String, Reading> components, Reading harness, double machineBusySeconds) {
            this(nanos, components, harness, machineBusySeconds, Map.of());
        }

        Sample(
                long nanos,
                Map<String, Reading> components,
                Reading harness,
                double machineBusySeconds,
                Map<String, Double> gauges) {
            this(nanos, components, harness, new MachineTimes(machineBusySeconds, -1, -1), gauges);
        }
    }

    /** A step's interval: summarised by {@link #close}. */
    public static final class Window {
        private final int first;
        private final Sample start;

        private Window(int first, Sample start) {
            this.first = first;
            this.start = start;
        }
    }

    private final ResourceProbe probe;
    private final Supplier<Map<String, Double>> gauges;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ResourceSampler(ResourceProbe probe) {
        this(probe, Map::of);
    }

    /** Also samples {@code gauges} (levels such as the database's connections) besides the probe's own. */
    public ResourceSampler(ResourceProbe probe, Supplier<Map<String, Double>> gauges) {
        this.probe = probe;
        this.gauges = gauges;
        this.thread = new Thread(this::loop, "harness-resource-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Sample sample() {
        Map<String, Reading> components = probe.available() ? probe.read() : Map.of();
        Map<String, Double> levels = new LinkedHashMap<>(probe.gauges());
        levels.putAll(gauges.get());
        Sample s = new Sample(
                System.nanoTime(), components, ProcStat.self().orElse(null), ProcStat.machineTimes(), levels);
        synchronized (samples) {
            samples.add(s);
        }
        return s;
    }

    /** Starts a window now. */
    public Window open() {
        Sample s = sample();
        synchronized (samples) {
            return new Window(samples.size() - 1, s);
        }
    }

    /**
     * Ends {@code w} now and summarises it: per component (and the harness) {@code cpuCores} (average cores busy),
     * {@code peakRssMiB} and {@code processes}; the machine's cores and how many were busy; what the rest of the machine
     * used. Without a stack probe the components are left out and {@code notSampled} says why.
     */
    public ResourceWindow close(Window w) {
        Sample end = sample();
        List<Sample> in;
        synchronized (samples) {
            in = new ArrayList<>(samples.subList(w.first, samples.size()));
        }
        return summarise(w.start, end, in, Runtime.getRuntime().availableProcessors(), probe);
    }

    /**
     * Ends {@code w} now and summarises only its samples from {@code fromNanos} to {@code toNanos} (widened to the
     * samples around them, so by at most a sampling period): the load's own interval, without what came before the
     * first request (the simulation's set-up) or after the last (Gatling writing its report). Without an interval
     * ({@code fromNanos >= toNanos}) the whole window.
     */
    public ResourceWindow close(Window w, long fromNanos, long toNanos) {
        Sample end = sample();
        List<Sample> all;
        synchronized (samples) {
            all = new ArrayList<>(samples.subList(w.first, samples.size()));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (fromNanos >= toNanos) {
            return summarise(w.start, end, all, cores, probe);
        }
        int first = 0;
        int last = all.size() - 1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).nanos() <= fromNanos) {
                first = i;
            }
        }
        for (int i = all.size() - 1; i >= first; i--) {
            if (all.get(i).nanos() >= toNanos) {
                last = i;
            }
        }
        if (last <= first) {
            return summarise(w.start, end, all, cores, probe);
        }
        return summarise(all.get(first), all.get(last), all.subList(first, last + 1), cores, probe);
    }

    static ResourceWindow summarise(Sample start, Sample end, List<Sample> in, int cores, ResourceProbe probe) {
        double seconds = (end.nanos() - start.nanos()) / 1e9;
        if (seconds <= 0) {
            return new ResourceWindow(round(seconds), in.size(), null, null, null, null, null, null);
        }
        Map<String, Usage> byComponent = new LinkedHashMap<>();
        double stackCores = 0;
        double[] stackSched = {0, 0};
        for (String name : end.components().keySet()) {
            Sample first = in.stream()
                    .filter(s -> s.components().containsKey(name))
                    .findFirst()
                    .orElse(end);
            Reading from = first.components().get(name);
            Reading to = end.components().get(name);
            double cpu = cores(from, to, (end.nanos() - first.nanos()) / 1e9);
            stackCores += cpu;
            addScheduled(stackSched, from, to);
            byComponent.put(name, usage(cpu, in.stream().map(s -> s.components().get(name)), to.processes()));
        }
        double harness =
                start.harness() == null || end.harness() == null ? 0 : cores(start.harness(), end.harness(), seconds);
        double[] harnessSched = {0, 0};
        addScheduled(harnessSched, start.harness(), end.harness());
        Machine machine = machine(
                start.machine(),
                end.machine(),
                seconds,
                cores,
                probe.available() ? stackCores : null,
                harness,
                probe.available() ? waitPct(stackSched) : null,
                waitPct(harnessSched));
        return new ResourceWindow(
                round(seconds),
                in.size(),
                machine,
                probe.available() ? probe.source() : null,
                probe.available() ? byComponent : null,
                probe.available() ? null : probe.source(),
                usage(harness, in.stream().map(Sample::harness), 1),
                peaks(in));
    }

    /**
     * The machine over a window: busy cores and share; with the stack's cores ({@code stackCores}, null when not
     * sampled), what other processes used: the busy CPU less the stack's, the harness's and the interrupts'; the
     * stack's and the harness's share of runnable time waiting for a CPU, and the CPU pressure, as given or read.
     */
    static Machine machine(
            MachineTimes start,
            MachineTimes end,
            double seconds,
            int cores,
            Double stackCores,
            double harness,
            Double stackWaitPct,
            Double harnessWaitPct) {
        Double busy = rate(start.busySeconds(), end.busySeconds(), seconds);
        if (busy == null) {
            return new Machine(cores, null, null, null, null, stackWaitPct, harnessWaitPct, null);
        }
        Double interrupts = rate(start.interruptSeconds(), end.interruptSeconds(), seconds);
        Double pressure = rate(start.cpuPressureSeconds(), end.cpuPressureSeconds(), seconds);
        return new Machine(
                cores,
                round(busy),
                round(100 * busy / cores),
                stackCores == null
                        ? null
                        : round(Math.max(0, busy - stackCores - harness - (interrupts == null ? 0 : interrupts))),
                interrupts == null ? null : round(interrupts),
                stackWaitPct,
                harnessWaitPct,
                pressure == null ? null : round(Math.min(100, 100 * pressure)));
    }

    /** Per second from {@code from} to {@code to} over {@code seconds}; null when either is not known (-1). */
    private static Double rate(double from, double to, double seconds) {
        return from < 0 || to < 0 ? null : Math.max(0, (to - from) / seconds);
    }

    /** Adds to {@code sched} what {@code to} ran and waited for a CPU since {@code from}; both -1 when not known. */
    private static void addScheduled(double[] sched, Reading from, Reading to) {
        if (sched[0] < 0 || from == null || to == null) {
            return;
        }
        if (from.scheduledSeconds() < 0 || to.scheduledSeconds() < 0) {
            sched[0] = -1;
            sched[1] = -1;
            return;
        }
        sched[0] += Math.max(0, to.scheduledSeconds() - from.scheduledSeconds());
        sched[1] += Math.max(0, to.runQueueSeconds() - from.runQueueSeconds());
    }

    /** The share, in percent, of the runnable time waited for a CPU; null when not known or nothing ran. */
    private static Double waitPct(double[] sched) {
        return sched[0] < 0 || sched[0] + sched[1] <= 0 ? null : round(100 * sched[1] / (sched[0] + sched[1]));
    }

    /** The highest reading of each gauge over {@code in}; null when none was read. */
    static Map<String, Double> peaks(List<Sample> in) {
        Map<String, Double> peaks = new java.util.TreeMap<>();
        in.forEach(s -> s.gauges().forEach((name, v) -> peaks.merge(name, round(v), Math::max)));
        return peaks.isEmpty() ? null : peaks;
    }

    private static double cores(Reading from, Reading to, double seconds) {
        return seconds <= 0 || from == null || to == null
                ? 0
                : Math.max(0, (to.cpuSeconds() - from.cpuSeconds()) / seconds);
    }

    private static Usage usage(double cpuCores, java.util.stream.Stream<Reading> readings, int processes) {
        return new Usage(
                round(cpuCores),
                round(readings.filter(java.util.Objects::nonNull)
                                .mapToLong(Reading::rssBytes)
                                .max()
                                .orElse(0)
                        / 1048576.0),
                processes);
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
