package org.mlflowharness.report;

import static org.mlflowharness.report.CapacityReport.DIRECT_S3;
import static org.mlflowharness.report.Figures.fmt;
import static org.mlflowharness.report.Figures.number;
import static org.mlflowharness.report.Figures.orDash;
import static org.mlflowharness.report.Figures.outcomes;
import static org.mlflowharness.report.Figures.sloText;
import static org.mlflowharness.report.Figures.texts;
import static org.mlflowharness.report.ResourceSection.limit;
import static org.mlflowharness.report.ResourceSection.resources;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflowharness.report.chart.Chart;

/**
 * The capacity report's part for the upload scenarios (large-upload, direct-s3): finding, MB/s and ratio charts, a
 * table per size and destination, how each destination's next size failed, and CPU and memory per upload batch.
 */
final class UploadSection {

    private UploadSection() {
    }

    static void section(Document d, String kind, JsonNode sc, boolean charts) {
        Map<String, JsonNode> dests = new LinkedHashMap<>();
        if (sc.path("direct").isObject()) {
            dests.put(DIRECT_S3, sc.path("direct"));
        }
        sc.path("proxied").fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) {
                dests.put("nginx " + e.getKey(), e.getValue());
            }
        });
        List<String> sizes = texts(sc.path("sizes"));
        d.paragraph("Finding: " + uploadFinding(sc, dests, sizes));
        d.paragraph(sc.path("users").asText() + " concurrent uploads per size and destination; order: " + sc.path("order").asText()
                + ". SLO: " + sloText(sc.path("slo")) + ".");
        List<String> skipped = new ArrayList<>();
        if (sc.path("direct").isTextual()) {
            skipped.add(sc.path("direct").asText());
        }
        sc.path("proxied").fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                skipped.add(e.getValue().asText());
            }
        });
        d.bullets(skipped);
        if (charts) {
            Chart mbps = Chart.of(kind + "-mbps", "uploads: aggregate MB/s per size and destination", "object size", "MB/s (10^6 bytes/s)", sizes);
            for (Map.Entry<String, JsonNode> e : dests.entrySet()) {
                mbps = mbps.line(e.getKey(), sizes.stream().map(sz -> number(e.getValue().path("bySize").path(sz).path("aggregateMBps"))).toList());
            }
            d.chart(mbps.threshold("min " + sc.path("slo").path("minMBps").asText() + " MB/s", number(sc.path("slo").path("minMBps"))));
            Chart ratio = Chart.of(kind + "-ratio", "uploads: proxied / direct-S3 MB/s per size", "object size", "ratio", sizes);
            for (Map.Entry<String, JsonNode> e : dests.entrySet()) {
                if (e.getValue().has("proxiedToDirectRatioBySize")) {
                    ratio = ratio.bar(e.getKey(), sizes.stream().map(sz -> number(e.getValue().path("proxiedToDirectRatioBySize").path(sz))).toList());
                }
            }
            d.chart(ratio.threshold("min ratio " + sc.path("slo").path("minRatio").asText(), number(sc.path("slo").path("minRatio"))));
        }
        List<String> header = new ArrayList<>(List.of("size"));
        dests.keySet().forEach(n -> header.add(n + " MB/s"));
        dests.entrySet().stream().filter(e -> e.getValue().has("proxiedToDirectRatioBySize")).forEach(e -> header.add(e.getKey() + " / direct"));
        List<List<String>> rows = new ArrayList<>();
        for (String sz : sizes) {
            List<String> row = new ArrayList<>(List.of(sz));
            dests.values().forEach(v -> row.add(sizeCell(v.path("bySize").path(sz))));
            dests.values().stream().filter(v -> v.has("proxiedToDirectRatioBySize"))
                    .forEach(v -> row.add(orDash(v.path("proxiedToDirectRatioBySize").path(sz))));
            rows.add(row);
        }
        d.table(header, rows);
        d.heading(3, kind + ": largest size per destination and how the next failed");
        d.table(List.of("destination", "largest size handled", "next size failed", "how", "after s", "example", "integrity"),
                dests.entrySet().stream().map(e -> {
                    JsonNode v = e.getValue();
                    JsonNode ff = v.path("firstFailure");
                    return List.of(e.getKey(), v.path("largestOk").asText(), ff.isObject() ? ff.path("size").asText() : "none",
                            ff.isObject() ? outcomes(ff.path("outcomes")) : "", ff.isObject() ? ff.path("afterSeconds").asText() : "",
                            ff.isObject() ? ff.path("example").asText("") : "",
                            v.path("corrupted").asLong() == 0 ? "every acknowledged upload verified" : v.path("corrupted").asText() + " CORRUPTED");
                }).toList());
        List<String> labels = new ArrayList<>();
        List<JsonNode> windows = new ArrayList<>();
        for (String sz : sizes) {
            dests.forEach((name, v) -> {
                JsonNode w = v.path("resourcesBySize").path(sz);
                if (w.isObject()) {
                    labels.add(name.replace("nginx ", "") + " " + sz);
                    windows.add(w);
                }
            });
        }
        resources(d, kind, labels, windows, charts);
    }

    private static String uploadFinding(JsonNode sc, Map<String, JsonNode> dests, List<String> sizes) {
        if (dests.isEmpty()) {
            return "no upload destination ran.";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : dests.entrySet()) {
            JsonNode v = e.getValue();
            String largest = v.path("largestOk").asText();
            StringBuilder p = new StringBuilder(e.getKey());
            if ("0B".equals(largest) || largest.isEmpty()) {
                p.append(" handled no size");
            } else {
                p.append(" handled every size up to ").append(largest).append(" (")
                        .append(fmt(v.path("bySize").path(largest).path("aggregateMBps").asDouble())).append(" MB/s at ").append(largest);
                if (v.has("proxiedToDirectRatioBySize") && v.path("proxiedToDirectRatioBySize").has(largest)) {
                    p.append(", ").append(v.path("proxiedToDirectRatioBySize").path(largest).asText()).append(" of direct-S3's rate");
                }
                p.append(')');
            }
            JsonNode ff = v.path("firstFailure");
            if (ff.isObject()) {
                p.append("; at ").append(ff.path("size").asText()).append(" it failed: ").append(outcomes(ff.path("outcomes")))
                        .append(" after ").append(ff.path("afterSeconds").asText()).append(" s");
            } else if (!sizes.isEmpty() && !largest.equals(sizes.get(sizes.size() - 1))) {
                p.append("; the larger sizes were not run (time budget)");
            }
            parts.add(p.toString());
        }
        String f = String.join(". ", parts) + ".";
        JsonNode last = null;
        for (JsonNode v : dests.values()) {
            for (JsonNode w : v.path("resourcesBySize")) {
                last = w;
            }
        }
        return last == null ? f : f + " " + limit(last, "During the last upload batch");
    }

    private static String sizeCell(JsonNode bySize) {
        if (bySize.isMissingNode()) {
            return "not run";
        }
        String mbps = bySize.has("aggregateMBps") ? fmt(bySize.path("aggregateMBps").asDouble()) : "-";
        int n = bySize.path("transfers").asInt();
        int ok = bySize.path("ok").asInt();
        return ok == n ? mbps : mbps + " (" + ok + "/" + n + " ok: " + outcomes(bySize.path("outcomes")) + ")";
    }
}
