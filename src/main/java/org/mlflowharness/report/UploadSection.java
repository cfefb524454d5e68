package org.mlflowharness.report;

import static org.mlflowharness.report.CapacityReport.DIRECT_S3;
import static org.mlflowharness.report.Figures.fmt;
import static org.mlflowharness.report.Figures.listOf;
import static org.mlflowharness.report.Figures.orDash;
import static org.mlflowharness.report.Figures.outcomes;
import static org.mlflowharness.report.Figures.sloText;
import static org.mlflowharness.report.ResourceSection.limit;
import static org.mlflowharness.report.ResourceSection.resources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.SloLimits;
import org.mlflowharness.model.load.UploadResult;
import org.mlflowharness.model.load.UploadResult.Destination;
import org.mlflowharness.model.load.UploadResult.FirstFailure;
import org.mlflowharness.model.load.UploadResult.SizeResult;
import org.mlflowharness.report.chart.Chart;

/**
 * The capacity report's part for the upload scenarios (large-upload, direct-s3): finding, MB/s and ratio charts, a
 * table per size and destination, how each destination's next size failed, and CPU and memory per upload batch.
 */
final class UploadSection {

    private UploadSection() {}

    static void section(Document d, String kind, UploadResult sc, boolean charts) {
        Map<String, Destination> dests = destinations(sc);
        List<String> skipped = new ArrayList<>();
        if (sc.direct() != null && sc.direct().figure().isEmpty()) {
            skipped.add(sc.direct().text());
        }
        if (sc.proxied() != null) {
            sc.proxied().values().stream().filter(v -> v.figure().isEmpty()).forEach(v -> skipped.add(v.text()));
        }
        List<String> sizes = listOf(sc.sizes());
        SloLimits slo = sc.slo() == null ? new SloLimits(null, null, null, null, null, null) : sc.slo();
        d.paragraph("Finding: " + uploadFinding(dests, sizes));
        d.paragraph(sc.users() + " concurrent uploads per size and destination; order: " + sc.order() + ". SLO: "
                + sloText(sc.slo()) + ".");
        d.bullets(skipped);
        if (charts) {
            Chart mbps = Chart.of(
                    kind + "-mbps",
                    "uploads: aggregate MB/s per size and destination",
                    "object size",
                    "MB/s (10^6 bytes/s)",
                    sizes);
            for (Map.Entry<String, Destination> e : dests.entrySet()) {
                mbps = mbps.line(
                        e.getKey(),
                        sizes.stream()
                                .map(sz -> bySize(e.getValue(), sz) == null
                                        ? null
                                        : bySize(e.getValue(), sz).aggregateMBps())
                                .toList());
            }
            d.chart(mbps.threshold("min " + orEmpty(slo.minMBps()) + " MB/s", slo.minMBps()));
            Chart ratio = Chart.of(
                    kind + "-ratio", "uploads: proxied / direct-S3 MB/s per size", "object size", "ratio", sizes);
            for (Map.Entry<String, Destination> e : dests.entrySet()) {
                if (e.getValue().proxiedToDirectRatioBySize() != null) {
                    ratio = ratio.bar(
                            e.getKey(),
                            sizes.stream()
                                    .map(sz -> e.getValue()
                                            .proxiedToDirectRatioBySize()
                                            .get(sz))
                                    .toList());
                }
            }
            d.chart(ratio.threshold("min ratio " + orEmpty(slo.minRatio()), slo.minRatio()));
        }
        List<String> header = new ArrayList<>(List.of("size"));
        dests.keySet().forEach(n -> header.add(n + " MB/s"));
        dests.entrySet().stream()
                .filter(e -> e.getValue().proxiedToDirectRatioBySize() != null)
                .forEach(e -> header.add(e.getKey() + " / direct"));
        List<List<String>> rows = new ArrayList<>();
        for (String sz : sizes) {
            List<String> row = new ArrayList<>(List.of(sz));
            dests.values().forEach(v -> row.add(sizeCell(bySize(v, sz))));
            dests.values().stream()
                    .filter(v -> v.proxiedToDirectRatioBySize() != null)
                    .forEach(v -> row.add(orDash(v.proxiedToDirectRatioBySize().get(sz))));
            rows.add(row);
        }
        d.table(header, rows);
        d.heading(3, kind + ": largest size per destination and how the next failed");
        d.table(
                List.of(
                        "destination",
                        "largest size handled",
                        "next size failed",
                        "how",
                        "after s",
                        "example",
                        "integrity"),
                dests.entrySet().stream()
                        .map(e -> {
                            Destination v = e.getValue();
                            FirstFailure ff = firstFailure(v);
                            return List.of(
                                    e.getKey(),
                                    v.largestOk(),
                                    ff != null ? ff.size() : "none",
                                    ff != null ? outcomes(ff.outcomes()) : "",
                                    ff != null ? String.valueOf(ff.afterSeconds()) : "",
                                    ff != null && ff.example() != null ? ff.example() : "",
                                    v.corrupted() == 0
                                            ? "every acknowledged upload verified"
                                            : v.corrupted() + " CORRUPTED");
                        })
                        .toList());
        List<String> labels = new ArrayList<>();
        List<ResourceWindow> windows = new ArrayList<>();
        for (String sz : sizes) {
            dests.forEach((name, v) -> {
                ResourceWindow w =
                        v.resourcesBySize() == null ? null : v.resourcesBySize().get(sz);
                if (w != null) {
                    labels.add(name.replace("nginx ", "") + " " + sz);
                    windows.add(w);
                }
            });
        }
        resources(d, kind, labels, windows, charts);
    }

    /** The destinations an upload scenario ran: direct-s3 and "nginx <variant>", in that order. */
    static Map<String, Destination> destinations(UploadResult u) {
        Map<String, Destination> dests = new LinkedHashMap<>();
        if (u.direct() != null) {
            u.direct().figure().ifPresent(v -> dests.put(DIRECT_S3, v));
        }
        if (u.proxied() != null) {
            u.proxied().forEach((variant, v) -> v.figure().ifPresent(x -> dests.put("nginx " + variant, x)));
        }
        return dests;
    }

    private static String uploadFinding(Map<String, Destination> dests, List<String> sizes) {
        if (dests.isEmpty()) {
            return "no upload destination ran.";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Destination> e : dests.entrySet()) {
            Destination v = e.getValue();
            String largest = v.largestOk() == null ? "" : v.largestOk();
            StringBuilder p = new StringBuilder(e.getKey());
            if ("0B".equals(largest) || largest.isEmpty()) {
                p.append(" handled no size");
            } else {
                SizeResult at = bySize(v, largest);
                p.append(" handled every size up to ")
                        .append(largest)
                        .append(" (")
                        .append(fmt(at == null || at.aggregateMBps() == null ? 0 : at.aggregateMBps()))
                        .append(" MB/s at ")
                        .append(largest);
                if (v.proxiedToDirectRatioBySize() != null
                        && v.proxiedToDirectRatioBySize().containsKey(largest)) {
                    p.append(", ")
                            .append(v.proxiedToDirectRatioBySize().get(largest))
                            .append(" of direct-S3's rate");
                }
                p.append(')');
            }
            FirstFailure ff = firstFailure(v);
            if (ff != null) {
                p.append("; at ")
                        .append(ff.size())
                        .append(" it failed: ")
                        .append(outcomes(ff.outcomes()))
                        .append(" after ")
                        .append(ff.afterSeconds())
                        .append(" s");
            } else if (!sizes.isEmpty() && !largest.equals(sizes.get(sizes.size() - 1))) {
                p.append("; the larger sizes were not run (time budget)");
            }
            parts.add(p.toString());
        }
        String f = String.join(". ", parts) + ".";
        ResourceWindow last = null;
        for (Destination v : dests.values()) {
            if (v.resourcesBySize() != null) {
                for (ResourceWindow w : v.resourcesBySize().values()) {
                    last = w;
                }
            }
        }
        return last == null ? f : f + " " + limit(last, "During the last upload batch");
    }

    private static SizeResult bySize(Destination v, String size) {
        return v.bySize() == null ? null : v.bySize().get(size);
    }

    private static FirstFailure firstFailure(Destination v) {
        return v.firstFailure() == null ? null : v.firstFailure().figure().orElse(null);
    }

    private static String orEmpty(Double limit) {
        return limit == null ? "" : String.valueOf(limit);
    }

    private static String sizeCell(SizeResult bySize) {
        if (bySize == null) {
            return "not run";
        }
        String mbps = bySize.aggregateMBps() != null ? fmt(bySize.aggregateMBps()) : "-";
        int n = bySize.transfers();
        int ok = bySize.ok();
        return ok == n ? mbps : mbps + " (" + ok + "/" + n + " ok: " + outcomes(bySize.outcomes()) + ")";
    }
}
