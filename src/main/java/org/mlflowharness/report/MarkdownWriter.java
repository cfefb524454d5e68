package org.mlflowharness.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mlflowharness.report.chart.Charts;

/** Renders a {@link Document} as Markdown: charts as PNG files (JFreeChart) in a folder beside the .md file. */
public final class MarkdownWriter {

    static final int PNG_WIDTH = 1000;
    static final int PNG_HEIGHT = 460;

    private MarkdownWriter() {}

    /** Writes {@code doc} to {@code file}, its charts to {@code <file name>-charts/<id>.png}; returns the file. */
    public static Path write(Document doc, Path file) {
        String stem = file.getFileName().toString().replaceFirst("\\.md$", "");
        Path charts = file.resolveSibling(stem + "-charts");
        try {
            if (!doc.charts().isEmpty()) {
                Files.createDirectories(charts);
            }
            doc.charts().forEach(c -> Charts.png(c, charts.resolve(c.id() + ".png"), PNG_WIDTH, PNG_HEIGHT));
            Files.writeString(file, "# " + doc.title() + "\n\n" + body(doc, stem + "-charts/"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The blocks as Markdown; charts as images under {@code chartDir}, or left out when it is null. */
    public static String body(Document doc, String chartDir) {
        StringBuilder md = new StringBuilder();
        for (Document.Block b : doc.blocks()) {
            if (b instanceof Document.Heading h) {
                md.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (b instanceof Document.Paragraph p) {
                md.append(p.text()).append("\n\n");
            } else if (b instanceof Document.Bullets l) {
                l.items().forEach(i -> md.append("- ").append(i).append('\n'));
                md.append('\n');
            } else if (b instanceof Document.Table t) {
                md.append(row(t.header()))
                        .append(row(t.header().stream().map(x -> "---").toList()));
                t.rows().forEach(r -> md.append(row(r)));
                md.append('\n');
            } else if (b instanceof Document.Figure f && chartDir != null) {
                md.append("![")
                        .append(f.chart().title())
                        .append("](")
                        .append(chartDir)
                        .append(f.chart().id())
                        .append(".png)\n\n");
            }
        }
        return md.toString();
    }

    private static String row(List<String> cells) {
        return "| "
                + String.join(
                        " | ",
                        cells.stream()
                                .map(c -> c == null ? "" : c.replace("|", "\\|").replace("\n", " "))
                                .toList())
                + " |\n";
    }
}
