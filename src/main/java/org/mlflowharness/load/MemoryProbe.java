package org.mlflowharness.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The harness JVM's own resident memory from /proc/self/status (Linux); -1 elsewhere. */
public final class MemoryProbe {

    private MemoryProbe() {}

    /** Peak resident set size (VmHWM) in MiB. */
    public static double peakRssMiB() {
        return field("VmHWM");
    }

    /** Resets VmHWM to the current RSS (writes 5 to /proc/self/clear_refs) so the next peak is per scenario. */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static double parse(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                return Long.parseLong(parts[0]) / 1024.0;
            }
        }
        return -1;
    }

    private static double field(String name) {
        try {
            return Math.round(parse(Files.readString(Path.of("/proc/self/status")), name) * 10) / 10.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
