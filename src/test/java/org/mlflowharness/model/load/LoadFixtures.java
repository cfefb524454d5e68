package org.mlflowharness.model.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mlflowharness.model.load.ResilienceResult.ErrorWindow;
import org.mlflowharness.model.load.ResilienceResult.Fault;
import org.mlflowharness.model.load.ResilienceResult.Marks;
import org.mlflowharness.model.load.ResilienceResult.Point;
import org.mlflowharness.model.load.ResilienceResult.Timeline;
import org.mlflowharness.model.load.ResourceWindow.Machine;
import org.mlflowharness.model.load.ResourceWindow.Usage;
import org.mlflowharness.model.load.SteppedResult.BestStep;
import org.mlflowharness.model.load.SteppedResult.Step;
import org.mlflowharness.model.load.UploadResult.Destination;
import org.mlflowharness.model.load.UploadResult.FirstFailure;
import org.mlflowharness.model.load.UploadResult.SizeResult;
import org.mlflowharness.model.load.UploadResult.Spread;

/**
 * Load sections for the harness's own tests, built from the report's records: the parts of a scenario result with
 * only the figures a test sets, the rest fixed (a window's memory, a step's Gatling report, ...).
 */
public final class LoadFixtures {

    /** Where the native stack's resources are read. */
    public static final String NATIVE_SOURCE = "/proc of the native stack's process trees";

    private LoadFixtures() {}

    /** A load section with only its verdict, as a stage that records one without running scenarios. */
    public static LoadSection verdict(String verdict) {
        return new LoadSection(null, null, null, null, null, null, null, null, verdict);
    }

    /** A passing load section of {@code scenarios}, in the order given. */
    public static LoadSection section(
            String profile,
            String description,
            String onBreach,
            Map<String, ScenarioResult> scenarios,
            String source,
            double harnessPeakRssMiB) {
        return new LoadSection(
                profile,
                description,
                onBreach,
                scenarios,
                new LoadSection.Sampling(source, 1, null),
                harnessPeakRssMiB,
                List.of(),
                List.of(),
                "PASSED");
    }

    /** A passing load section of {@code scenarios} of a test profile. */
    public static LoadSection section(Map<String, ScenarioResult> scenarios) {
        return section("test", "a test profile", "fail", new LinkedHashMap<>(scenarios), NATIVE_SOURCE, -1);
    }

    public static SteppedResult stepped(List<Step> steps, OrText<BestStep> best) {
        return new SteppedResult(null, null, null, "not run", steps, best, -1.0);
    }

    /** A step: its users and rate, offered and acknowledged points/s (null for mixed), resources, requests, integrity, breaches. */
    public static Step step(
            int users,
            double rate,
            Double offered,
            Double acknowledged,
            ResourceWindow resources,
            Requests requests,
            Integrity integrity,
            String... breaches) {
        return new Step(
                users,
                rate,
                offered,
                resources,
                breaches.length == 0 ? 0 : 2,
                "reports/latest/gatling/x/index.html",
                requests,
                acknowledged,
                null,
                integrity,
                List.of(breaches),
                breaches.length == 0,
                null,
                null);
    }

    /** All of {@code requests} answered 200 over 15.1 s, with these latencies; {@code byRequest} per request name. */
    public static Requests requests(
            long requests,
            long p50Ms,
            long p95Ms,
            long p99Ms,
            long maxMs,
            double throughputRps,
            Map<String, Requests> byRequest) {
        return new Requests(
                requests, requests, 0, 0, Map.of(), p50Ms, p95Ms, p99Ms, maxMs, 15.1, throughputRps, byRequest);
    }

    /** One request name's figures within a step: all answered 200. */
    public static Requests byRequest(long requests, long p50Ms, long p95Ms, long p99Ms, long maxMs) {
        return new Requests(requests, requests, 0, 0, Map.of(), p50Ms, p95Ms, p99Ms, maxMs, null, null, null);
    }

    /** Every one of {@code acknowledged} points stored once, in {@code runs} runs. */
    public static Integrity integrity(int runs, long acknowledged) {
        return new Integrity(runs, acknowledged, acknowledged, 0, 0, 0, OrText.of(acknowledged), 0, true, null);
    }

    /**
     * A 15.2 s window on a 2-core machine: busy cores and share, other processes' cores, the harness's CPU, and the CPU
     * of the native stack's mariadb, s3proxy, mlflow and nginx (their memory fixed).
     */
    public static ResourceWindow window(
            double busy,
            double busyPct,
            double other,
            double harness,
            double mariadb,
            double s3proxy,
            double mlflow,
            double nginx) {
        Map<String, Usage> components = new LinkedHashMap<>();
        components.put("mariadb", new Usage(mariadb, 180.5, 1));
        components.put("s3proxy", new Usage(s3proxy, 310.0, 1));
        components.put("mlflow", new Usage(mlflow, 1450.2, 10));
        components.put("nginx", new Usage(nginx, 12.3, 3));
        return new ResourceWindow(
                15.2,
                16,
                new Machine(2, busy, busyPct, other),
                NATIVE_SOURCE,
                components,
                null,
                new Usage(harness, 260.1, 1),
                null);
    }

    /** Uploads of one size that all succeeded: per-upload MB/s and the aggregate. */
    public static SizeResult size(int transfers, double min, double median, double max, double aggregate) {
        return new SizeResult(transfers, transfers, new Spread(min, median, max), aggregate, Map.of("ok", transfers));
    }

    /** Uploads of one size, {@code ok} of them succeeded, the others ended as {@code outcomes} says. */
    public static SizeResult size(
            int transfers, int ok, Spread perTransfer, Double aggregate, Map<String, Integer> outcomes) {
        return new SizeResult(transfers, ok, perTransfer, aggregate, new TreeMap<>(outcomes));
    }

    /** A destination's uploads by size (the same window for each), the largest that all succeeded, the first that failed. */
    public static Destination destination(
            Map<String, SizeResult> bySize,
            String largestOk,
            FirstFailure firstFailure,
            ResourceWindow window,
            Double harnessPeakRssMiB,
            Map<String, Double> ratios) {
        Map<String, ResourceWindow> windows = new LinkedHashMap<>();
        bySize.keySet().forEach(size -> windows.put(size, window));
        return new Destination(
                bySize,
                largestOk,
                firstFailure == null ? OrText.text("none") : OrText.of(firstFailure),
                0,
                Map.of(),
                windows,
                harnessPeakRssMiB,
                null,
                null,
                null,
                null,
                null,
                ratios,
                ratios == null
                        ? null
                        : OrText.of(ratios.values().stream().reduce((a, b) -> b).orElseThrow()),
                List.of());
    }

    /**
     * large-upload with the direct baseline's aggregate MB/s by size, per nginx variant its MB/s by size, and each
     * variant's ratio to direct by size.
     */
    public static UploadResult uploads(
            Map<String, Double> direct, Map<String, Map<String, Double>> proxied, Map<String, Double> ratios) {
        Map<String, OrText<Destination>> variants = new LinkedHashMap<>();
        proxied.forEach((variant, mbps) ->
                variants.put(variant, OrText.of(destination(sizes(mbps), null, null, null, null, ratios))));
        return new UploadResult(
                1,
                List.copyOf(direct.keySet()),
                "direct first",
                null,
                null,
                OrText.of(destination(sizes(direct), null, null, null, null, null)),
                variants,
                -1.0);
    }

    private static Map<String, SizeResult> sizes(Map<String, Double> mbps) {
        Map<String, SizeResult> bySize = new LinkedHashMap<>();
        mbps.forEach((size, v) -> bySize.put(size, size(1, v, v, v, v)));
        return bySize;
    }

    /**
     * One fault of a resilience run: plan and start, ready and serving again, requests and failures, and its timeline
     * from 5 s before the fault, one bucket per second.
     */
    public static Fault fault(
            String fault,
            double plannedAt,
            double startedAt,
            double outage,
            OrText<Double> ready,
            OrText<Double> serves,
            int requests,
            int failed,
            ErrorWindow window,
            Map<String, Integer> failuresByClass,
            Marks marks,
            int[] requestsPerSecond,
            int[] errorsPerSecond) {
        List<Point> points = new java.util.ArrayList<>();
        for (int i = 0; i < requestsPerSecond.length; i++) {
            points.add(new Point(i - 5, requestsPerSecond[i], errorsPerSecond[i]));
        }
        return new Fault(
                fault,
                plannedAt,
                startedAt,
                outage,
                ready,
                serves,
                null,
                requests,
                failed,
                window,
                new TreeMap<>(failuresByClass),
                new Timeline(1, "the fault's start", points, marks));
    }

    /** A data-volume level of {@code runs} runs of 1,000 points: the reads' p95 by name, the logging rate. */
    public static VolumeResult.Level volumeLevel(
            int runs, Map<String, Long> readP95, double loggedPointsPerSecond, String... breaches) {
        Map<String, Requests> by = new TreeMap<>();
        readP95.forEach((name, p95) -> by.put(name, byRequest(20, p95 / 2, p95, p95, p95)));
        return new VolumeResult.Level(
                runs,
                runs,
                runs * 1000L,
                new VolumeResult.Fill(0, runs, runs * 1000L, runs * 2L + 1, 10.0, runs * 100.0, 8, null),
                requests(80, 20, 60, 90, 90, 5.3, by),
                requests(100, 30, 70, 80, 90, 6.6, Map.of()),
                loggedPointsPerSecond,
                integrity(4, 1000),
                null,
                null,
                Map.of(),
                List.of(breaches),
                breaches.length == 0);
    }

    /** A data-volume result of {@code levels}. */
    public static VolumeResult volume(List<VolumeResult.Level> levels) {
        return new VolumeResult(
                "volume-50r-10p-5t-10x100",
                new VolumeResult.Shape(50, 10, 5, 10, 100, 8, 10000, 20, 4, 2.0, 20, 12),
                new SloLimits(1000, 2000, 0.5, 0L, null, null),
                null,
                null,
                "warm",
                "run r1 in experiment 7",
                levels,
                "yes",
                100.0);
    }
}
