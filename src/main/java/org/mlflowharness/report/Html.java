package org.mlflowharness.report;

import java.util.List;

/** Small HTML building blocks for report pages: escaped text, tables, one self-contained page. */
public final class Html {

    private Html() {}

    public static String escape(Object value) {
        String s = String.valueOf(value);
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A table; each cell is escaped. {@code rowClasses}, when not null, gives each row a CSS class (e.g. "regression"). */
    public static String table(List<String> headers, List<List<String>> rows, List<String> rowClasses) {
        StringBuilder b = new StringBuilder("<table>\n<tr>");
        headers.forEach(h -> b.append("<th>").append(escape(h)).append("</th>"));
        b.append("</tr>\n");
        for (int i = 0; i < rows.size(); i++) {
            String cls = rowClasses == null ? null : rowClasses.get(i);
            b.append(cls == null || cls.isEmpty() ? "<tr>" : "<tr class=\"" + escape(cls) + "\">");
            rows.get(i).forEach(c -> b.append("<td>").append(escape(c)).append("</td>"));
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    /** A whole page with a title and a small stylesheet; {@code body} is HTML. */
    public static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%s</title>
                <style>
                body{font-family:system-ui,sans-serif;margin:2em;color:#222}
                table{border-collapse:collapse;margin:1em 0}
                th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
                th{background:#f0f0f0}
                tr.regression td{background:#fdd} tr.improvement td{background:#dfd} tr.differs td{background:#ffe9c6}
                .verdict{font-size:1.3em;font-weight:bold}
                </style></head><body>
                <h1>%s</h1>
                %s
                </body></html>
                """.formatted(escape(title), escape(title), body);
    }
}
