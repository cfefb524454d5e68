package org.mlflowharness.report;

import static org.mlflowharness.report.CapacityReport.SATURATED_PCT;
import static org.mlflowharness.report.Figures.fmt;
import static org.mlflowharness.report.Figures.number;
import static org.mlflowharness.report.Figures.orDash;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlflowharness.report.chart.Chart;

/** The capacity report's CPU and memory per measured window, and what limited the stack in one window. */
final class ResourceSection {

    private ResourceSection() {
    }

    /** CPU per component per window (stacked, with the machine's cores as a line) and a table with peak RSS. */
    static void resources(Document d, String kind, List<String> labels, List<JsonNode> windows, boolean charts) {
        if (windows.isEmpty() || windows.stream().allMatch(JsonNode::isMissingNode)) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        windows.forEach(w -> w.path("components").fieldNames().forEachRemaining(names::add));
        d.heading(3, kind + ": CPU and memory per step");
        String notSampled = windows.get(0).path("notSampled").asText("");
        if (!notSampled.isEmpty()) {
            d.paragraph("Stack components not sampled: " + notSampled + ". The harness's own use and the machine's are.");
        }
        if (charts) {
            Chart c = Chart.of(kind + "-cpu", kind + ": CPU used per step, by process (cores)", "step", "CPU cores (average)", labels).stackBars();
            for (String n : names) {
                c = c.bar(n, windows.stream().map(w -> number(w.path("components").path(n).path("cpuCores"))).toList());
            }
            c = c.bar("harness (load generator)", windows.stream().map(w -> number(w.path("harness").path("cpuCores"))).toList());
            c = c.bar("other processes on the machine", windows.stream().map(w -> number(w.path("machine").path("otherProcessesCores"))).toList());
            JsonNode cores = windows.get(0).path("machine").path("cores");
            d.chart(c.threshold("machine: " + cores.asText() + " cores", number(cores)));
        }
        List<String> header = new ArrayList<>(List.of("step", "machine busy (cores)"));
        names.forEach(n -> header.add(n + " CPU / peak RSS MiB"));
        header.addAll(List.of("harness CPU / peak RSS MiB", "other processes CPU"));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            JsonNode w = windows.get(i);
            List<String> row = new ArrayList<>(List.of(labels.get(i), orDash(w.path("machine").path("busyCores")) + " of " + w.path("machine").path("cores").asText()));
            names.forEach(n -> row.add(usage(w.path("components").path(n))));
            row.add(usage(w.path("harness")));
            row.add(orDash(w.path("machine").path("otherProcessesCores")));
            rows.add(row);
        }
        d.table(header, rows);
    }

    private static String usage(JsonNode u) {
        if (u.isMissingNode()) {
            return "-";
        }
        return fmt(u.path("cpuCores").asDouble()) + " / " + fmt(u.path("peakRssMiB").asDouble())
                + (u.path("processes").asInt() > 1 ? " (" + u.path("processes").asText() + " procs)" : "");
    }

    /** What limited the stack in one window: a saturated CPU (and who used it), or not the CPU. */
    static String limit(JsonNode w, String when) {
        if (w.isMissingNode() || !w.path("machine").has("busyCores")) {
            return "";
        }
        JsonNode m = w.path("machine");
        double busy = m.path("busyCores").asDouble();
        int cores = m.path("cores").asInt();
        Map<String, Double> users = new LinkedHashMap<>();
        w.path("components").fields().forEachRemaining(e -> users.put(e.getKey(), e.getValue().path("cpuCores").asDouble()));
        users.put("the harness", w.path("harness").path("cpuCores").asDouble());
        if (m.has("otherProcessesCores")) {
            users.put("other processes on the machine", m.path("otherProcessesCores").asDouble());
        }
        String top = users.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + fmt(e.getValue())).reduce((a, b) -> a + ", " + b).orElse("");
        String pct = fmt(m.path("busyPct").asDouble());
        String who = w.has("components") ? "" : " (stack components not sampled: " + w.path("notSampled").asText() + ")";
        double other = m.path("otherProcessesCores").asDouble(0);
        String contention = other >= busy / 2 ? " Other processes on the machine used most of that CPU: this step measured the "
                + "contention for a shared machine more than the stack's own limit; repeat it on a quiet machine." : "";
        if (m.path("busyPct").asDouble() >= SATURATED_PCT) {
            return when + " the machine's CPU was saturated first: " + fmt(busy) + " of " + cores + " cores busy (" + pct
                    + " %); cores used by " + top + "." + who + contention;
        }
        return when + " the CPU was not saturated (" + fmt(busy) + " of " + cores + " cores busy, " + pct
                + " %): the limit lies in the stack's own latency (workers, database, store), not in CPU; cores used by " + top + "." + who;
    }
}
