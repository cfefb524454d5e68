package org.mlflowharness.upgrade;

import java.util.Map;

/** The key/value and rows-per-table tables of the upgrade and seed reports' Markdown. */
final class MarkdownRows {

    private MarkdownRows() {}

    /** {@code | what | value |}, the value's pipes escaped; nothing when the value is null. */
    static void row(StringBuilder md, String what, String value) {
        if (value != null) {
            md.append("| ")
                    .append(what)
                    .append(" | ")
                    .append(value.replace("|", "\\|"))
                    .append(" |\n");
        }
    }

    /** A {@code | table | rows |} table with a blank line after it. */
    static void rowsPerTable(StringBuilder md, Map<String, ?> rows) {
        md.append("| table | rows |\n|---|---|\n");
        rows.forEach((t, n) -> md.append("| ").append(t).append(" | ").append(n).append(" |\n"));
        md.append('\n');
    }
}
