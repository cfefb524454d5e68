package org.mlflowharness.report;

import java.util.ArrayList;
import java.util.List;
import org.mlflowharness.report.chart.Chart;

/**
 * A report's content independent of its format: headings, paragraphs in plain words, bullet lists, tables and charts,
 * in order. One builder fills it from the run data ({@link CapacityReport}); one writer per format renders it
 * ({@link MarkdownWriter}, {@link HtmlWriter}).
 */
public final class Document {

    /** One piece of content. */
    public sealed interface Block permits Heading, Paragraph, Bullets, Table, Figure {}

    public record Heading(int level, String text) implements Block {}

    public record Paragraph(String text) implements Block {}

    public record Bullets(List<String> items) implements Block {}

    /** A table; cells are plain text. */
    public record Table(List<String> header, List<List<String>> rows) implements Block {}

    public record Figure(Chart chart) implements Block {}

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    public Document(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    public Document heading(int level, String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    public Document paragraph(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    public Document bullets(List<String> items) {
        if (!items.isEmpty()) {
            blocks.add(new Bullets(List.copyOf(items)));
        }
        return this;
    }

    public Document table(List<String> header, List<List<String>> rows) {
        if (!rows.isEmpty()) {
            blocks.add(new Table(
                    List.copyOf(header), rows.stream().map(List::copyOf).toList()));
        }
        return this;
    }

    /** A chart, when it has data (a chart with nothing to draw says nothing). */
    public Document chart(Chart chart) {
        if (chart.hasData()) {
            blocks.add(new Figure(chart));
        }
        return this;
    }

    /** Appends {@code other}'s blocks (its title is not repeated). */
    public Document append(Document other) {
        blocks.addAll(other.blocks);
        return this;
    }

    /** The charts, in order. */
    public List<Chart> charts() {
        return blocks.stream()
                .filter(Figure.class::isInstance)
                .map(b -> ((Figure) b).chart())
                .toList();
    }
}
