package org.mlflowharness.load;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The load workloads, by the names profiles and {@code ./harness load <scenario>} use. Unknown names fail fast. */
public enum ScenarioKind {
    METRIC_LOGGING("metric-logging"),
    LARGE_UPLOAD("large-upload"),
    DIRECT_S3("direct-s3"),
    MIXED("mixed"),
    /** Open model: log-batch requests arriving at a stepped rate until the SLO breaks (unsent requests counted). */
    BREAKPOINT("breakpoint"),
    /** Concurrency hazards: many writers into one run with shuffled overlapping keys, then a replay of their batches. */
    SAME_RUN("same-run"),
    /** Reads and logging measured at growing store volumes (the store pre-filled, the fill kept): capacity profiles. */
    DATA_VOLUME("data-volume"),
    /** Faults under load: not part of {@code all}, run by name only. */
    RESILIENCE("resilience");

    private final String id;

    ScenarioKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static String validNames() {
        return Arrays.stream(values()).map(ScenarioKind::id).collect(Collectors.joining(", "));
    }

    /** @throws IllegalArgumentException naming the valid scenarios */
    public static ScenarioKind parse(String name) {
        return Arrays.stream(values())
                .filter(k -> k.id.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown scenario '" + name + "'; valid: " + validNames() + " (or all)"));
    }

    /** {@code all} or one name; the order is the order the runner uses. */
    public static List<ScenarioKind> parseSelection(String arg) {
        return "all".equals(arg) ? List.of(values()) : List.of(parse(arg));
    }
}
