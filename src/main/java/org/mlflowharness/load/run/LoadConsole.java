package org.mlflowharness.load.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflowharness.load.ResourceSampler;

/** The load stage's console lines: an upload size, a first failure, a window's resource use, each in a few words. */
final class LoadConsole {

    private LoadConsole() {
    }

    /** One size's uploads in a few words: how many succeeded, aggregate and per-upload MB/s, how the others ended. */
    static String describeSize(Object bySize) {
        if (!(bySize instanceof Map<?, ?> m)) {
            return "no transfer";
        }
        StringBuilder b = new StringBuilder(m.get("ok") + "/" + m.get("transfers") + " ok");
        if (m.get("aggregateMBps") != null) {
            Map<?, ?> per = (Map<?, ?>) m.get("perTransferMBps");
            b.append(", ").append(m.get("aggregateMBps")).append(" MB/s aggregate (per upload ").append(per.get("min")).append(" to ")
                    .append(per.get("max")).append(" MB/s)");
        }
        Map<?, ?> outcomes = (Map<?, ?>) m.get("outcomes");
        outcomes.forEach((outcome, n) -> {
            if (!"ok".equals(outcome)) {
                b.append(", ").append(outcome).append(" x").append(n);
            }
        });
        return b.toString();
    }

    /** A destination's first failing size in a few words, or "none". */
    static String describeFailure(Object firstFailure) {
        if (!(firstFailure instanceof Map<?, ?> f)) {
            return String.valueOf(firstFailure);
        }
        StringBuilder b = new StringBuilder(f.get("size") + " failed (");
        ((Map<?, ?>) f.get("outcomes")).forEach((outcome, n) -> b.append(outcome).append(" x").append(n).append(", "));
        b.append("after ").append(f.get("afterSeconds")).append(" s");
        if (f.get("example") != null) {
            String e = String.valueOf(f.get("example"));
            b.append(": ").append(e.length() > 120 ? e.substring(0, 120) + "..." : e);
        }
        return b.append(')').toString();
    }

    /** One console line of a window's resource use: the machine's busy cores, then each component, the harness, the rest. */
    static String describeUsage(Map<String, Object> usage) {
        List<String> parts = new ArrayList<>();
        if (usage.get("components") instanceof Map<?, ?> components) {
            components.forEach((name, u) -> parts.add(name + " " + ((Map<?, ?>) u).get("cpuCores")));
        }
        parts.add(ResourceSampler.HARNESS + " " + ((Map<?, ?>) usage.get(ResourceSampler.HARNESS)).get("cpuCores"));
        Map<?, ?> machine = (Map<?, ?>) usage.get("machine");
        if (machine.containsKey("otherProcessesCores")) {
            parts.add("other processes " + machine.get("otherProcessesCores"));
        }
        return "CPU cores used: " + (machine.containsKey("busyCores") ? "machine " + machine.get("busyCores") + " of "
                + machine.get("cores") + " busy: " : "") + String.join(", ", parts);
    }
}
