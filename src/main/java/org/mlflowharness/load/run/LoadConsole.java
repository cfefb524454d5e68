package org.mlflowharness.load.run;

import java.util.ArrayList;
import java.util.List;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.UploadResult.FirstFailure;
import org.mlflowharness.model.load.UploadResult.SizeResult;

/** The load stage's console lines: an upload size, a first failure, a window's resource use, each in a few words. */
final class LoadConsole {

    private LoadConsole() {}

    /** One size's uploads in a few words: how many succeeded, aggregate and per-upload MB/s, how the others ended. */
    static String describeSize(SizeResult size) {
        if (size == null) {
            return "no transfer";
        }
        StringBuilder b = new StringBuilder(size.ok() + "/" + size.transfers() + " ok");
        if (size.aggregateMBps() != null) {
            b.append(", ")
                    .append(size.aggregateMBps())
                    .append(" MB/s aggregate (per upload ")
                    .append(size.perTransferMBps().min())
                    .append(" to ")
                    .append(size.perTransferMBps().max())
                    .append(" MB/s)");
        }
        size.outcomes().forEach((outcome, n) -> {
            if (!"ok".equals(outcome)) {
                b.append(", ").append(outcome).append(" x").append(n);
            }
        });
        return b.toString();
    }

    /** A destination's first failing size in a few words, or "none". */
    static String describeFailure(FirstFailure f) {
        if (f == null) {
            return "none";
        }
        StringBuilder b = new StringBuilder(f.size() + " failed (");
        f.outcomes()
                .forEach(
                        (outcome, n) -> b.append(outcome).append(" x").append(n).append(", "));
        b.append("after ").append(f.afterSeconds()).append(" s");
        if (f.example() != null) {
            String e = f.example();
            b.append(": ").append(e.length() > 120 ? e.substring(0, 120) + "..." : e);
        }
        return b.append(')').toString();
    }

    /** One console line of a window's resource use: the machine's busy cores, then each component, the harness, the rest. */
    static String describeUsage(ResourceWindow usage) {
        List<String> parts = new ArrayList<>();
        if (usage.components() != null) {
            usage.components().forEach((name, u) -> parts.add(name + " " + u.cpuCores()));
        }
        parts.add("harness " + usage.harness().cpuCores());
        ResourceWindow.Machine machine = usage.machine();
        if (machine.otherProcessesCores() != null) {
            parts.add("other processes " + machine.otherProcessesCores());
        }
        String waited = machine.stackCpuWaitPct() == null
                ? ""
                : "; waited for a CPU: stack " + Math.round(machine.stackCpuWaitPct()) + " %"
                        + (machine.harnessCpuWaitPct() == null
                                ? ""
                                : ", harness " + Math.round(machine.harnessCpuWaitPct()) + " %")
                        + (machine.outsideWaitPct() == null
                                ? ""
                                : ", of it for other processes about " + Math.round(machine.outsideWaitPct()) + " %");
        return "CPU cores used: "
                + (machine.busyCores() != null
                        ? "machine " + machine.busyCores() + " of " + machine.cores() + " busy: "
                        : "")
                + String.join(", ", parts)
                + waited
                + (usage.peaks() == null
                        ? ""
                        : "; peaks: "
                                + String.join(
                                        ", ",
                                        usage.peaks().entrySet().stream()
                                                .map(e -> e.getKey() + " " + e.getValue())
                                                .toList()));
    }
}
