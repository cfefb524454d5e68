package org.mlflowharness.report;

/**
 * A command's own part of the run report (the upgrade rehearsal, the comparison): serialized into summary.json under
 * {@code sections.<name>} as its record components, rendered into summary.md by {@link #markdown()} and, when it has
 * tables worth a page of their own, into {@code <name>.html} by {@link #html()}. The verdict stays the run's.
 */
public interface ReportSection {

    /** The section in summary.md, starting with a {@code ## } heading. */
    String markdown();

    /** Why this section fails the run (lost items, a regression), or null when it does not. */
    default String failure() {
        return null;
    }

    /**
     * Why this section could not reach a verdict (a comparison whose metrics were measured on a busy machine), or null:
     * without a failure, the run is then INCONCLUSIVE (exit 3), never passed.
     */
    default String inconclusive() {
        return null;
    }

    /** The class of its failure, for the order of the verdict's reason ({@link Failure.Kind}). */
    default Failure.Kind failureKind() {
        return Failure.Kind.FUNCTIONAL;
    }

    /** A standalone HTML page of this section, or null when it has none. */
    default String html() {
        return null;
    }
}
