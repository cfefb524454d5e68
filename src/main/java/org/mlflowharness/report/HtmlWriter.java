package org.mlflowharness.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mlflowharness.report.chart.Chart;
import org.mlflowharness.report.chart.Charts;

/**
 * Renders a {@link Document} as one self-contained HTML page: styles and the chart library inlined, so it opens from
 * disk with no network. Each chart is a {@code div.chart} that ECharts draws as SVG; once drawn, the page records on
 * it how many series and data points ECharts holds ({@code data-series}, {@code data-points}) and on {@code body} how
 * many charts were drawn ({@code data-charts-rendered}), which the browser check reads.
 */
public final class HtmlWriter {

    private static final String STYLE = """
            body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px auto;max-width:1180px;color:#222;line-height:1.45}
            h1{font-size:1.6em;border-bottom:2px solid #ddd;padding-bottom:6px}h2{margin-top:1.8em;border-bottom:1px solid #eee}
            table{border-collapse:collapse;margin:10px 0 18px;font-size:.88em}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}p.finding{background:#f6f9fc;border-left:4px solid #2c7be5;padding:8px 12px}
            .chart{width:100%;height:440px;margin:8px 0 22px}.meta{color:#666;font-size:.85em}
            """;

    private HtmlWriter() {}

    /** Writes {@code doc} to {@code file}; returns the file. */
    public static Path write(Document doc, Path file) {
        try {
            Files.writeString(file, render(doc));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String render(Document doc) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(doc.title()))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head>\n<body>\n<h1>")
                .append(esc(doc.title()))
                .append("</h1>\n");
        StringBuilder options = new StringBuilder();
        for (Document.Block b : doc.blocks()) {
            if (b instanceof Document.Heading x) {
                h.append("<h")
                        .append(x.level())
                        .append('>')
                        .append(esc(x.text()))
                        .append("</h")
                        .append(x.level())
                        .append(">\n");
            } else if (b instanceof Document.Paragraph p) {
                h.append(p.text().startsWith("Finding: ") ? "<p class=\"finding\">" : "<p>")
                        .append(esc(p.text()))
                        .append("</p>\n");
            } else if (b instanceof Document.Bullets l) {
                h.append("<ul>");
                l.items().forEach(i -> h.append("<li>").append(esc(i)).append("</li>"));
                h.append("</ul>\n");
            } else if (b instanceof Document.Table t) {
                h.append("<table><thead><tr>");
                t.header().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
                h.append("</tr></thead><tbody>");
                for (List<String> r : t.rows()) {
                    h.append("<tr>");
                    r.forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
                    h.append("</tr>");
                }
                h.append("</tbody></table>\n");
            } else if (b instanceof Document.Figure f) {
                Chart c = f.chart();
                h.append("<div class=\"chart\" id=\"chart-")
                        .append(esc(c.id()))
                        .append("\" data-chart=\"")
                        .append(esc(c.id()))
                        .append("\" role=\"img\" aria-label=\"")
                        .append(esc(c.title()))
                        .append("\"></div>\n");
                options.append("  ")
                        .append(jsString(c.id()))
                        .append(": ")
                        .append(script(Charts.echartsOption(c)))
                        .append(",\n");
            }
        }
        h.append("<p class=\"meta\">Charts: Apache ECharts ")
                .append(Charts.echartsVersion())
                .append(", inlined (this page needs no network).</p>\n");
        h.append("<script>").append(script(Charts.echartsLibrary())).append("</script>\n");
        h.append("<script>\nconst options = {\n").append(options).append("""
                };
                let rendered = 0;
                for (const [id, option] of Object.entries(options)) {
                  const el = document.getElementById('chart-' + id);
                  const chart = echarts.init(el, null, {renderer: 'svg'});
                  chart.setOption(option);
                  const series = chart.getOption().series || [];
                  el.dataset.series = series.length;
                  el.dataset.points = series.reduce((n, s) => n + (s.data || []).filter(v => v !== '-' && v !== null).length, 0);
                  rendered++;
                }
                document.body.dataset.chartsRendered = rendered;
                </script>
                </body></html>
                """);
        return h.toString();
    }

    /** Text for a script element: a closing tag inside it would end the element early. */
    private static String script(String js) {
        return js.replace("</", "<\\/");
    }

    private static String jsString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String esc(String s) {
        return s == null
                ? ""
                : s.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&quot;");
    }
}
