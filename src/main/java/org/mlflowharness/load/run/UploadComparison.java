package org.mlflowharness.load.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.Names;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.config.Sizes;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.load.DirectS3Baseline;
import org.mlflowharness.load.GatlingLauncher;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.RequestRecorder;
import org.mlflowharness.load.ResourceSampler;
import org.mlflowharness.load.Slo;
import org.mlflowharness.load.Throughput;
import org.mlflowharness.load.UploadResults;
import org.mlflowharness.load.simulations.LargeUploadSimulation;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.load.OrText;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.UploadResult;
import org.mlflowharness.model.load.UploadResult.Destination;
import org.mlflowharness.model.load.UploadResult.FirstFailure;
import org.mlflowharness.report.Failure;
import org.mlflowharness.stack.RunningStack;

/**
 * large-upload (per nginx variant, plus the direct baseline) or the direct baseline alone. Sizes run in ascending
 * order and, per size, the direct baseline first and then each variant, so each ratio compares transfers made
 * close together. A destination stops at its first size where an upload failed; that failure is its finding.
 */
final class UploadComparison {

    /** Above this harness peak RSS while uploading 1 GiB or more, streaming is broken: a performance failure. */
    static final double MEMORY_LIMIT_MIB = 512;

    private final LoadRun run;

    UploadComparison(LoadRun run) {
        this.run = run;
    }

    /** The transfers to one destination (the store directly, or one nginx variant) over the ascending sizes. */
    private static final class Series {
        final String name;
        final String what;
        final RunningStack target;
        final boolean direct;
        final UploadResults results = new UploadResults();
        final RequestRecorder recorder = new RequestRecorder();
        final Map<String, Double> peakRssMiBBySize = new LinkedHashMap<>();
        final Map<String, String> gatlingReports = new LinkedHashMap<>();
        final Map<String, ResourceWindow> resourcesBySize = new LinkedHashMap<>();
        boolean stopped;

        Series(String name, String what, RunningStack target, boolean direct) {
            this.name = name;
            this.what = what;
            this.target = target;
            this.direct = direct;
        }
    }

    /** The scenario's report: sizes, order, SLO, and per destination its transfers, or why it was not run. */
    UploadResult run(Profile.Settings settings, boolean proxied) {
        Profile.Step step = settings.steps().get(0);
        List<Long> sizes = settings.sizes().stream().sorted().toList();
        OrText<Destination> directResult = null;
        Map<String, OrText<Destination>> byVariant = new LinkedHashMap<>();
        String nginxVariantNote = null;
        Optional<ObjectStore> store = run.stack.endpoints().s3Access().map(ObjectStore::new);
        try {
            Series direct = store.isPresent() ? new Series("direct-s3", "direct-s3", run.stack, true) : null;
            if (direct == null) {
                String msg = "direct-s3 not run: the stack gives no S3 access (set HARNESS_S3_* for an external stack)";
                directResult = OrText.text(msg);
                run.notRun.add(msg);
                if (!proxied) {
                    run.failures.add(new Failure(Failure.Kind.FUNCTIONAL, msg));
                }
            }
            List<Series> variants = new ArrayList<>();
            if (proxied && settings.nginxVariants().isEmpty()) {
                LoadRun.Target through = run.primary();
                nginxVariantNote = through.nginxVariantNote();
                RunningStack t = through.stack();
                variants.add(new Series(
                        t.description().nginxVariant().id(),
                        "large-upload " + t.description().nginxVariant().id(),
                        t,
                        false));
            } else if (proxied) {
                for (NginxVariant v : settings.nginxVariants()) {
                    List<String> whyNot = new ArrayList<>();
                    run.fronts
                            .through(v, whyNot)
                            .ifPresentOrElse(
                                    t -> variants.add(new Series(v.id(), "large-upload " + v.id(), t, false)), () -> {
                                        String msg = "large-upload " + v.id() + " not run: " + whyNot.get(0);
                                        byVariant.put(v.id(), OrText.text(msg));
                                        run.notRun.add(msg);
                                        if (!run.profile.stopOnBreach()) {
                                            run.failures.add(new Failure(Failure.Kind.FUNCTIONAL, msg));
                                        }
                                    });
                }
            }
            String prefix = Names.unique("load-direct");
            for (long size : sizes) {
                StackGuard.check();
                if (run.outOfTime("large-upload " + Sizes.format(size))) {
                    break;
                }
                String expected = DeterministicContent.sha256(size, size);
                if (direct != null && !direct.stopped) {
                    directSize(
                            direct,
                            new DirectS3Baseline(store.get(), prefix),
                            size,
                            expected,
                            step.users(),
                            LoadContext.within(Duration.ofSeconds(settings.timeoutSeconds()), run.deadlineNanos)
                                    .toSeconds());
                }
                for (Series v : variants) {
                    if (!v.stopped) {
                        proxiedSize(v, settings, step, size, expected, store);
                    }
                }
            }
            if (direct != null) {
                directResult = OrText.of(seriesSummary(direct, null, settings));
            }
            for (Series v : variants) {
                byVariant.put(v.name, OrText.of(seriesSummary(v, direct, settings)));
            }
        } finally {
            store.ifPresent(ObjectStore::close);
        }
        return new UploadResult(
                step.users(),
                sizes.stream().map(Sizes::format).toList(),
                "per size (ascending): direct-s3, then each nginx variant; " + step.users()
                        + " concurrent uploads each",
                settings.slo().limits(),
                nginxVariantNote,
                directResult,
                proxied ? byVariant : null,
                run.scenarioPeakRssMiB());
    }

    private void directSize(
            Series direct, DirectS3Baseline baseline, long size, String expected, int users, long timeoutSeconds) {
        String label = Sizes.format(size);
        run.out.accept("direct-s3 " + label + ": " + users + " concurrent uploads");
        run.resetPeak();
        ResourceSampler.Window window = run.sampler.open();
        try {
            direct.stopped = !baseline.run(size, expected, users, timeoutSeconds, direct.results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            direct.stopped = true;
        } finally {
            direct.resourcesBySize.put(label, run.sampler.close(window));
        }
        direct.peakRssMiBBySize.put(label, run.readPeak());
        run.out.accept(
                "  -> " + LoadConsole.describeSize(direct.results.bySize().get(label)) + ", harness peak RSS "
                        + direct.peakRssMiBBySize.get(label) + " MiB");
        run.out.accept("     " + LoadConsole.describeUsage(direct.resourcesBySize.get(label)));
    }

    /** One Gatling run: K concurrent uploads of {@code size} through nginx, each verified by SHA-256, then cleaned up. */
    private void proxiedSize(
            Series v,
            Profile.Settings settings,
            Profile.Step step,
            long size,
            String expected,
            Optional<ObjectStore> store) {
        String label = Sizes.format(size);
        run.out.accept(
                "large-upload " + label + " through nginx " + v.name + ": " + step.users() + " concurrent uploads");
        LoadContext ctx = new LoadContext(v.target.endpoints(), settings, step, "", v.recorder, run.deadlineNanos);
        ctx.data.put("size", size);
        LoadContext.publish(ctx);
        run.resetPeak();
        ResourceSampler.Window window = run.sampler.open();
        try {
            GatlingLauncher.Outcome g = GatlingLauncher.run(
                    LargeUploadSimulation.class,
                    run.gatlingDir.resolve("large-upload-" + v.name + "-" + label),
                    "large-upload " + v.name + " " + label);
            v.resourcesBySize.put(label, run.sampler.close(window));
            v.peakRssMiBBySize.put(label, run.readPeak());
            v.gatlingReports.put(label, g.reportDir().resolve("index.html").toString());
            for (LoadContext.Upload u : ctx.uploads) {
                v.results.add(LoadRun.verified(ctx, u, size, expected, store));
            }
            for (int missing = ctx.uploads.size(); missing < step.users(); missing++) {
                String why = "no outcome within the run's time bound (Gatling exit code " + g.exitCode() + ")";
                v.results.add(new UploadResults.Transfer(size, "did not end", why, false, 0, 0));
                v.recorder.record("PUT artifact " + label, "did not end", -1);
            }
        } finally {
            run.cleanup(ctx, store);
        }
        v.stopped = !v.results.allOk(size);
        run.out.accept("  -> " + LoadConsole.describeSize(v.results.bySize().get(label)) + ", harness peak RSS "
                + v.peakRssMiBBySize.get(label) + " MiB");
        if (v.resourcesBySize.containsKey(label)) {
            run.out.accept("     " + LoadConsole.describeUsage(v.resourcesBySize.get(label)));
        }
    }

    /** The report of one destination, its SLO breaches and, for a variant, its ratio to {@code direct}. */
    private Destination seriesSummary(Series v, Series direct, Profile.Settings settings) {
        double peak = v.peakRssMiBBySize.values().stream()
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(-1);
        if (v.results.corrupted() > 0) {
            run.failures.add(new Failure(
                    Failure.Kind.INTEGRITY,
                    v.what + ": " + v.results.corrupted()
                            + " acknowledged upload(s) not stored as sent (SHA-256 differs or object missing)"));
        }
        v.peakRssMiBBySize.forEach((label, mib) -> {
            if (Sizes.parse(label) >= 1L << 30 && (mib > MEMORY_LIMIT_MIB || mib < 0)) {
                run.failures.add(new Failure(
                        Failure.Kind.PERFORMANCE,
                        v.what + ": harness peak memory while uploading " + label + ": threshold <= " + MEMORY_LIMIT_MIB
                                + " MiB, measured "
                                + (mib < 0 ? "nothing (/proc/self/status unreadable)" : mib + " MiB")));
            }
        });
        Long ratioSize = null;
        Map<String, Double> ratios = null;
        OrText<Double> ratio = null;
        if (direct != null) {
            ratios = new LinkedHashMap<>();
            for (String label : v.peakRssMiBBySize.keySet()) {
                long size = Sizes.parse(label);
                if (v.results.allOk(size) && direct.results.allOk(size)) {
                    ratios.put(
                            label,
                            Throughput.round2(Throughput.ratio(
                                    v.results.aggregateMbps(size), direct.results.aggregateMbps(size))));
                    ratioSize = size;
                }
            }
            ratio = ratioSize == null ? OrText.text("n/a") : OrText.of(ratios.get(Sizes.format(ratioSize)));
        }
        long largest = v.results.largestOk();
        List<Slo.Breach> breaches = new ArrayList<>();
        if (v.results.transfers().isEmpty()) {
            breaches.add(new Slo.Breach(v.what + " transfers", "> 0", "0 (no size was run)"));
        } else {
            double mbps = largest == 0 ? 0 : v.results.aggregateMbps(largest);
            Double measured = ratioSize == null
                    ? null
                    : Throughput.ratio(v.results.aggregateMbps(ratioSize), direct.results.aggregateMbps(ratioSize));
            breaches.addAll(settings.slo().checkMeasured(null, mbps, measured));
            breaches.addAll(settings.slo().checkLatency(0, 0, v.results.failedPct()));
        }
        FirstFailure firstFailure = v.results.firstFailure();
        run.out.accept(String.format(
                "%s: largest ok %s, next: %s%s, harness peak RSS %.1f MiB%s",
                v.what,
                Sizes.format(largest),
                LoadConsole.describeFailure(firstFailure),
                v.direct ? "" : ", ratio to direct " + ratio,
                peak,
                breaches.isEmpty() ? "" : "; SLO BREACHED: " + breaches));
        if (!breaches.isEmpty() && !run.profile.stopOnBreach()) {
            List<ResourceWindow> windows = new ArrayList<>(v.resourcesBySize.values());
            if (direct != null) {
                windows.addAll(direct.resourcesBySize.values());
            }
            ResourceWindow busiest = LoadRun.busiest(windows);
            run.failures.addAll(breaches.stream()
                    .map(b -> b.what().equals("error rate")
                            ? new Failure(Failure.Kind.PERFORMANCE, v.what + ": " + b)
                            : run.performance(v.what + ": " + b, busiest))
                    .toList());
        }
        return new Destination(
                v.results.bySize(),
                Sizes.format(largest),
                firstFailure == null ? OrText.text("none") : OrText.of(firstFailure),
                v.results.corrupted(),
                v.peakRssMiBBySize,
                v.resourcesBySize,
                peak,
                v.direct ? v.target.description().component("object-store") : null,
                v.direct
                        ? null
                        : v.target.endpoints().s3Access().isPresent()
                                ? "SHA-256 of the object read from S3"
                                : "SHA-256 of the download through MLflow",
                v.direct ? null : v.recorder.summary(),
                v.direct ? null : v.gatlingReports,
                v.direct ? null : v.target.description(),
                ratios,
                ratio,
                breaches.stream().map(Slo.Breach::toString).toList());
    }
}
