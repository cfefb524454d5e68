package org.mlflowharness.report.chart;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One chart of a report, independent of the library that draws it ({@link Charts} maps it onto ECharts for HTML and
 * JFreeChart for PNG): categories on the x axis (load steps, upload sizes, seconds), one value axis, bar or line series,
 * horizontal threshold lines (SLOs, the machine's cores) and marked categories as vertical lines (the knee: the first
 * step that broke the SLO; a fault's start, ready and serving-again moments). Built fluently:
 * {@code Chart.of("id", "title", "x", "y", categories).line("p95", values)...}.
 *
 * @param stacked bars of the series are stacked (parts of a whole, e.g. CPU by process)
 * @param marks   marked categories, in category order, at most one per category
 */
public record Chart(
        String id,
        String title,
        String xLabel,
        String yLabel,
        List<String> categories,
        List<Series> series,
        List<Threshold> thresholds,
        boolean stacked,
        List<Mark> marks) {

    /** How a series is drawn. */
    public enum Kind {
        BAR,
        LINE
    }

    /** One series; a null value is a category where it has no figure (not run, failed). */
    public record Series(String name, Kind kind, List<Double> values) {}

    /** A horizontal line across the chart at {@code value}, e.g. "p95 SLO 500 ms". */
    public record Threshold(String label, double value) {}

    /** A vertical line at category {@code index}, e.g. "knee: SLO broken" or "ready +6.2 s". */
    public record Mark(int index, String label) {}

    public static Chart of(String id, String title, String xLabel, String yLabel, List<String> categories) {
        return new Chart(id, title, xLabel, yLabel, List.copyOf(categories), List.of(), List.of(), false, List.of());
    }

    public Chart bar(String name, List<Double> values) {
        return with(new Series(name, Kind.BAR, values));
    }

    public Chart line(String name, List<Double> values) {
        return with(new Series(name, Kind.LINE, values));
    }

    /** A threshold line, when {@code value} is not null. */
    public Chart threshold(String label, Number value) {
        if (value == null) {
            return this;
        }
        List<Threshold> t = new ArrayList<>(thresholds);
        t.add(new Threshold(label, value.doubleValue()));
        return new Chart(id, title, xLabel, yLabel, categories, series, t, stacked, marks);
    }

    public Chart stackBars() {
        return new Chart(id, title, xLabel, yLabel, categories, series, thresholds, true, marks);
    }

    /**
     * Marks category {@code index} (nothing when it is negative); a second mark on the same category joins its label
     * to the first ("outage ends +3 s, ready +3.4 s"), so labels never sit on top of each other.
     */
    public Chart mark(int index, String label) {
        if (index < 0) {
            return this;
        }
        if (index >= categories.size()) {
            throw new IllegalArgumentException("mark " + label + " at category " + index + " of " + categories.size());
        }
        List<Mark> all = new ArrayList<>(marks);
        all.stream()
                .filter(m -> m.index() == index)
                .findFirst()
                .ifPresentOrElse(
                        m -> all.set(all.indexOf(m), new Mark(index, m.label() + ", " + label)),
                        () -> all.add(new Mark(index, label)));
        all.sort(Comparator.comparingInt(Mark::index));
        return new Chart(id, title, xLabel, yLabel, categories, series, thresholds, stacked, List.copyOf(all));
    }

    /** True when at least one series has a figure: charts without data are not drawn. */
    public boolean hasData() {
        return series.stream().anyMatch(s -> s.values().stream().anyMatch(v -> v != null));
    }

    private Chart with(Series s) {
        if (s.values().size() != categories.size()) {
            throw new IllegalArgumentException("series " + s.name() + " has "
                    + s.values().size() + " values for " + categories.size() + " categories " + categories);
        }
        List<Series> all = new ArrayList<>(series);
        all.add(new Series(s.name(), s.kind(), java.util.Collections.unmodifiableList(new ArrayList<>(s.values()))));
        return new Chart(id, title, xLabel, yLabel, categories, all, thresholds, stacked, marks);
    }
}
