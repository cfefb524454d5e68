package org.mlflowharness.upgrade;

import static org.mlflowharness.upgrade.MarkdownRows.row;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflowharness.report.Failure;
import org.mlflowharness.report.ReportSection;

/**
 * The {@code upgrade} section of the report: what was upgraded to what, the schema revisions, the migration (time,
 * command, log), the backup, the manifest's counts, the schema check against a fresh install and each verification (after the upgrade, after the rollback) with
 * every lost or changed item. Filled as the stages run, so an interrupted rehearsal still reports how far it got.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RehearsalReport implements ReportSection {

    public String from;
    public String to;
    public String fault;
    public DataSource source;
    public Map<String, Integer> manifest;
    public Integer manifestItems;
    public List<String> skipped;
    public String schemaRevisionFrom;
    public String schemaRevisionAfterUpgrade;
    public String expectedHeadOfTo;
    public String schemaRevisionAfterRollback;
    public String backup;
    public Double backupSeconds;
    public String migrationCommand;
    public Double migrationSeconds;
    public String migrationLog;
    public List<String> migrationLogTail;
    /** Conditions, per-migration times, interruption, failure diagnosis, time against row counts. */
    public final MigrationFindings migration = new MigrationFindings();

    public SchemaCheck schemaCheck;
    public final List<Verification> verifications = new ArrayList<>();

    /** Lost or changed items, a schema at the wrong revision or missing what a fresh install has: data integrity. */
    @Override
    public Failure.Kind failureKind() {
        return Failure.Kind.INTEGRITY;
    }

    /** Why the rehearsal failed so far (schema revision, schema check, lost or changed items), or null. */
    @Override
    public String failure() {
        List<String> reasons = new ArrayList<>();
        if (schemaRevisionAfterUpgrade != null
                && expectedHeadOfTo != null
                && !schemaRevisionAfterUpgrade.equals(expectedHeadOfTo)) {
            reasons.add("schema after the upgrade is at " + schemaRevisionAfterUpgrade + ", not at " + to + "'s head "
                    + expectedHeadOfTo);
        }
        if (schemaRevisionAfterRollback != null
                && schemaRevisionFrom != null
                && !schemaRevisionAfterRollback.equals(schemaRevisionFrom)) {
            reasons.add("schema after the rollback is at " + schemaRevisionAfterRollback + ", not back at "
                    + schemaRevisionFrom);
        }
        if (source != null && source.artifactsNotReadBackEqual != null && !source.artifactsNotReadBackEqual.isEmpty()) {
            reasons.add("loading --from-artifacts: " + source.artifactsNotReadBackEqual.size()
                    + " object(s) did not read back equal to their file: " + source.artifactsNotReadBackEqual.get(0));
        }
        if (schemaCheck != null && schemaCheck.failure() != null) {
            reasons.add(schemaCheck.failure());
        }
        verifications.stream().filter(v -> !v.passed()).forEach(v -> reasons.add(v.failure()));
        return reasons.isEmpty() ? null : "upgrade rehearsal: " + String.join("; ", reasons);
    }

    @Override
    public String markdown() {
        StringBuilder md = new StringBuilder("## Upgrade rehearsal: ")
                .append(from)
                .append(" -> ")
                .append(to)
                .append("\n\n");
        if (fault != null) {
            md.append("DELIBERATE FAULT after the migration: ").append(fault).append("\n\n");
        }
        if (source != null) {
            md.append(source.markdown());
        }
        md.append("| step | result |\n|---|---|\n");
        row(md, "schema revision FROM", schemaRevisionFrom);
        row(md, "schema revision after the upgrade", schemaRevisionAfterUpgrade);
        row(md, "head revision of TO", expectedHeadOfTo);
        row(md, "schema revision after the rollback", schemaRevisionAfterRollback);
        row(
                md,
                "backup",
                backup == null ? null : backup + (backupSeconds == null ? "" : " in " + backupSeconds + " s"));
        row(
                md,
                "migration",
                migrationCommand == null
                        ? null
                        : "`" + migrationCommand + "`"
                                + (migrationSeconds == null ? " (did not complete)" : " in " + migrationSeconds + " s")
                                + "; log " + migrationLog);
        row(md, "manifest", manifestItems == null ? null : manifestItems + " items " + manifest);
        md.append('\n');
        md.append(migration.markdown());
        if (skipped != null && !skipped.isEmpty()) {
            md.append("Not in the manifest:\n\n");
            skipped.forEach(s -> md.append("- ").append(s.replace("|", "\\|")).append("\n"));
            md.append("\n");
        }
        if (schemaCheck != null) {
            md.append(schemaCheck.markdown());
        }
        for (Verification v : verifications) {
            md.append("### Verified ")
                    .append(v.phase())
                    .append(": ")
                    .append(v.verified())
                    .append(" of ")
                    .append(v.items())
                    .append(" verified, ")
                    .append(v.lost().size())
                    .append(" lost, ")
                    .append(v.changed().size())
                    .append(" changed\n\n");
            md.append("| kind | verified | lost | changed |\n|---|---|---|---|\n");
            v.counts()
                    .forEach((kind, c) -> md.append("| ")
                            .append(kind)
                            .append(" | ")
                            .append(c.getOrDefault("verified", 0))
                            .append(" | ")
                            .append(c.getOrDefault("lost", 0))
                            .append(" | ")
                            .append(c.getOrDefault("changed", 0))
                            .append(" |\n"));
            v.lost().forEach(o -> md.append("\n- LOST ").append(o.oneLine().replace("|", "\\|")));
            v.changed()
                    .forEach(o -> md.append("\n- CHANGED ").append(o.oneLine().replace("|", "\\|")));
            md.append("\n\n");
        }
        return md.toString();
    }
}
