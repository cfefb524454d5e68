package org.mlflowharness.load;

import io.gatling.javaapi.core.Simulation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.load.simulations.LargeUploadSimulation;
import org.mlflowharness.load.simulations.MetricLoggingSimulation;
import org.mlflowharness.load.simulations.MixedSimulation;
import org.mlflowharness.load.simulations.ResilienceSimulation;
import org.mlflowharness.report.Failure;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.stack.ProxyFront;
import org.mlflowharness.model.ResourceProbe;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.stack.StackProvider;
import org.mlflowharness.client.Names;

/**
 * Runs the scenarios of a profile against a running stack, one Gatling run per step, verifies what the stack stored,
 * checks the SLOs, cleans up, and returns the {@code load} section of the report with one verdict.
 */
public final class LoadRunner {

    /**
     * The load stage's report section, its failed checks and, when a scenario could not complete (the stack refused
     * every request, a Gatling run threw, a component went down), that error: the scenarios before it are reported.
     */
    public record Result(Map<String, Object> load, List<Failure> failures, Throwable error) {
        public boolean passed() {
            return failures.isEmpty() && error == null;
        }
    }

    static final double MEMORY_LIMIT_MIB = 512;
    private static final int WARM_UP_THREADS = 8;
    private static final int WARM_UP_RUNS_PER_THREAD = 5;
    private static final Duration WARM_UP_BOUND = Duration.ofSeconds(120);

    private final RunningStack stack;
    private final Profile profile;
    private final boolean keepData;
    private final Path gatlingDir;
    private final Consumer<String> out;
    private final StackProvider provider;
    private final Map<NginxVariant, ProxyFront> fronts = new LinkedHashMap<>();
    private final String fault;
    private final ResourceProbe resources;
    private ResourceSampler sampler;
    private final List<Failure> failures = new ArrayList<>();
    private final List<String> notRun = new ArrayList<>();
    private long deadlineNanos;
    private boolean warmedUp;
    private double scenarioPeakRssMiB = -1;
    private double runPeakRssMiB = -1;

    /**
     * @param provider {@code stack}'s provider: it puts another nginx variant in front of the stack ({@link StackProvider#addProxy}:
     *                 the profile's variant when the stack has another one, and each variant large-upload compares),
     *                 restarts components for the resilience scenario, and reads its components' CPU and memory
     *                 ({@link StackProvider#resources}), sampled per step with the harness's own
     */
    public LoadRunner(RunningStack stack, Profile profile, boolean keepData, Path gatlingDir, Consumer<String> out,
                      StackProvider provider, String fault) {
        MetricRowFault.parse(fault);
        this.stack = stack;
        this.profile = profile;
        this.keepData = keepData;
        this.gatlingDir = gatlingDir;
        this.out = out;
        this.provider = provider;
        this.fault = fault == null ? "" : fault;
        this.resources = provider.resources();
    }

    public Result run(List<ScenarioKind> kinds) {
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("profile", profile.name());
        load.put("description", profile.description());
        load.put("onBreach", profile.stopOnBreach() ? "stop (capacity: breaches are findings)" : "fail");
        Map<String, Object> scenarios = new LinkedHashMap<>();
        load.put("scenarios", scenarios);
        load.put("resources", resources.available() ? Map.of("source", resources.source(), "sampledEverySeconds", 1)
                : Map.of("notSampled", "stack components' CPU and memory not sampled: " + resources.source()
                + "; the harness's own and the machine's are"));
        out.accept("load profile " + profile);
        double minutes = profile.maxMinutes() + (kinds.contains(ScenarioKind.RESILIENCE)
                ? profile.settings(ScenarioKind.RESILIENCE).resilience().maxMinutes() : 0);
        deadlineNanos = System.nanoTime() + (long) (minutes * 60e9);
        Throwable error = null;
        try (ResourceSampler sampling = new ResourceSampler(resources)) {
            sampler = sampling;
            for (ScenarioKind kind : kinds) {
                Profile.Settings settings = profile.settings(kind);
                scenarioPeakRssMiB = -1;
                resetPeak();
                try {
                    StackGuard.check();
                    Map<String, Object> r = switch (kind) {
                        case METRIC_LOGGING -> stepped(kind, settings, MetricLoggingSimulation.class);
                        case MIXED -> stepped(kind, settings, MixedSimulation.class);
                        case LARGE_UPLOAD -> largeUpload(settings, true);
                        case DIRECT_S3 -> largeUpload(settings, false);
                        case RESILIENCE -> resilience(settings);
                    };
                    readPeak();
                    r.put("harnessPeakRssMiB", scenarioPeakRssMiB);
                    scenarios.put(kind.id(), r);
                } catch (Exception | AssertionError e) {   // the scenario could not complete (rest-assured lets IOExceptions through unchecked)
                    error = e;
                    String why = e.getClass().getSimpleName() + ": " + e.getMessage();
                    out.accept("  " + kind.id() + " could not complete: " + why);
                    scenarios.put(kind.id(), Map.of("error", why));
                    break;
                }
            }
        } finally {
            sampler = null;
            fronts.values().forEach(ProxyFront::close);
            fronts.clear();
        }
        load.put("harnessPeakRssMiB", runPeakRssMiB);
        load.put("notRun", notRun);
        List<Failure> failed = failures.stream().map(f -> new Failure(f.kind(), "load " + f.text())).toList();
        load.put("failures", failed.stream().map(Failure::line).toList());
        load.put("verdict", error != null ? "ERROR" : failed.isEmpty() ? "PASSED" : "FAILED");
        return new Result(load, failed, error);
    }

    /** The harness's peak RSS since the last reset, folded into the scenario's and the run's peaks. */
    private double readPeak() {
        double p = MemoryProbe.peakRssMiB();
        scenarioPeakRssMiB = Math.max(scenarioPeakRssMiB, p);
        runPeakRssMiB = Math.max(runPeakRssMiB, p);
        return p;
    }

    /** Starts a new peak interval (the peak so far is kept in the scenario's and the run's peaks). */
    private void resetPeak() {
        readPeak();
        MemoryProbe.resetPeak();
    }

    /**
     * The stack seen through nginx {@code variant}: the stack itself when it has that variant, else another nginx in
     * front of it (started once, stopped at the end of the run). Empty, with the reason in {@code whyNot}, when the
     * provider cannot add one or the added nginx does not start.
     */
    private Optional<RunningStack> through(NginxVariant variant, List<String> whyNot) {
        if (variant == stack.description().nginxVariant()) {
            return Optional.of(stack);
        }
        try {
            ProxyFront front = fronts.get(variant);
            if (front == null) {
                out.accept("starting another nginx (" + variant.id() + ") in front of the same MLflow ...");
                front = provider.addProxy(variant);
                fronts.put(variant, front);
            }
            return Optional.of(front.stack());
        } catch (RuntimeException e) {
            whyNot.add(e.getMessage());
            return Optional.empty();
        }
    }

    /** The profile's nginx variant when the stack can be reached through it, else the stack as it is (with a note). */
    private RunningStack primary(Map<String, Object> result) {
        List<String> whyNot = new ArrayList<>();
        RunningStack target = through(profile.nginxVariant(), whyNot).orElse(stack);
        if (!whyNot.isEmpty()) {
            String note = "ran through nginx " + stack.description().nginxVariant().id() + ", not the profile's "
                    + profile.nginxVariant().id() + ": " + whyNot.get(0);
            out.accept("  " + note);
            result.put("nginxVariantNote", note);
        }
        return target;
    }

    /**
     * Once per run, before the first measured step: concurrent runs with a log-batch and a history read each, through
     * nginx, so that MLflow's workers have opened their database connections; a cold first request is not a finding.
     */
    private String warmUp(RunningStack target) {
        if (warmedUp) {
            return "done before an earlier scenario";
        }
        warmedUp = true;
        long t0 = System.nanoTime();
        MlflowClient client = new MlflowClient(target.endpoints());
        String exp = client.createExperiment(Names.unique("load-warmup"));
        ExecutorService pool = Executors.newFixedThreadPool(WARM_UP_THREADS);
        List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
        long deadline = t0 + WARM_UP_BOUND.toNanos();
        boolean cut = false;
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < WARM_UP_THREADS; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < WARM_UP_RUNS_PER_THREAD && !Thread.currentThread().isInterrupted(); i++) {
                        try {
                            String run = client.createRun(exp).getString("run_id");
                            client.logBatch(run, List.of(MlflowClient.metric("warm-up", i, System.currentTimeMillis(), i)), List.of(), List.of());
                            client.metricHistory(run, "warm-up");
                            ok.incrementAndGet();
                        } catch (RuntimeException | AssertionError e) { // not measured: a cold stack's failure is noted, not fatal
                            failed.add(String.valueOf(e.getMessage()).strip().replaceAll("\\s+", " "));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("load warm-up failed: " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            cut = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
            if (!keepData) {
                client.deleteExperiment(exp);
            }
        }
        int total = WARM_UP_THREADS * WARM_UP_RUNS_PER_THREAD;
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (ok.get() == 0) {
            throw new IllegalStateException(String.format("load warm-up failed: no run of %d succeeded in %.0f s%s", total, seconds,
                    failed.isEmpty() ? " (none answered)" : "; " + failed.size() + " failed, first: " + failed.get(0)));
        }
        String what = String.format("%d of %d runs by %d concurrent clients through nginx in %.1f s (not measured)%s%s", ok.get(),
                total, WARM_UP_THREADS, seconds, cut ? "; cut at the warm-up's bound of " + WARM_UP_BOUND.toSeconds() + " s" : "",
                failed.isEmpty() ? "" : "; " + failed.size() + " failed (the stack was not warm yet); first: "
                        + (failed.get(0).length() > 200 ? failed.get(0).substring(0, 200) + "..." : failed.get(0)));
        out.accept("warm-up: " + what);
        return what;
    }

    private boolean outOfTime(String what) {
        if (System.nanoTime() > deadlineNanos) {
            String msg = what + " not run: the profile's time budget of " + profile.maxMinutes() + " min is used up";
            out.accept("  " + msg);
            notRun.add(msg);
            if (!profile.stopOnBreach()) {
                failures.add(new Failure(Failure.Kind.PERFORMANCE, msg));
            }
            return true;
        }
        return false;
    }

    /** metric-logging and mixed: one Gatling run per step, stopping at the first breach in capacity mode. */
    private Map<String, Object> stepped(ScenarioKind kind, Profile.Settings settings, Class<? extends Simulation> sim) {
        Map<String, Object> result = new LinkedHashMap<>();
        List<Map<String, Object>> steps = new ArrayList<>();
        RunningStack target = primary(result);
        result.put("slo", settings.slo().asMap());
        result.put("stack", target.description());
        result.put("warmUp", warmUp(target));
        result.put("steps", steps);
        Map<String, Object> best = null;
        Optional<ObjectStore> store = target.endpoints().s3Access().map(ObjectStore::new);
        try {
            for (int i = 0; i < settings.steps().size(); i++) {
                Profile.Step step = settings.steps().get(i);
                StackGuard.check();
                if (outOfTime(kind.id() + " step " + (i + 1))) {
                    break;
                }
                out.accept(String.format("%s step %d/%d: %d users at %.1f iterations/s each for %d s", kind.id(), i + 1,
                        settings.steps().size(), step.users(), step.rate(), settings.durationSeconds()));
                LoadContext ctx = new LoadContext(target.endpoints(), settings, step, Names.prefix(), new RequestRecorder(), deadlineNanos);
                LoadContext.publish(ctx);
                Map<String, Object> s = new LinkedHashMap<>();
                List<Slo.Breach> breaches = new ArrayList<>();
                List<Slo.Breach> integrityBreaches = new ArrayList<>();
                try {
                    s.put("users", step.users());
                    s.put("rate", step.rate());
                    if (kind == ScenarioKind.METRIC_LOGGING) {
                        s.put("offeredPointsPerSecond", step.users() * step.rate() * (settings.batchSize() + 1));
                    }
                    ResourceSampler.Window window = sampler.open();
                    GatlingLauncher.Outcome g = GatlingLauncher.run(sim, gatlingDir.resolve(kind.id() + "-step" + (i + 1)), kind.id());
                    Map<String, Object> usage = sampler.close(window);
                    s.put("resources", usage);
                    Map<String, Object> summary = ctx.recorder.summary();
                    s.put("gatlingExitCode", g.exitCode());
                    s.put("gatlingReport", g.reportDir().resolve("index.html").toString());
                    s.put("requests", summary);
                    long acknowledged = ctx.ledger.runs().stream()
                            .mapToLong(r -> ctx.ledger.acknowledged(r).values().stream().mapToLong(Integer::longValue).sum()).sum();
                    double seconds = ((Number) summary.get("wallSeconds")).doubleValue();
                    if (kind == ScenarioKind.METRIC_LOGGING) {
                        s.put("acknowledgedPointsPerSecond", seconds > 0 ? Throughput.round2(acknowledged / seconds) : 0);
                    }
                    injectFault(ctx, s);
                    MetricVerifier.Result integrity = new MetricVerifier(LoadVerification.history(ctx.client),
                            LoadVerification.rows(stack.endpoints())).verify(ctx.ledger);
                    s.put("integrity", integrity.asMap());
                    breaches.addAll(settings.slo().checkLatency(
                            ((Number) summary.get("p95Ms")).doubleValue(), ((Number) summary.get("p99Ms")).doubleValue(),
                            ((Number) summary.get("errorPct")).doubleValue()));
                    integrityBreaches.addAll(settings.slo().checkMeasured(integrity.integrityErrors(), null, null));
                    if (((Number) summary.get("requests")).longValue() == 0) {
                        integrityBreaches.add(new Slo.Breach("requests sent", "> 0", "0 (the scenario did not run: see Gatling's output above)"));
                    }
                    if (kind == ScenarioKind.METRIC_LOGGING && ctx.ledger.runs().size() < step.users()) {
                        integrityBreaches.add(new Slo.Breach("training jobs that created their run", "= " + step.users(),
                                String.valueOf(ctx.ledger.runs().size())));
                    }
                    breaches.addAll(integrityBreaches);
                    if (g.exitCode() != 0 && breaches.isEmpty()) {
                        breaches.add(new Slo.Breach("Gatling run", "exit code 0", "exit code " + g.exitCode()
                                + (g.assertionsFailed() ? " (assertions failed)" : g.exitCode() == GatlingLauncher.NO_REQUESTS
                                ? " (no request completed within the run's time bound)" : " (crashed)") + ": see Gatling's output above"));
                    }
                    s.put("breaches", breaches.stream().map(Slo.Breach::toString).toList());
                    s.put("metSlo", breaches.isEmpty());
                    out.accept(String.format("  -> %s requests, p95 %s ms, p99 %s ms, errors %s %%, acknowledged %d, stored %d, lost %d, duplicated %d, 503s %d%s",
                            summary.get("requests"), summary.get("p95Ms"), summary.get("p99Ms"), summary.get("errorPct"),
                            integrity.acknowledged(), integrity.stored(), integrity.lost(), integrity.duplicated(), integrity.unavailable503Requests(),
                            breaches.isEmpty() ? "; SLO met" : "; SLO BREACHED: " + breaches));
                    out.accept("     " + describeUsage(usage));
                } finally {
                    steps.add(s);
                    cleanup(ctx, store);
                }
                if (!integrityBreaches.isEmpty()) {
                    failures.add(new Failure(Failure.Kind.INTEGRITY, kind.id() + " step " + (i + 1) + ": " + integrityBreaches));
                }
                if (!breaches.isEmpty()) {
                    if (!profile.stopOnBreach()) {
                        String where = kind.id() + " step " + (i + 1) + ": ";
                        failures.addAll(breaches.stream().filter(b -> !integrityBreaches.contains(b))
                                .map(b -> new Failure(Failure.Kind.PERFORMANCE, where + b)).toList());
                    }
                    break;
                }
                best = s;
            }
        } finally {
            store.ifPresent(ObjectStore::close);
        }
        result.put("highestStepMeetingSlo", best == null ? "none" : Map.of("users", best.get("users"), "rate", best.get("rate"),
                "offeredPointsPerSecond", best.getOrDefault("offeredPointsPerSecond", "n/a"),
                "throughputRps", ((Map<?, ?>) best.get("requests")).get("throughputRps")));
        return result;
    }

    private void injectFault(LoadContext ctx, Map<String, Object> s) {
        MetricRowFault.parse(fault).ifPresent(f -> {
            int deleted = LoadVerification.deleteMetricRows(stack.endpoints(), new ArrayList<>(ctx.ledger.runs()), f.rows());
            out.accept("  fault injected: deleted " + deleted + " metric rows via JDBC before verification");
            s.put("faultInjected", "deleted " + deleted + " metric rows via JDBC before verification");
        });
    }

    /** The transfers to one destination (the store directly, or one nginx variant) over the ascending sizes. */
    private static final class Series {
        final String name;
        final String what;
        final RunningStack target;
        final boolean direct;
        final UploadResults results = new UploadResults();
        final RequestRecorder recorder = new RequestRecorder();
        final Map<String, Object> peakRssMiBBySize = new LinkedHashMap<>();
        final Map<String, Object> gatlingReports = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> resourcesBySize = new LinkedHashMap<>();
        boolean stopped;

        Series(String name, String what, RunningStack target, boolean direct) {
            this.name = name;
            this.what = what;
            this.target = target;
            this.direct = direct;
        }
    }

    /**
     * large-upload (per nginx variant, plus the direct baseline) or the direct baseline alone. Sizes run in ascending
     * order and, per size, the direct baseline first and then each variant, so each ratio compares transfers made
     * close together. A destination stops at its first size where an upload failed; that failure is its finding.
     */
    private Map<String, Object> largeUpload(Profile.Settings settings, boolean proxied) {
        Map<String, Object> result = new LinkedHashMap<>();
        Profile.Step step = settings.steps().get(0);
        List<Long> sizes = settings.sizes().stream().sorted().toList();
        result.put("users", step.users());
        result.put("sizes", sizes.stream().map(Profile::formatSize).toList());
        result.put("order", "per size (ascending): direct-s3, then each nginx variant; " + step.users() + " concurrent uploads each");
        result.put("slo", settings.slo().asMap());
        Optional<ObjectStore> store = stack.endpoints().s3Access().map(ObjectStore::new);
        try {
            Series direct = store.isPresent() ? new Series("direct-s3", "direct-s3", stack, true) : null;
            if (direct == null) {
                String msg = "direct-s3 not run: the stack gives no S3 access (set HARNESS_S3_* for an external stack)";
                result.put("direct", msg);
                notRun.add(msg);
                if (!proxied) {
                    failures.add(new Failure(Failure.Kind.FUNCTIONAL, msg));
                }
            }
            Map<String, Object> byVariant = new LinkedHashMap<>();
            List<Series> variants = new ArrayList<>();
            if (proxied && settings.nginxVariants().isEmpty()) {
                RunningStack t = primary(result);
                variants.add(new Series(t.description().nginxVariant().id(), "large-upload " + t.description().nginxVariant().id(), t, false));
            } else if (proxied) {
                for (NginxVariant v : settings.nginxVariants()) {
                    List<String> whyNot = new ArrayList<>();
                    through(v, whyNot).ifPresentOrElse(t -> variants.add(new Series(v.id(), "large-upload " + v.id(), t, false)), () -> {
                        String msg = "large-upload " + v.id() + " not run: " + whyNot.get(0);
                        byVariant.put(v.id(), msg);
                        notRun.add(msg);
                        if (!profile.stopOnBreach()) {
                            failures.add(new Failure(Failure.Kind.FUNCTIONAL, msg));
                        }
                    });
                }
            }
            String prefix = Names.unique("load-direct");
            for (long size : sizes) {
                StackGuard.check();
                if (outOfTime("large-upload " + Profile.formatSize(size))) {
                    break;
                }
                String expected = DeterministicContent.sha256(size, size);
                if (direct != null && !direct.stopped) {
                    directSize(direct, new DirectS3Baseline(store.get(), prefix), size, expected, step.users(),
                            LoadContext.within(Duration.ofSeconds(settings.timeoutSeconds()), deadlineNanos).toSeconds());
                }
                for (Series v : variants) {
                    if (!v.stopped) {
                        proxiedSize(v, settings, step, size, expected, store);
                    }
                }
            }
            if (direct != null) {
                result.put("direct", seriesSummary(direct, null, settings));
            }
            if (proxied) {
                for (Series v : variants) {
                    byVariant.put(v.name, seriesSummary(v, direct, settings));
                }
                result.put("proxied", byVariant);
            }
        } finally {
            store.ifPresent(ObjectStore::close);
        }
        return result;
    }

    private void directSize(Series direct, DirectS3Baseline baseline, long size, String expected, int users, long timeoutSeconds) {
        String label = Profile.formatSize(size);
        out.accept("direct-s3 " + label + ": " + users + " concurrent uploads");
        resetPeak();
        ResourceSampler.Window window = sampler.open();
        try {
            direct.stopped = !baseline.run(size, expected, users, timeoutSeconds, direct.results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            direct.stopped = true;
        } finally {
            direct.resourcesBySize.put(label, sampler.close(window));
        }
        direct.peakRssMiBBySize.put(label, readPeak());
        out.accept("  -> " + describeSize(direct.results.bySize().get(label)) + ", harness peak RSS " + direct.peakRssMiBBySize.get(label) + " MiB");
        out.accept("     " + describeUsage(direct.resourcesBySize.get(label)));
    }

    /** One Gatling run: K concurrent uploads of {@code size} through nginx, each verified by SHA-256, then cleaned up. */
    private void proxiedSize(Series v, Profile.Settings settings, Profile.Step step, long size, String expected, Optional<ObjectStore> store) {
        String label = Profile.formatSize(size);
        out.accept("large-upload " + label + " through nginx " + v.name + ": " + step.users() + " concurrent uploads");
        LoadContext ctx = new LoadContext(v.target.endpoints(), settings, step, "", v.recorder, deadlineNanos);
        ctx.data.put("size", size);
        LoadContext.publish(ctx);
        resetPeak();
        ResourceSampler.Window window = sampler.open();
        try {
            GatlingLauncher.Outcome g = GatlingLauncher.run(LargeUploadSimulation.class,
                    gatlingDir.resolve("large-upload-" + v.name + "-" + label), "large-upload " + v.name + " " + label);
            v.resourcesBySize.put(label, sampler.close(window));
            v.peakRssMiBBySize.put(label, readPeak());
            v.gatlingReports.put(label, g.reportDir().resolve("index.html").toString());
            for (LoadContext.Upload u : ctx.uploads) {
                v.results.add(verified(ctx, u, size, expected, store));
            }
            for (int missing = ctx.uploads.size(); missing < step.users(); missing++) {
                String why = "no outcome within the run's time bound (Gatling exit code " + g.exitCode() + ")";
                v.results.add(new UploadResults.Transfer(size, "did not end", why, false, 0, 0));
                v.recorder.record("PUT artifact " + label, "did not end", -1);
            }
        } finally {
            cleanup(ctx, store);
        }
        v.stopped = !v.results.allOk(size);
        out.accept("  -> " + describeSize(v.results.bySize().get(label)) + ", harness peak RSS " + v.peakRssMiBBySize.get(label) + " MiB");
        if (v.resourcesBySize.containsKey(label)) {
            out.accept("     " + describeUsage(v.resourcesBySize.get(label)));
        }
    }

    /**
     * An upload as the stack kept it: one acknowledged (200) is verified by the SHA-256 of the object at the run's key
     * (or, without S3 access, of a download through MLflow); one that failed keeps its outcome and reason.
     */
    private static UploadResults.Transfer verified(LoadContext ctx, LoadContext.Upload u, long size, String expected, Optional<ObjectStore> store) {
        String detail = u.error();
        boolean verified = false;
        if (u.acknowledged()) {
            String name = u.path().substring(u.path().lastIndexOf('/') + 1);
            Optional<String> got = store.isPresent()
                    ? store.get().sha256(store.get().keyFor(u.experimentId(), u.runId(), name))
                    : Optional.of(ctx.client.artifacts().download(u.path()).sha256());
            verified = got.filter(expected::equals).isPresent();
            detail = got.isEmpty() ? "acknowledged, but no object at the run's key" : verified ? null : "stored SHA-256 " + got.get();
        }
        String outcome = u.status() == null ? RequestRecorder.noResponse(u.error()) : String.valueOf(u.status());
        return new UploadResults.Transfer(size, outcome, detail, verified, u.startNanos(), u.endNanos());
    }

    /**
     * resilience: one Gatling run of steady metric logging and uploads through the stack's own nginx while the
     * {@link FaultInjector} restarts components in turn; then, per fault, the error window, failures by class, time to
     * ready and to serving again, and a timeline ({@link FaultReport}); then the integrity check over everything: every
     * acknowledged metric point stored exactly once, every acknowledged upload stored intact.
     */
    private Map<String, Object> resilience(Profile.Settings settings) {
        Profile.Resilience plan = settings.resilience();
        Profile.Step step = settings.steps().get(0);
        long size = settings.sizes().get(0);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("load", Map.of("trainingJobs", step.users(), "iterationsPerSecond", step.rate(), "batchSize", settings.batchSize(),
                "uploadUsers", plan.uploadUsers(), "uploadsPerSecond", plan.uploadRate(), "uploadSize", Profile.formatSize(size)));
        result.put("plan", plan.faults().stream().map(f -> f.label() + " at +" + f.atSeconds() + " s, outage " + f.outageSeconds() + " s").toList());
        result.put("recoverySeconds", plan.recoverySeconds());
        result.put("stack", stack.description());
        if (profile.nginxVariant() != stack.description().nginxVariant()) {
            result.put("nginxVariantNote", "ran through the stack's own nginx (" + stack.description().nginxVariant().id()
                    + "), the one the faults restart, not the profile's " + profile.nginxVariant().id());
        }
        result.put("warmUp", warmUp(stack));
        LoadContext ctx = new LoadContext(stack.endpoints(), settings, step, Names.prefix(), new RequestRecorder(), deadlineNanos);
        LoadContext.publish(ctx);
        MlflowClient client = ctx.client;
        FaultInjector faults = new FaultInjector(provider, plan, ctx, () -> serves(client, ctx), out);
        Thread injector = new Thread(faults, "harness-faults");
        Optional<ObjectStore> store = stack.endpoints().s3Access().map(ObjectStore::new);
        try {
            injector.start();
            GatlingLauncher.Outcome g;
            try {
                g = GatlingLauncher.run(ResilienceSimulation.class, gatlingDir.resolve("resilience"), "resilience");
            } finally {
                faults.cancel();
                join(injector);
            }
            long end = System.nanoTime();
            result.put("gatlingReport", g.reportDir().resolve("index.html").toString());
            Map<String, Object> requests = ctx.recorder.summary();
            result.put("requests", requests);
            List<RequestRecorder.Event> events = ctx.recorder.events();
            List<FaultInjector.Outcome> outcomes = faults.outcomes();
            List<Map<String, Object>> perFault = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                long windowEnd = i + 1 < outcomes.size() ? outcomes.get(i + 1).startNanos() : end;
                Map<String, Object> f = FaultReport.of(outcomes.get(i), faults.originNanos(), windowEnd, events, plan.recoverySeconds());
                out.accept(FaultReport.line(f));
                perFault.add(f);
                FaultInjector.Outcome o = outcomes.get(i);
                if (o.error() != null) {
                    failures.add(new Failure(Failure.Kind.FUNCTIONAL, "resilience " + o.plan().label() + ": " + o.error()));
                } else if (o.servesNanos() == 0) {
                    failures.add(new Failure(Failure.Kind.FUNCTIONAL, "resilience " + o.plan().label()
                            + ": the stack did not serve again within " + plan.recoverySeconds() + " s"));
                }
            }
            result.put("faults", perFault);
            long before = faults.originNanos() == 0 ? end : outcomes.isEmpty() ? end : outcomes.get(0).startNanos();
            result.put("failedBeforeTheFirstFault", events.stream().filter(e -> e.endNanos() < before && !e.ok()).count());
            int notRun = plan.faults().size() - outcomes.size();
            if (notRun > 0 && outcomes.stream().allMatch(o -> o.error() == null && o.servesNanos() != 0)) {
                String why = faults.originNanos() == 0 || ctx.recorder.okRequests() == 0 ? "the load never got a request acknowledged"
                        : "the scenario's time bound (maxMinutes " + plan.maxMinutes() + ") ended first";
                failures.add(new Failure(Failure.Kind.FUNCTIONAL, "resilience: " + notRun + " of " + plan.faults().size()
                        + " fault(s) not applied: " + why));
            }
            injectFault(ctx, result);
            MetricVerifier.Result metrics = new MetricVerifier(LoadVerification.history(client), LoadVerification.rows(stack.endpoints()))
                    .verify(ctx.ledger);
            String expected = DeterministicContent.sha256(size, size);
            UploadResults uploads = new UploadResults();
            ctx.uploads.forEach(u -> uploads.add(verified(ctx, u, size, expected, store)));
            Map<String, Object> integrity = new LinkedHashMap<>();
            integrity.put("metricPoints", metrics.asMap());
            Map<String, Object> up = new LinkedHashMap<>();
            up.put("sent", uploads.transfers().size());
            up.put("acknowledged", uploads.transfers().stream().filter(t -> "200".equals(t.outcome())).count());
            up.put("acknowledgedButNotStoredIntact", uploads.corrupted());
            up.put("bySize", uploads.bySize());
            uploads.transfers().stream().filter(t -> "200".equals(t.outcome()) && !t.verified()).findFirst()
                    .ifPresent(t -> up.put("example", t.detail()));
            integrity.put("uploads", up);
            result.put("integrity", integrity);
            out.accept(String.format("  -> metric points: acknowledged %d, stored %d, lost %d, duplicated %d, failed but stored %d; "
                            + "uploads: %d sent, %s acknowledged, %d acknowledged but not stored intact", metrics.acknowledged(),
                    metrics.stored(), metrics.lost(), metrics.duplicated(), metrics.unacknowledgedStored(), uploads.transfers().size(),
                    up.get("acknowledged"), uploads.corrupted()));
            List<Slo.Breach> lost = settings.slo().checkMeasured(metrics.integrityErrors(), null, null);
            if (!lost.isEmpty()) {
                failures.add(new Failure(Failure.Kind.INTEGRITY, "resilience: " + metrics.lost() + " acknowledged metric point(s) lost and "
                        + metrics.duplicated() + " duplicated of " + metrics.acknowledged() + " acknowledged (" + lost.get(0) + ")"));
            }
            if (uploads.corrupted() > 0) {
                failures.add(new Failure(Failure.Kind.INTEGRITY, "resilience: " + uploads.corrupted() + " acknowledged upload(s) of "
                        + up.get("acknowledged") + " not stored intact (SHA-256 differs or object missing)"));
            }
            if (metrics.acknowledged() == 0) {
                failures.add(new Failure(Failure.Kind.FUNCTIONAL, "resilience: no metric point was acknowledged, so nothing was verified"));
            }
        } finally {
            cleanup(ctx, store);
            store.ifPresent(ObjectStore::close);
        }
        return result;
    }

    /** The whole path serves: a database read through MLflow and an artifact listing (the store) through nginx. */
    private static boolean serves(MlflowClient client, LoadContext ctx) {
        Object exp = ctx.data.get("experimentId");
        Duration t = Duration.ofSeconds(5);
        return exp != null && client.status(MlflowClient.API + "/experiments/get?experiment_id=" + exp, t) == 200
                && client.status(MlflowClient.ARTIFACTS + "?path=" + exp, t) == 200;
    }

    /** Waits for a thread that finishes a fault (its restart is bounded by the component's start timeout). */
    private static void join(Thread t) {
        try {
            t.join(Duration.ofMinutes(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The report of one destination, its SLO breaches and, for a variant, its ratio to {@code direct}. */
    private Map<String, Object> seriesSummary(Series v, Series direct, Profile.Settings settings) {
        Map<String, Object> m = uploadSummary(v.results);
        m.put("harnessPeakRssMiBBySize", v.peakRssMiBBySize);
        m.put("resourcesBySize", v.resourcesBySize);
        double peak = v.peakRssMiBBySize.values().stream().mapToDouble(x -> ((Number) x).doubleValue()).max().orElse(-1);
        m.put("harnessPeakRssMiB", peak);
        if (v.results.corrupted() > 0) {
            failures.add(new Failure(Failure.Kind.INTEGRITY, v.what + ": " + v.results.corrupted()
                    + " acknowledged upload(s) not stored as sent (SHA-256 differs or object missing)"));
        }
        v.peakRssMiBBySize.forEach((label, p) -> {
            double mib = ((Number) p).doubleValue();
            if (Profile.parseSize(label) >= 1L << 30 && (mib > MEMORY_LIMIT_MIB || mib < 0)) {
                failures.add(new Failure(Failure.Kind.PERFORMANCE, v.what + ": harness peak memory while uploading " + label
                        + ": threshold <= " + MEMORY_LIMIT_MIB + " MiB, measured " + (mib < 0 ? "nothing (/proc/self/status unreadable)" : mib + " MiB")));
            }
        });
        if (v.direct) {
            m.put("store", v.target.description().component("object-store"));
        } else {
            m.put("verifiedBy", v.target.endpoints().s3Access().isPresent() ? "SHA-256 of the object read from S3" : "SHA-256 of the download through MLflow");
            m.put("requests", v.recorder.summary());
            m.put("gatlingReports", v.gatlingReports);
            m.put("stack", v.target.description());
        }
        Long ratioSize = null;
        if (direct != null) {
            Map<String, Object> ratios = new LinkedHashMap<>();
            for (String label : v.peakRssMiBBySize.keySet()) {
                long size = Profile.parseSize(label);
                if (v.results.allOk(size) && direct.results.allOk(size)) {
                    ratios.put(label, Throughput.round2(Throughput.ratio(v.results.aggregateMbps(size), direct.results.aggregateMbps(size))));
                    ratioSize = size;
                }
            }
            m.put("proxiedToDirectRatioBySize", ratios);
            m.put("proxiedToDirectRatio", ratioSize == null ? "n/a" : ratios.get(Profile.formatSize(ratioSize)));
        }
        long largest = v.results.largestOk();
        List<Slo.Breach> breaches = new ArrayList<>();
        if (v.results.transfers().isEmpty()) {
            breaches.add(new Slo.Breach(v.what + " transfers", "> 0", "0 (no size was run)"));
        } else {
            double mbps = largest == 0 ? 0 : v.results.aggregateMbps(largest);
            Double ratio = ratioSize == null ? null : Throughput.ratio(v.results.aggregateMbps(ratioSize), direct.results.aggregateMbps(ratioSize));
            breaches.addAll(settings.slo().checkMeasured(null, mbps, ratio));
            breaches.addAll(settings.slo().checkLatency(0, 0, v.results.failedPct()));
        }
        m.put("breaches", breaches.stream().map(Slo.Breach::toString).toList());
        out.accept(String.format("%s: largest ok %s, next: %s%s, harness peak RSS %.1f MiB%s", v.what,
                Profile.formatSize(largest), describeFailure(m.get("firstFailure")), v.direct ? "" : ", ratio to direct " + m.get("proxiedToDirectRatio"),
                peak, breaches.isEmpty() ? "" : "; SLO BREACHED: " + breaches));
        if (!breaches.isEmpty() && !profile.stopOnBreach()) {
            failures.addAll(breaches.stream().map(b -> new Failure(Failure.Kind.PERFORMANCE, v.what + ": " + b)).toList());
        }
        return m;
    }

    private static Map<String, Object> uploadSummary(UploadResults r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bySize", r.bySize());
        m.put("largestOk", Profile.formatSize(r.largestOk()));
        Map<String, Object> ff = r.firstFailure();
        m.put("firstFailure", ff == null ? "none" : ff);
        m.put("corrupted", r.corrupted());
        return m;
    }

    /** One size's uploads in a few words: how many succeeded, aggregate and per-upload MB/s, how the others ended. */
    static String describeSize(Object bySize) {
        if (!(bySize instanceof Map<?, ?> m)) {
            return "no transfer";
        }
        StringBuilder b = new StringBuilder(m.get("ok") + "/" + m.get("transfers") + " ok");
        if (m.get("aggregateMBps") != null) {
            Map<?, ?> per = (Map<?, ?>) m.get("perTransferMBps");
            b.append(", ").append(m.get("aggregateMBps")).append(" MB/s aggregate (per upload ").append(per.get("min")).append(" to ")
                    .append(per.get("max")).append(" MB/s)");
        }
        Map<?, ?> outcomes = (Map<?, ?>) m.get("outcomes");
        outcomes.forEach((outcome, n) -> {
            if (!"ok".equals(outcome)) {
                b.append(", ").append(outcome).append(" x").append(n);
            }
        });
        return b.toString();
    }

    /** A destination's first failing size in a few words, or "none". */
    static String describeFailure(Object firstFailure) {
        if (!(firstFailure instanceof Map<?, ?> f)) {
            return String.valueOf(firstFailure);
        }
        StringBuilder b = new StringBuilder(f.get("size") + " failed (");
        ((Map<?, ?>) f.get("outcomes")).forEach((outcome, n) -> b.append(outcome).append(" x").append(n).append(", "));
        b.append("after ").append(f.get("afterSeconds")).append(" s");
        if (f.get("example") != null) {
            String e = String.valueOf(f.get("example"));
            b.append(": ").append(e.length() > 120 ? e.substring(0, 120) + "..." : e);
        }
        return b.append(')').toString();
    }

    /** One console line of a window's resource use: the machine's busy cores, then each component, the harness, the rest. */
    static String describeUsage(Map<String, Object> usage) {
        List<String> parts = new ArrayList<>();
        if (usage.get("components") instanceof Map<?, ?> components) {
            components.forEach((name, u) -> parts.add(name + " " + ((Map<?, ?>) u).get("cpuCores")));
        }
        parts.add(ResourceSampler.HARNESS + " " + ((Map<?, ?>) usage.get(ResourceSampler.HARNESS)).get("cpuCores"));
        Map<?, ?> machine = (Map<?, ?>) usage.get("machine");
        if (machine.containsKey("otherProcessesCores")) {
            parts.add("other processes " + machine.get("otherProcessesCores"));
        }
        return "CPU cores used: " + (machine.containsKey("busyCores") ? "machine " + machine.get("busyCores") + " of "
                + machine.get("cores") + " busy: " : "") + String.join(", ", parts);
    }

    /** Deletes what a Gatling run created (its experiments and their objects in {@code store}) unless --keep-data. */
    private void cleanup(LoadContext ctx, Optional<ObjectStore> store) {
        if (keepData) {
            out.accept("  keeping data: experiments " + ctx.experiments);
            return;
        }
        for (String e : ctx.experiments) {
            try {
                store.ifPresent(s -> s.deletePrefix(s.access().artifactRoot() + "/" + e + "/"));
                ctx.client.deleteExperiment(e);
            } catch (RuntimeException | AssertionError ex) {
                out.accept("  cleanup of experiment " + e + " failed: " + ex.getMessage());
            }
        }
    }
}
