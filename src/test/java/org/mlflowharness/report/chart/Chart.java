package org.mlflowharness.report.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * One chart of a report, independent of the library that draws it ({@link Charts} maps it onto ECharts for HTML and
 * JFreeChart for PNG): categories on the x axis (load steps, upload sizes), one value axis, bar or line series,
 * horizontal threshold lines (SLOs, the machine's cores) and at most one marked category (the knee: the first step
 * that broke the SLO). Built fluently: {@code Chart.of("id", "title", "x", "y", categories).line("p95", values)...}.
 *
 * @param stacked bars of the series are stacked (parts of a whole, e.g. CPU by process)
 * @param mark    index of the marked category, or -1
 */
public record Chart(String id, String title, String xLabel, String yLabel, List<String> categories, List<Series> series,
                    List<Threshold> thresholds, boolean stacked, int mark, String markLabel) {

    /** How a series is drawn. */
    public enum Kind { BAR, LINE }

    /** One series; a null value is a category where it has no figure (not run, failed). */
    public record Series(String name, Kind kind, List<Double> values) {
    }

    /** A horizontal line across the chart at {@code value}, e.g. "p95 SLO 500 ms". */
    public record Threshold(String label, double value) {
    }

    public static Chart of(String id, String title, String xLabel, String yLabel, List<String> categories) {
        return new Chart(id, title, xLabel, yLabel, List.copyOf(categories), List.of(), List.of(), false, -1, null);
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
        return new Chart(id, title, xLabel, yLabel, categories, series, t, stacked, mark, markLabel);
    }

    public Chart stackBars() {
        return new Chart(id, title, xLabel, yLabel, categories, series, thresholds, true, mark, markLabel);
    }

    /** Marks category {@code index} (nothing when it is negative). */
    public Chart mark(int index, String label) {
        return new Chart(id, title, xLabel, yLabel, categories, series, thresholds, stacked, index, label);
    }

    /** True when at least one series has a figure: charts without data are not drawn. */
    public boolean hasData() {
        return series.stream().anyMatch(s -> s.values().stream().anyMatch(v -> v != null));
    }

    private Chart with(Series s) {
        if (s.values().size() != categories.size()) {
            throw new IllegalArgumentException("series " + s.name() + " has " + s.values().size() + " values for "
                    + categories.size() + " categories " + categories);
        }
        List<Series> all = new ArrayList<>(series);
        all.add(new Series(s.name(), s.kind(), java.util.Collections.unmodifiableList(new ArrayList<>(s.values()))));
        return new Chart(id, title, xLabel, yLabel, categories, all, thresholds, stacked, mark, markLabel);
    }
}
