package org.mlflowharness.upgrade;

import static org.mlflowharness.upgrade.MarkdownRows.row;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mlflowharness.load.Volume;
import org.mlflowharness.load.VolumeFill;
import org.mlflowharness.report.ReportSection;

/**
 * The {@code seed} section of the report: the shape asked for, what the fill found and added (runs, metric points,
 * requests, time, rate), the store's rows per table afterwards, and the dump when {@code --dump-to} asked for one: its
 * file, size and time, and its rows per table read back from the file against the database's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class SeedReport implements ReportSection {

    public String shape;
    public Integer runsWanted;
    public Long pointsWanted;
    public String method;
    public VolumeFill.Outcome fill;
    public String registry;
    public Map<String, Long> rowsPerTable;
    public String dump;
    public Long dumpBytes;
    public Double dumpSeconds;
    public String dumpRevision;
    public String dumpTool;
    public List<String> dumpRowsDiffer;
    public String next;

    public SeedReport(Volume volume, int runs) {
        shape = volume.fillId() + " (" + volume.runsPerExperiment() + " runs per experiment, " + volume.params()
                + " params, " + volume.tags() + " tags, " + volume.metricKeys() + " metric keys x "
                + volume.stepsPerKey() + " steps per run)";
        runsWanted = runs;
        pointsWanted = runs * volume.pointsPerRun();
        method = "runs/create with the tags, then runs/log-batch of up to 1000 entities (MLflow's maximum; at most 100"
                + " params) by " + volume.writers() + " parallel writers, through nginx; experiments already complete"
                + " in the store are reused";
    }

    /** Compares the rows per table the dump file carries with the database's; differences go into the report. */
    public void dumped(DumpFile file, double seconds) {
        dump = file.path().toAbsolutePath().toString();
        dumpBytes = file.bytes();
        dumpSeconds = seconds;
        dumpRevision = file.revision();
        dumpTool = file.header();
        dumpRowsDiffer = new ArrayList<>();
        if (rowsPerTable != null) {
            rowsPerTable.forEach((table, rows) -> {
                long inDump = file.tables().getOrDefault(table, -1L);
                if (!Objects.equals(inDump, rows)) {
                    dumpRowsDiffer.add(table + ": database " + rows + " rows, dump "
                            + (inDump < 0 ? "no such table" : inDump + " rows"));
                }
            });
        }
    }

    @Override
    public String failure() {
        List<String> reasons = new ArrayList<>();
        if (fill != null && fill.cut() != null) {
            reasons.add(fill.cut() + " (raise maxMinutes in --shape)");
        }
        if (dumpRowsDiffer != null && !dumpRowsDiffer.isEmpty()) {
            reasons.add("the dump does not hold the database's rows: " + String.join("; ", dumpRowsDiffer));
        }
        return reasons.isEmpty() ? null : "seed: " + String.join("; ", reasons);
    }

    @Override
    public String markdown() {
        StringBuilder md = new StringBuilder("## Seed\n\n| | |\n|---|---|\n");
        row(md, "shape", shape);
        row(md, "asked for", runsWanted + " runs, " + pointsWanted + " metric points");
        row(md, "method", method);
        if (fill != null) {
            row(
                    md,
                    "fill",
                    String.format(
                            "%d runs, %d points in the store (%d runs reused); added %d runs, %d points in %d requests"
                                    + " in %.1f s: %.0f points/s",
                            fill.runsPresent(),
                            fill.pointsPresent(),
                            fill.runsReused(),
                            fill.runsAdded(),
                            fill.pointsAdded(),
                            fill.requests(),
                            fill.seconds(),
                            fill.pointsPerSecond()));
            row(md, "cut", fill.cut());
            row(md, "model registry", registry);
        }
        row(
                md,
                "dump",
                dump == null
                        ? null
                        : dump + " (" + dumpBytes + " bytes in " + dumpSeconds + " s; " + dumpTool
                                + "; alembic_version " + dumpRevision + ")");
        if (dumpRowsDiffer != null) {
            row(
                    md,
                    "dump rows vs database",
                    dumpRowsDiffer.isEmpty() ? "equal for every table" : String.join("; ", dumpRowsDiffer));
        }
        row(md, "next", next);
        md.append('\n');
        if (rowsPerTable != null) {
            MarkdownRows.rowsPerTable(md, rowsPerTable);
        }
        return md.toString();
    }
}
