package org.mlflowharness.report;

import static org.mlflowharness.report.CapacityReport.SATURATED_PCT;
import static org.mlflowharness.report.Figures.fmt;
import static org.mlflowharness.report.Figures.orDash;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.mlflowharness.model.load.InjectorCost;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.ResourceWindow.Machine;
import org.mlflowharness.model.load.ResourceWindow.Usage;
import org.mlflowharness.report.chart.Chart;

/** The capacity report's CPU and memory per measured window, and what limited the stack in one window. */
final class ResourceSection {

    private ResourceSection() {}

    /** CPU per component per window (stacked, with the machine's cores as a line) and a table with peak RSS. */
    static void resources(Document d, String kind, List<String> labels, List<ResourceWindow> windows, boolean charts) {
        if (windows.isEmpty() || windows.stream().allMatch(Objects::isNull)) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        windows.forEach(w -> names.addAll(components(w).keySet()));
        d.heading(3, kind + ": CPU and memory per step");
        String notSampled = windows.get(0) == null || windows.get(0).notSampled() == null
                ? ""
                : windows.get(0).notSampled();
        if (!notSampled.isEmpty()) {
            d.paragraph(
                    "Stack components not sampled: " + notSampled + ". The harness's own use and the machine's are.");
        }
        if (charts) {
            Chart c = Chart.of(
                            kind + "-cpu",
                            kind + ": CPU used per step, by process (cores)",
                            "step",
                            "CPU cores (average)",
                            labels)
                    .stackBars();
            for (String n : names) {
                c = c.bar(
                        n, windows.stream().map(w -> cpu(components(w).get(n))).toList());
            }
            c = c.bar(
                    "harness (load generator)",
                    windows.stream()
                            .map(w -> cpu(w == null ? null : w.harness()))
                            .toList());
            c = c.bar(
                    "other processes on the machine",
                    windows.stream().map(w -> machine(w).otherProcessesCores()).toList());
            int cores = machine(windows.get(0)).cores();
            d.chart(c.threshold("machine: " + cores + " cores", (double) cores));
        }
        Set<String> gauges = new java.util.TreeSet<>();
        windows.forEach(w -> gauges.addAll(
                w == null || w.peaks() == null ? Set.of() : w.peaks().keySet()));
        List<String> header = new ArrayList<>(List.of("step", "machine busy (cores)"));
        names.forEach(n -> header.add(n + " CPU / peak RSS MiB"));
        header.addAll(List.of(
                "harness CPU / peak RSS MiB",
                "other processes CPU",
                "waited for a CPU: stack / harness / for other processes (% of runnable time)"));
        gauges.forEach(g -> header.add("peak " + g));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            ResourceWindow w = windows.get(i);
            List<String> row = new ArrayList<>(List.of(
                    labels.get(i),
                    orDash(machine(w).busyCores()) + " of " + machine(w).cores()));
            names.forEach(n -> row.add(usage(components(w).get(n))));
            row.add(usage(w == null ? null : w.harness()));
            row.add(orDash(machine(w).otherProcessesCores()));
            row.add(orDash(machine(w).stackCpuWaitPct()) + " / "
                    + orDash(machine(w).harnessCpuWaitPct()) + " / "
                    + orDash(machine(w).outsideWaitPct()));
            gauges.forEach(g -> row.add(
                    orDash(w == null || w.peaks() == null ? null : w.peaks().get(g))));
            rows.add(row);
        }
        d.table(header, rows);
    }

    /**
     * The load generator's own cost per step: CPU seconds, per 1,000 requests (per MB for uploads), share of the
     * machine; steps above the stated share are flagged as measuring the injector as much as the stack.
     */
    static void injector(Document d, String kind, List<String> labels, List<InjectorCost> costs) {
        if (costs.stream().allMatch(Objects::isNull)) {
            return;
        }
        d.heading(3, kind + ": the injector's own cost per step");
        List<String> flagged = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < costs.size(); i++) {
            InjectorCost c = costs.get(i);
            if (c == null) {
                continue;
            }
            if (c.measuringInjector()) {
                flagged.add(labels.get(i));
            }
            rows.add(List.of(
                    labels.get(i),
                    fmt(c.cpuSeconds()),
                    orDash(c.cpuSecondsPer1000Requests()),
                    orDash(c.cpuSecondsPerMB()),
                    fmt(c.shareOfMachinePct()) + " %",
                    c.measuringInjector() ? "MEASURING THE INJECTOR" : "ok"));
        }
        double limit = costs.stream()
                .filter(Objects::nonNull)
                .findFirst()
                .map(InjectorCost::limitPct)
                .orElse(InjectorCost.LIMIT_PCT);
        d.paragraph("The harness's CPU from the first request to the last answer (not its set-up or Gatling's report "
                + "writing). Above " + fmt(limit) + " % of the machine's cores a step measured the injector as much as "
                + "the stack: "
                + (flagged.isEmpty()
                        ? "no step was above it."
                        : String.join(", ", flagged)
                                + " (run the load from another machine, see README, or lower the rate)."));
        d.table(
                List.of(
                        "step",
                        "harness CPU s",
                        "CPU s per 1,000 requests",
                        "CPU s per MB sent",
                        "share of the machine",
                        "injector"),
                rows);
    }

    private static Map<String, Usage> components(ResourceWindow w) {
        return w == null || w.components() == null ? Map.of() : w.components();
    }

    private static Machine machine(ResourceWindow w) {
        return w == null || w.machine() == null ? new Machine(0, null, null, null) : w.machine();
    }

    private static Double cpu(Usage u) {
        return u == null ? null : u.cpuCores();
    }

    private static String usage(Usage u) {
        if (u == null) {
            return "-";
        }
        return fmt(u.cpuCores()) + " / " + fmt(u.peakRssMiB())
                + (u.processes() > 1 ? " (" + u.processes() + " procs)" : "");
    }

    /** What limited the stack in one window: a saturated CPU (and who used it), or not the CPU. */
    static String limit(ResourceWindow w, String when) {
        if (w == null || w.machine() == null || w.machine().busyCores() == null) {
            return "";
        }
        Machine m = w.machine();
        double busy = m.busyCores();
        int cores = m.cores();
        Map<String, Double> users = new LinkedHashMap<>();
        components(w).forEach((name, u) -> users.put(name, u.cpuCores()));
        users.put("the harness", w.harness() == null ? 0 : w.harness().cpuCores());
        if (m.otherProcessesCores() != null) {
            users.put("other processes on the machine", m.otherProcessesCores());
        }
        String top = users.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + fmt(e.getValue()))
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
        double busyPct = m.busyPct() == null ? 0 : m.busyPct();
        String pct = fmt(busyPct);
        String who = w.components() != null ? "" : " (stack components not sampled: " + w.notSampled() + ")";
        double other = m.otherProcessesCores() == null ? 0 : m.otherProcessesCores();
        boolean scheduled = m.outsideWaitPct() != null;
        String contention = (scheduled ? m.busyByOthers() : other >= busy / 2)
                ? " Other processes on the machine "
                        + (scheduled ? "kept the stack waiting for a CPU, " + m.busyText() : "used most of that CPU")
                        + ": this step measured the contention for a shared machine more than the stack's own limit; "
                        + "repeat it on a quiet machine."
                : "";
        if (busyPct >= SATURATED_PCT) {
            return when + " the machine's CPU was saturated first: " + fmt(busy) + " of " + cores + " cores busy ("
                    + pct + " %); cores used by " + top + "." + who + contention;
        }
        return when + " the CPU was not saturated (" + fmt(busy) + " of " + cores + " cores busy, " + pct
                + " %): the limit lies in the stack's own latency (workers, database, store), not in CPU; cores used by "
                + top + "." + who;
    }
}
