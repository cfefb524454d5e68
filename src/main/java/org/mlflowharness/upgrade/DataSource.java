package org.mlflowharness.upgrade;

import static org.mlflowharness.upgrade.MarkdownRows.row;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Where the rehearsal's data came from, for the report: the harness's own seed, or a user's dump (file, size, the tool
 * that wrote it, the database and schema revision it holds, how FROM's version was chosen, what the restore rewrote,
 * how long it took) with the row counts per table after the restore, the sample of full metric histories, and whether
 * artifact bytes were part of the rehearsal.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class DataSource {

    public String kind;
    public String dump;
    public Long dumpBytes;
    public String dumpTool;
    public String dumpDatabase;
    public String dumpRevision;
    public String fromVersionChosenBy;
    public List<String> restoreRewrites;
    public Double restoreSeconds;
    public Map<String, Long> rowsPerTable;
    public String historySample;
    public String artifacts;
    public List<String> artifactsNotReadBackEqual;

    static DataSource seeded() {
        DataSource s = new DataSource();
        s.kind = "the harness's own seed (a fixed dataset created through the API on the FROM stack)";
        return s;
    }

    static DataSource of(DumpFile dump, String fromVersionChosenBy) {
        DataSource s = new DataSource();
        s.kind = "a dump of a user's MLflow database, restored into the FROM stack";
        s.dump = dump.path().toAbsolutePath().toString();
        s.dumpBytes = dump.bytes();
        s.dumpTool = dump.header() == null ? "(no dump header)" : dump.header();
        s.dumpDatabase = dump.database().orElse(null);
        s.dumpRevision = dump.revision();
        s.fromVersionChosenBy = fromVersionChosenBy;
        return s;
    }

    String markdown() {
        StringBuilder md = new StringBuilder("### Data\n\n").append(kind).append("\n\n");
        if (dump != null) {
            md.append("| | |\n|---|---|\n");
            row(md, "dump", dump + " (" + dumpBytes + " bytes)");
            row(md, "written by", dumpTool);
            row(md, "database in the dump", dumpDatabase);
            row(md, "alembic_version", dumpRevision);
            row(md, "FROM's version", fromVersionChosenBy);
            row(md, "restore", restoreSeconds == null ? "did not complete" : restoreSeconds + " s");
            row(md, "rewritten for the restore", restoreRewrites == null ? null : String.join("; ", restoreRewrites));
            row(md, "metric histories", historySample);
            row(md, "artifacts", artifacts);
            if (artifactsNotReadBackEqual != null && !artifactsNotReadBackEqual.isEmpty()) {
                row(md, "artifacts NOT read back equal", String.join("; ", artifactsNotReadBackEqual));
            }
            md.append('\n');
        }
        if (rowsPerTable != null) {
            md.append("Rows per table after the restore:\n\n");
            MarkdownRows.rowsPerTable(md, rowsPerTable);
        }
        return md.toString();
    }
}
