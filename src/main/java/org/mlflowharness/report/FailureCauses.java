package org.mlflowharness.report;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Classes a suite's failures by the layer their messages name, not only by the suite's tag: a SecuritySuite test that
 * failed because MLflow's database user may not INSERT is a database failure (data integrity), not a security hole.
 * And when one cause explains failures across the run (MLflow's Host check refusing what nginx forwarded), the reason
 * names that cause first, before the suites it broke.
 */
final class FailureCauses {

    /** A cause a failure message can name, how it reads in messages, and the class of a failure it explains. */
    enum Cause {
        DATABASE_PRIVILEGE(
                "database privilege",
                Failure.Kind.INTEGRITY,
                "command denied to user",
                "access denied for user",
                "(1142,",
                "(1143,",
                "(1044,",
                "read-only transaction",
                "read only transaction"),
        DATABASE_NARROWING(
                "database narrowing",
                Failure.Kind.INTEGRITY,
                "the database narrows",
                "data truncated",
                "out of range value",
                "(1264,",
                "(1265,",
                "data too long"),
        HOST_CHECK(
                "MLflow's Host check refused the Host nginx forwarded (403 \"Invalid Host header\"; MLflow --allowed-hosts): "
                        + "nginx must forward the client's Host (compose/nginx/proxy-headers.conf in every location) or MLflow must allow it",
                null,
                "invalid host header",
                "mlflow's host check",
                "mlflow host check");

        final String label;
        /** The class of a failure this cause explains; null: it keeps its suite's class. */
        final Failure.Kind kind;

        private final List<String> marks;

        Cause(String label, Failure.Kind kind, String... marks) {
            this.label = label;
            this.kind = kind;
            this.marks = List.of(marks);
        }

        boolean namedIn(String message) {
            String lower = String.valueOf(message).toLowerCase(Locale.ROOT);
            return marks.stream().anyMatch(lower::contains);
        }
    }

    private FailureCauses() {}

    /**
     * The failure line of a suite with failed tests: of the class its tag says, unless every failure message names the
     * same database cause, which makes it data integrity with that cause named (a real security failure among them
     * keeps the suite's class).
     */
    static Failure ofSuite(SuiteResult s) {
        String first = s.failures().isEmpty() ? "" : s.failures().get(0).reason();
        String text = s.suite() + " [" + s.tag() + "]: " + s.failed() + " test(s) failed"
                + (first.isEmpty()
                        ? ""
                        : ", first: " + (first.length() > 240 ? first.substring(0, 240) + "..." : first));
        Optional<Cause> database = layerCauses()
                .filter(c -> !s.failures().isEmpty() && s.failures().stream().allMatch(p -> c.namedIn(p.reason())))
                .findFirst();
        return database.map(c -> new Failure(c.kind, "database (" + c.label + "): " + text))
                .orElseGet(() -> new Failure(Failure.Kind.ofSuite(s.tag()), text));
    }

    /**
     * The class of one failed check of a suite tagged {@code tag}: the class of the database cause its message names,
     * else the class its suite's tag says (the JUnit XML's per-check form of {@link #ofSuite}).
     */
    static Failure.Kind ofCheck(String tag, String reason) {
        return layerCauses()
                .filter(c -> c.namedIn(reason))
                .map(c -> c.kind)
                .findFirst()
                .orElseGet(() -> Failure.Kind.ofSuite(tag));
    }

    /** The causes that make a failure of their own class (the database's), not those that keep the suite's. */
    private static Stream<Cause> layerCauses() {
        return Arrays.stream(Cause.values()).filter(c -> c.kind != null);
    }

    /**
     * The cause shared by failed tests of the run, when one cause (MLflow's Host check) explains at least two of them:
     * a failure of class {@link Failure.Kind#CAUSE} naming it, how many tests it explains and in which suites.
     */
    static Optional<Failure> shared(List<SuiteResult> suites) {
        for (Cause c : Cause.values()) {
            if (c.kind != null) {
                continue;
            }
            List<SuiteResult> hit = suites.stream()
                    .filter(s -> s.failures().stream().anyMatch(p -> c.namedIn(p.reason())))
                    .toList();
            long tests = hit.stream()
                    .mapToLong(s -> s.failures().stream()
                            .filter(p -> c.namedIn(p.reason()))
                            .count())
                    .sum();
            if (tests >= 2) {
                return Optional.of(new Failure(
                        Failure.Kind.CAUSE,
                        c.label + ": explains " + tests + " failed test(s) in "
                                + String.join(
                                        ", ",
                                        hit.stream().map(SuiteResult::suite).toList())));
            }
        }
        return Optional.empty();
    }
}
