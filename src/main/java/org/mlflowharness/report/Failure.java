package org.mlflowharness.report;

import java.util.Arrays;

/**
 * One failed check (or a component that went down), with its class: the verdict's reason lists them most serious
 * class first, so that the first line names what matters most (a security hole before a slow p95).
 *
 * @param text where and what, e.g. "SecuritySuite [security]: 7 test(s) failed, first: ..."
 */
public record Failure(Kind kind, String text) {

    /** The classes, most serious first. */
    public enum Kind {
        /** A component of the stack died or stopped answering: it explains every failure after it. */
        STACK_DOWN("stack down"),
        /** One cause that explains failed checks across the run (MLflow's Host check): named before what it broke. */
        CAUSE("cause"),
        SECURITY("security"),
        INTEGRITY("data integrity"),
        FUNCTIONAL("functional"),
        PERFORMANCE("performance"),
        /**
         * Not a failed check: one that could not decide (an SLO breach or a time budget used up while other processes
         * kept the machine busy, a comparison metric measured on a busy machine). Alone, it makes the run INCONCLUSIVE.
         */
        INCONCLUSIVE("inconclusive");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /**
         * The class of a suite's failures by its tag(s) (comma-separated): auth and security are security; artifacts
         * (bytes stored as sent) and database (rows equal to the API's answers) are data integrity; the rest functional.
         */
        public static Kind ofSuite(String tags) {
            return Arrays.stream(tags.split(","))
                    .map(String::strip)
                    .map(t -> switch (t) {
                        case "auth", "security" -> SECURITY;
                        case "artifacts", "database" -> INTEGRITY;
                        default -> FUNCTIONAL;
                    })
                    .min(Enum::compareTo)
                    .orElse(FUNCTIONAL);
        }
    }

    /** The line in the verdict's reason: {@code security: SecuritySuite [security]: 7 test(s) failed, first: ...}. */
    public String line() {
        return kind.label() + ": " + text;
    }
}
