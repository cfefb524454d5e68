package org.mlflowharness.upgrade;

import java.util.List;
import java.util.Map;
import org.mlflowharness.upgrade.SchemaDiff.Difference;

/**
 * The upgrade's schema check in the report: how the fresh install was made and how long it took, how many objects of
 * each kind the two schemas were compared on, and every difference ({@link SchemaDiff}).
 */
public record SchemaCheck(
        String freshInstall, Double freshInstallSeconds, Map<String, Integer> compared, List<Difference> differences) {

    /** The differences that fail the rehearsal: missing tables, columns, indexes, foreign keys not marked expected. */
    public List<Difference> failing() {
        return differences.stream().filter(Difference::fails).toList();
    }

    /** Why the check failed, naming every failing difference; null when none fails. */
    public String failure() {
        List<Difference> failing = failing();
        return failing.isEmpty()
                ? null
                : "schema check: the upgraded schema differs from a fresh install: "
                        + String.join(
                                "; ", failing.stream().map(Difference::oneLine).toList());
    }

    /** The check as a Markdown section: what was compared, then every difference. */
    String markdown() {
        StringBuilder md = new StringBuilder("### Schema check: the upgraded schema vs a fresh install\n\n")
                .append(freshInstall)
                .append(freshInstallSeconds == null ? "" : " (" + freshInstallSeconds + " s)")
                .append("; compared: ")
                .append(compared)
                .append(". ")
                .append(differences.size())
                .append(" differences, ")
                .append(failing().size())
                .append(" failing.\n\n");
        if (!differences.isEmpty()) {
            md.append("| kind | object | difference | fails |\n|---|---|---|---|\n");
            differences.forEach(d -> md.append("| ")
                    .append(d.kind())
                    .append(" | ")
                    .append(d.object().replace("|", "\\|"))
                    .append(" | ")
                    .append(d.detail().replace("|", "\\|"))
                    .append(
                            d.expected() == null
                                    ? ""
                                    : " (expected: " + d.expected().replace("|", "\\|") + ")")
                    .append(" | ")
                    .append(d.fails() ? "FAILS" : "no")
                    .append(" |\n"));
            md.append('\n');
        }
        return md.toString();
    }
}
