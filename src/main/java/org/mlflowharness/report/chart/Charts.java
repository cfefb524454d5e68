package org.mlflowharness.report.chart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryMarker;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The one adapter between a {@link Chart} and the libraries that draw it: Apache ECharts in the HTML report (the
 * library from its Maven Central webjar, inlined into the page so it opens from disk without a network, rendered as SVG)
 * and JFreeChart for the PNG files beside the Markdown report. Both draw the same series, thresholds and marks.
 */
public final class Charts {

    /** The ECharts build inlined into HTML reports: line and bar charts with mark lines, SVG renderer included. */
    static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.common.min.js";

    static final String ECHARTS_VERSION = "5.3.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Color THRESHOLD = new Color(0xC0, 0x39, 0x2B);
    /** Colours of the marks in order: the first (the knee, a fault's start) orange, then purple, blue, green. */
    private static final List<Color> MARKS = List.of(
            new Color(0xE6, 0x7E, 0x22),
            new Color(0x8E, 0x44, 0xAD),
            new Color(0x29, 0x80, 0xB9),
            new Color(0x27, 0xAE, 0x60));

    private static final Color TRANSPARENT = new Color(0, 0, 0, 0);
    /** Above this many categories, only every n-th is labelled (about 20 labels), the same in HTML and PNG. */
    static final int LABELLED_CATEGORIES = 40;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** The ECharts library's source, to inline into a page. */
    public static String echartsLibrary() {
        try (InputStream in = Charts.class.getResourceAsStream(ECHARTS)) {
            if (in == null) {
                throw new IllegalStateException(
                        "ECharts " + ECHARTS_VERSION + " is not on the class path (org.webjars.npm:echarts)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String echartsVersion() {
        return ECHARTS_VERSION;
    }

    /** The chart as an ECharts option (JSON). */
    public static String echartsOption(Chart c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("animation", false);
        o.putObject("title")
                .put("text", c.title())
                .put("left", "center")
                .putObject("textStyle")
                .put("fontSize", 14);
        o.putObject("tooltip").put("trigger", "axis");
        o.putObject("legend").put("top", 28).put("type", "scroll");
        o.putObject("grid")
                .put("left", 80)
                .put("right", 40)
                .put("top", 70)
                .put("bottom", c.categories().size() > 8 ? 110 : 60);
        ObjectNode x = o.putObject("xAxis")
                .put("type", "category")
                .put("name", c.xLabel())
                .put("nameLocation", "middle")
                .put("nameGap", c.categories().size() > 8 ? 85 : 35);
        c.categories().forEach(x.putArray("data")::add);
        if (c.categories().size() > 8) {
            x.putObject("axisLabel").put("rotate", 40).put("interval", labelEvery(c) - 1);
        }
        ObjectNode y = o.putObject("yAxis")
                .put("type", "value")
                .put("name", c.yLabel())
                .put("nameLocation", "middle")
                .put("nameGap", 55);
        Double upper = upperBound(c);
        if (upper != null) {
            y.put("max", upper);
        }
        ArrayNode series = o.putArray("series");
        for (Chart.Series s : c.series()) {
            ObjectNode n =
                    series.addObject().put("name", s.name()).put("type", s.kind() == Chart.Kind.BAR ? "bar" : "line");
            if (s.kind() == Chart.Kind.BAR && c.stacked()) {
                n.put("stack", "total");
            }
            if (s.kind() == Chart.Kind.LINE) {
                n.put("symbolSize", c.categories().size() > LABELLED_CATEGORIES ? 4 : 7)
                        .put("showAllSymbol", true)
                        .put("connectNulls", false);
            }
            ArrayNode data = n.putArray("data");
            s.values().forEach(v -> {
                if (v == null) {
                    data.add("-"); // ECharts' "no value here"
                } else {
                    data.add(v);
                }
            });
        }
        if (!series.isEmpty() && (!c.thresholds().isEmpty() || !c.marks().isEmpty())) {
            ObjectNode ml = ((ObjectNode) series.get(0))
                    .putObject("markLine")
                    .put("symbol", "none")
                    .put("silent", true);
            ArrayNode data = ml.putArray("data");
            for (Chart.Threshold t : c.thresholds()) {
                ObjectNode d = data.addObject().put("yAxis", t.value()).put("name", t.label());
                d.putObject("label").put("formatter", t.label()).put("position", "insideEndTop");
                d.putObject("lineStyle")
                        .put("color", "#c0392b")
                        .put("type", "dashed")
                        .put("width", 2);
            }
            for (int i = 0; i < c.marks().size(); i++) {
                Chart.Mark m = c.marks().get(i);
                ObjectNode d = data.addObject().put("xAxis", m.index()).put("name", m.label());
                d.putObject("label").put("formatter", m.label()).put("position", "insideEndTop");
                d.putObject("lineStyle")
                        .put("color", hex(markColor(i)))
                        .put("type", "solid")
                        .put("width", 3);
            }
        }
        return o.toString();
    }

    /** Draws the chart into a PNG file of {@code width} x {@code height} pixels. */
    public static void png(Chart c, Path file, int width, int height) {
        DefaultCategoryDataset bars = new DefaultCategoryDataset();
        DefaultCategoryDataset lines = new DefaultCategoryDataset();
        for (Chart.Series s : c.series()) {
            DefaultCategoryDataset d = s.kind() == Chart.Kind.BAR ? bars : lines;
            for (int i = 0; i < c.categories().size(); i++) {
                d.addValue(s.values().get(i), s.name(), c.categories().get(i));
            }
        }
        BarRenderer barRenderer = c.stacked() ? new StackedBarRenderer() : new BarRenderer();
        barRenderer.setBarPainter(new StandardBarPainter());
        barRenderer.setShadowVisible(false);
        barRenderer.setItemMargin(0.05);
        CategoryAxis xAxis = new CategoryAxis(c.xLabel());
        if (c.categories().size() > 8) {
            xAxis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        for (int i = 0; i < c.categories().size(); i++) {
            if (i % labelEvery(c) != 0) {
                xAxis.setTickLabelPaint(c.categories().get(i), TRANSPARENT);
            }
        }
        NumberAxis yAxis = new NumberAxis(c.yLabel());
        CategoryPlot plot = new CategoryPlot(bars, xAxis, yAxis, barRenderer);
        LineAndShapeRenderer lineRenderer = new LineAndShapeRenderer(true, true);
        for (int i = 0; i < lines.getRowCount(); i++) {
            lineRenderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setDataset(1, lines);
        plot.setRenderer(1, lineRenderer);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        Double upper = upperBound(c);
        if (upper != null) {
            yAxis.setUpperBound(upper);
        }
        for (Chart.Threshold t : c.thresholds()) {
            plot.addRangeMarker(
                    labelled(
                            new ValueMarker(
                                    t.value(),
                                    THRESHOLD,
                                    new BasicStroke(
                                            2f,
                                            BasicStroke.CAP_BUTT,
                                            BasicStroke.JOIN_MITER,
                                            10f,
                                            new float[] {6f, 4f},
                                            0f)),
                            t.label(),
                            Font.PLAIN,
                            RectangleAnchor.TOP_RIGHT,
                            TextAnchor.BOTTOM_RIGHT),
                    Layer.FOREGROUND);
        }
        for (int i = 0; i < c.marks().size(); i++) {
            Chart.Mark mark = c.marks().get(i);
            CategoryMarker m = new CategoryMarker(c.categories().get(mark.index()), markColor(i), new BasicStroke(3f));
            m.setDrawAsLine(true);
            // labels one below the other, right of their line in the chart's left half and left of it in the right half
            boolean right =
                    mark.index() < c.categories().size() / 2 || c.categories().size() < 2;
            m.setLabelOffset(new RectangleInsets(3 + 14 * i, 3, 3, 3));
            // drawn by the renderer of a dataset that holds the category: the bars', or the lines' when there are
            // no bars
            plot.addDomainMarker(
                    bars.getRowCount() > 0 ? 0 : 1,
                    labelled(
                            m,
                            mark.label(),
                            Font.BOLD,
                            RectangleAnchor.TOP,
                            right ? TextAnchor.TOP_LEFT : TextAnchor.TOP_RIGHT),
                    Layer.FOREGROUND);
        }
        JFreeChart chart = new JFreeChart(c.title(), new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Color markColor(int i) {
        return MARKS.get(i % MARKS.size());
    }

    private static String hex(Color c) {
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    /** Label every n-th category: 1 up to {@value #LABELLED_CATEGORIES} categories, then about 20 labels. */
    static int labelEvery(Chart c) {
        int n = c.categories().size();
        return n > LABELLED_CATEGORIES ? (int) Math.ceil(n / 20.0) : 1;
    }

    private static <M extends Marker> M labelled(
            M m, String label, int style, RectangleAnchor anchor, TextAnchor text) {
        m.setLabel(label);
        m.setLabelFont(new Font(Font.SANS_SERIF, style, 11));
        m.setLabelPaint(m.getPaint());
        m.setLabelAnchor(anchor);
        m.setLabelTextAnchor(text);
        return m;
    }

    /**
     * An upper bound for the value axis when a threshold lies above every value, so the line is drawn; else null
     * (the library's own range).
     */
    static Double upperBound(Chart c) {
        double top = 0;
        for (int i = 0; i < c.categories().size(); i++) {
            final int k = i;
            List<Double> at = c.series().stream()
                    .map(s -> s.values().get(k))
                    .filter(Objects::nonNull)
                    .toList();
            double stackedBars = c.series().stream()
                    .filter(s -> s.kind() == Chart.Kind.BAR)
                    .map(s -> s.values().get(k))
                    .filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue)
                    .sum();
            top = Math.max(
                    top,
                    Math.max(
                            at.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                            c.stacked() ? stackedBars : 0));
        }
        double threshold = c.thresholds().stream()
                .mapToDouble(Chart.Threshold::value)
                .max()
                .orElse(0);
        if (threshold <= top) {
            return null;
        }
        double raw = threshold * 1.15;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        return Math.ceil(raw / magnitude * 2) / 2 * magnitude;
    }
}
