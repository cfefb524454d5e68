package org.mlflowharness.report;

import static org.mlflowharness.model.load.LoadFixtures.byRequest;
import static org.mlflowharness.model.load.LoadFixtures.destination;
import static org.mlflowharness.model.load.LoadFixtures.fault;
import static org.mlflowharness.model.load.LoadFixtures.integrity;
import static org.mlflowharness.model.load.LoadFixtures.requests;
import static org.mlflowharness.model.load.LoadFixtures.size;
import static org.mlflowharness.model.load.LoadFixtures.step;
import static org.mlflowharness.model.load.LoadFixtures.window;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.model.StackDescription.Component;
import org.mlflowharness.model.load.Integrity;
import org.mlflowharness.model.load.LoadFixtures;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.model.load.OrText;
import org.mlflowharness.model.load.Requests;
import org.mlflowharness.model.load.ResilienceResult;
import org.mlflowharness.model.load.ResilienceResult.ErrorWindow;
import org.mlflowharness.model.load.ResilienceResult.Marks;
import org.mlflowharness.model.load.ResilienceResult.ResilienceIntegrity;
import org.mlflowharness.model.load.ResilienceResult.SteadyLoad;
import org.mlflowharness.model.load.ResilienceResult.Uploads;
import org.mlflowharness.model.load.ScenarioResult;
import org.mlflowharness.model.load.SloLimits;
import org.mlflowharness.model.load.SteppedResult;
import org.mlflowharness.model.load.SteppedResult.BestStep;
import org.mlflowharness.model.load.UploadResult;
import org.mlflowharness.model.load.UploadResult.Destination;
import org.mlflowharness.model.load.UploadResult.FirstFailure;
import org.mlflowharness.model.load.UploadResult.SizeResult;
import org.mlflowharness.model.load.UploadResult.Spread;
import org.mlflowharness.report.RunReport.Stage;

/**
 * The summary.json of two load runs on the native stack, built from the report's records as the load stage and
 * {@link RunReport} write them: a capacity run and a resilience run.
 */
final class SummaryFixtures {

    private static final StackDescription NATIVE = new StackDescription(
            "native",
            NginxVariant.HARDENED,
            List.of(
                    new Component(
                            "database", "MariaDB", "10.11.19-MariaDB-0+deb12u1", "SELECT VERSION()", null, null, 3.7),
                    new Component(
                            "object-store", "S3Proxy", "4.1.0", "the S3Proxy jar the harness ran", "RustFS", null, 6.0),
                    new Component("tracking", "MLflow", "3.17.2", "GET /version", null, null, 132.8),
                    new Component("proxy", "nginx", "1.22.1", "nginx -v", null, null, 0.3)));

    private SummaryFixtures() {}

    /** A capacity run: metric-logging breaks at its third step, article nginx fails at 128 MiB with 413. */
    static JsonNode capacity() {
        Map<String, ScenarioResult> scenarios = new LinkedHashMap<>();
        scenarios.put(
                "metric-logging",
                new SteppedResult(
                        null,
                        new SloLimits(500, 1000, 0.5, 0L, null, null),
                        NATIVE,
                        "40 runs",
                        List.of(
                                step(
                                        2,
                                        2,
                                        84.0,
                                        82.32,
                                        window(1.0, 50.0, 0.27, 0.2, 0.1, 0.01, 0.4, 0.02),
                                        requests(120, 20, 60, 120, 160, 7.95, Map.of()),
                                        integrity(2, 1234)),
                                step(
                                        4,
                                        4,
                                        336.0,
                                        329.28,
                                        window(1.7, 85.0, 0.14, 0.35, 0.25, 0.01, 0.9, 0.05),
                                        requests(480, 40, 180, 400, 440, 31.79, Map.of()),
                                        integrity(4, 4939)),
                                step(
                                        8,
                                        4,
                                        672.0,
                                        470.4,
                                        window(1.95, 97.5, 0.08, 0.3, 0.3, 0.01, 1.2, 0.06),
                                        requests(960, 300, 900, 1500, 1540, 63.58, Map.of()),
                                        integrity(8, 7056),
                                        "p95 latency: threshold <= 500 ms, measured 900.00 ms",
                                        "p99 latency: threshold <= 1000 ms, measured 1500.00 ms")),
                        OrText.of(new BestStep(4, 4.0, OrText.of(336.0), 31.79)),
                        250.0,
                        null));
        scenarios.put(
                "large-upload",
                new UploadResult(
                        2,
                        List.of("1MiB", "16MiB", "128MiB"),
                        "per size (ascending): direct-s3, then each nginx variant; 2 concurrent uploads each",
                        new SloLimits(null, null, null, 0L, 5.0, null),
                        null,
                        OrText.of(destination(
                                sizes(
                                        size(2, 9.0, 10.0, 11.0, 20),
                                        size(2, 54.0, 60.0, 66.0, 120),
                                        size(2, 81.0, 90.0, 99.0, 180)),
                                "128MiB",
                                null,
                                window(1.5, 75.0, 0.2, 0.5, 0.0, 0.8, 0.0, 0.0),
                                240.0,
                                null)),
                        proxied(),
                        null));
        scenarios.put(
                "mixed",
                new SteppedResult(
                        null,
                        new SloLimits(1000, 2000, 0.5, 0L, null, null),
                        NATIVE,
                        "done before an earlier scenario",
                        List.of(
                                step(
                                        5,
                                        1.0,
                                        null,
                                        null,
                                        window(1.1, 55.0, 0.25, 0.2, 0.1, 0.02, 0.5, 0.03),
                                        requests(
                                                75,
                                                30,
                                                120,
                                                240,
                                                280,
                                                4.97,
                                                mixed(
                                                        byRequest(50, 26, 80, 160, 240),
                                                        byRequest(50, 20, 60, 120, 180),
                                                        byRequest(50, 40, 120, 240, 360),
                                                        byRequest(50, 16, 50, 100, 150))),
                                        integrity(1, 75)),
                                step(
                                        10,
                                        1.0,
                                        null,
                                        null,
                                        window(1.6, 80.0, 0.13, 0.3, 0.2, 0.03, 0.9, 0.04),
                                        requests(
                                                150,
                                                30,
                                                300,
                                                600,
                                                640,
                                                9.93,
                                                mixed(
                                                        byRequest(50, 66, 200, 400, 600),
                                                        byRequest(50, 50, 150, 300, 450),
                                                        byRequest(50, 100, 300, 600, 900),
                                                        byRequest(50, 30, 90, 180, 270))),
                                        integrity(2, 150))),
                        OrText.of(new BestStep(10, 1.0, OrText.text("n/a"), 9.93)),
                        230.0,
                        null));
        LoadSection load = LoadFixtures.section(
                "capacity",
                "capacity - ramps",
                "stop (capacity: breaches are findings)",
                scenarios,
                LoadFixtures.NATIVE_SOURCE,
                260.0);
        return summary(
                "./harness load all --profile capacity --stack native",
                "2026-11-27T10:00:00Z",
                "2026-11-27T10:21:00Z",
                load);
    }

    private static Map<String, OrText<Destination>> proxied() {
        Map<String, OrText<Destination>> proxied = new LinkedHashMap<>();
        proxied.put(
                "article",
                OrText.of(destination(
                        sizes(
                                size(2, 3.6, 4.0, 4.4, 8),
                                size(2, 18.0, 20.0, 22.0, 40),
                                size(2, 0, null, null, Map.of("413", 2))),
                        "16MiB",
                        new FirstFailure("128MiB", Map.of("413", 2), "413 Request Entity Too Large", 0.4),
                        window(1.9, 95.0, 0, 0.3, 0.05, 0.5, 0.9, 0.2),
                        null,
                        ratios("1MiB", 0.4, "16MiB", 0.33))));
        proxied.put(
                "hardened",
                OrText.of(destination(
                        sizes(
                                size(2, 4.05, 4.5, 4.95, 9),
                                size(2, 22.5, 25.0, 27.5, 50),
                                size(2, 27.0, 30.0, 33.0, 60)),
                        "128MiB",
                        null,
                        window(1.95, 97.5, 0, 0.3, 0.05, 0.5, 1.0, 0.1),
                        null,
                        ratios("1MiB", 0.45, "16MiB", 0.42, "128MiB", 0.33))));
        return proxied;
    }

    /** 1MiB, 16MiB and 128MiB, in that order. */
    private static Map<String, SizeResult> sizes(SizeResult mib1, SizeResult mib16, SizeResult mib128) {
        Map<String, SizeResult> bySize = new LinkedHashMap<>();
        bySize.put("1MiB", mib1);
        bySize.put("16MiB", mib16);
        bySize.put("128MiB", mib128);
        return bySize;
    }

    private static Map<String, Double> ratios(Object... sizeAndRatio) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (int i = 0; i < sizeAndRatio.length; i += 2) {
            ratios.put((String) sizeAndRatio[i], (Double) sizeAndRatio[i + 1]);
        }
        return ratios;
    }

    /** mixed's request names: search runs, get metric history, log-batch, list artifacts. */
    private static Map<String, Requests> mixed(
            Requests search, Requests history, Requests logBatch, Requests listArtifacts) {
        Map<String, Requests> byRequest = new LinkedHashMap<>();
        byRequest.put("search runs", search);
        byRequest.put("get metric history", history);
        byRequest.put("log-batch", logBatch);
        byRequest.put("list artifacts", listArtifacts);
        return byRequest;
    }

    /** A passing `load resilience --profile smoke` run on the native stack: five faults, integrity held. */
    static JsonNode resilience() {
        ResilienceResult resilience = new ResilienceResult(
                new SteadyLoad(2, 2, 5, 1, 1, "256KiB"),
                List.of(
                        "restart database at +10.0 s, outage 5.0 s",
                        "restart object-store at +40.0 s, outage 5.0 s",
                        "restart tracking at +70.0 s, outage 3.0 s",
                        "reload proxy at +100.0 s, outage 0.0 s",
                        "restart proxy at +115.0 s, outage 3.0 s"),
                420,
                NATIVE,
                null,
                "40 of 40 runs by 8 concurrent clients through nginx in 35.8 s (not measured)",
                "index.html",
                new Requests(
                        1551,
                        572,
                        979,
                        63.12,
                        Map.of(
                                "500",
                                1,
                                "502",
                                935,
                                "503",
                                11,
                                "no response (connection closed)",
                                1,
                                "no response (connection refused)",
                                31),
                        7,
                        667,
                        2316,
                        20433,
                        234.59,
                        6.61,
                        null),
                List.of(
                        fault(
                                "restart database",
                                10.0,
                                10.0,
                                5.0,
                                OrText.of(6.2),
                                OrText.of(14.3),
                                129,
                                11,
                                new ErrorWindow(OrText.of(1.0), OrText.of(6.2)),
                                Map.of("503", 11),
                                new Marks(0.0, 5.0, 6.2, 14.3),
                                new int[] {
                                    5, 6, 6, 6, 6, 2, 3, 2, 5, 1, 1, 2, 0, 2, 2, 1, 4, 3, 3, 4, 5, 7, 7, 6, 9, 6, 6, 4,
                                    8, 6, 4, 9, 5, 7, 5
                                },
                                new int[] {
                                    0, 0, 0, 0, 0, 2, 1, 1, 4, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 0
                                }),
                        fault(
                                "restart object-store",
                                40.0,
                                40.0,
                                5.0,
                                OrText.of(14.0),
                                OrText.of(16.4),
                                142,
                                2,
                                new ErrorWindow(OrText.of(10.7), OrText.of(11.0)),
                                Map.of("500", 1, "502", 1),
                                new Marks(0.0, 5.0, 14.0, 16.4),
                                new int[] {
                                    4, 9, 5, 7, 5, 5, 6, 5, 5, 6, 7, 4, 2, 2, 2, 4, 4, 4, 1, 3, 4, 3, 3, 2, 4, 6, 5, 7,
                                    7, 8, 6, 5, 6, 8, 8, 0
                                },
                                new int[] {
                                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 0, 0
                                }),
                        fault(
                                "restart tracking",
                                70.0,
                                70.0,
                                3.0,
                                OrText.of(106.0),
                                OrText.of(122.5),
                                1037,
                                934,
                                new ErrorWindow(OrText.of(0.2), OrText.of(104.0)),
                                Map.of("502", 934),
                                new Marks(0.0, 3.0, 106.0, 122.5),
                                new int[] {
                                    6, 5, 7, 7, 8, 13, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 7, 9, 9, 9, 9, 9, 9, 9,
                                    9, 9, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
                                    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
                                    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0, 0,
                                    0, 0, 0, 0, 3, 4, 5, 3, 5, 3, 5, 3, 8, 10, 10, 4, 5, 5, 6, 5, 4, 6, 1, 0, 5, 1
                                },
                                new int[] {
                                    0, 0, 0, 0, 0, 11, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 7, 9, 9, 9, 9, 9, 9, 9,
                                    9, 9, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
                                    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
                                    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
                                }),
                        fault(
                                "reload proxy",
                                100.0,
                                202.5,
                                0.0,
                                OrText.of(0.1),
                                OrText.of(6.2),
                                68,
                                0,
                                new ErrorWindow(OrText.text("none"), OrText.text("none")),
                                Map.of(),
                                new Marks(0.0, 0.0, 0.1, 6.2),
                                new int[] {7, 2, 0, 2, 4, 3, 2, 2, 4, 4, 3, 4, 4, 3, 4, 4, 3, 3, 7, 8, 9, 1},
                                new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
                        fault(
                                "restart proxy",
                                115.0,
                                218.7,
                                3.0,
                                OrText.of(3.4),
                                OrText.of(3.8),
                                111,
                                32,
                                new ErrorWindow(OrText.of(0.1), OrText.of(3.0)),
                                Map.of("no response (connection closed)", 1, "no response (connection refused)", 31),
                                new Marks(0.0, 3.0, 3.4, 3.8),
                                new int[] {4, 3, 7, 9, 8, 14, 7, 9, 3, 6, 7, 7, 7, 9, 9, 8, 7, 6, 7, 5, 0, 0, 0},
                                new int[] {0, 0, 0, 0, 0, 14, 7, 9, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})),
                0L,
                null,
                new ResilienceIntegrity(
                        new Integrity(2, 1581, 1586, 0, 0, 5, OrText.of(1586L), 11, true, null),
                        new Uploads(
                                153,
                                43,
                                0,
                                Map.of(
                                        "256KiB",
                                        size(
                                                153,
                                                43,
                                                new Spread(0.02, 0.8, 1.68),
                                                0.05,
                                                Map.of(
                                                        "500",
                                                        1,
                                                        "502",
                                                        105,
                                                        "no response (connection closed)",
                                                        1,
                                                        "no response (connection refused)",
                                                        3,
                                                        "ok",
                                                        43))),
                                null)),
                367.7);
        LoadSection load = LoadFixtures.section(
                "smoke", "CI smoke load", "fail", Map.of("resilience", resilience), LoadFixtures.NATIVE_SOURCE, 367.7);
        return summary(
                "./harness load resilience --profile smoke", "2026-11-30T17:09:45Z", "2026-11-30T17:17:10Z", load);
    }

    private static JsonNode summary(String command, String started, String finished, LoadSection load) {
        return ReportWriter.JSON.valueToTree(RunReport.of(
                command,
                Instant.parse(started),
                Instant.parse(finished),
                "http://localhost:15000",
                NATIVE,
                List.of(new Stage("stack", 60, null)),
                List.of(),
                load,
                List.of(),
                null));
    }
}
