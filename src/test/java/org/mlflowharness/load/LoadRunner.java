package org.mlflowharness.load;

import io.gatling.javaapi.core.Simulation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.load.simulations.LargeUploadSimulation;
import org.mlflowharness.load.simulations.MetricLoggingSimulation;
import org.mlflowharness.load.simulations.MixedSimulation;
import org.mlflowharness.stack.NginxVariant;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.suites.support.Names;

/**
 * Runs the scenarios of a profile against a running stack, one Gatling run per step, verifies what the stack stored,
 * checks the SLOs, cleans up, and returns the {@code load} section of the report with one verdict.
 */
public final class LoadRunner {

    /** Brings up another stack with a given nginx variant (large-upload runs against each variant the profile names). */
    public interface StackLauncher {
        Optional<Launched> start(NginxVariant variant);
    }

    /** A stack started for one variant; closing it stops it. */
    public record Launched(RunningStack stack, AutoCloseable stopper) {
    }

    /** The load stage's verdict and its report section. */
    public record Result(boolean passed, String reason, Map<String, Object> load) {
    }

    static final double MEMORY_LIMIT_MIB = 512;

    private final RunningStack stack;
    private final Profile profile;
    private final boolean keepData;
    private final Path gatlingDir;
    private final Consumer<String> out;
    private final StackLauncher launcher;
    private final String fault;
    private final List<String> failures = new ArrayList<>();
    private final long deadlineNanos;

    public LoadRunner(RunningStack stack, Profile profile, boolean keepData, Path gatlingDir, Consumer<String> out,
                      StackLauncher launcher, String fault) {
        this.stack = stack;
        this.profile = profile;
        this.keepData = keepData;
        this.gatlingDir = gatlingDir;
        this.out = out;
        this.launcher = launcher;
        this.fault = fault == null ? "" : fault;
        this.deadlineNanos = System.nanoTime() + (long) (profile.maxMinutes() * 60e9);
    }

    public Result run(List<ScenarioKind> kinds) {
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("profile", profile.name());
        load.put("description", profile.description());
        load.put("onBreach", profile.stopOnBreach() ? "stop (capacity: breaches are findings)" : "fail");
        Map<String, Object> scenarios = new LinkedHashMap<>();
        load.put("scenarios", scenarios);
        out.accept("load profile " + profile);
        for (ScenarioKind kind : kinds) {
            Profile.Settings settings = profile.settings(kind);
            MemoryProbe.resetPeak();
            Map<String, Object> r = switch (kind) {
                case METRIC_LOGGING -> stepped(kind, settings, MetricLoggingSimulation.class);
                case MIXED -> stepped(kind, settings, MixedSimulation.class);
                case LARGE_UPLOAD -> largeUpload(settings, true);
                case DIRECT_S3 -> largeUpload(settings, false);
            };
            r.put("harnessPeakRssMiB", MemoryProbe.peakRssMiB());
            scenarios.put(kind.id(), r);
        }
        load.put("harnessPeakRssMiB", MemoryProbe.peakRssMiB());
        load.put("failures", failures);
        boolean passed = failures.isEmpty();
        load.put("verdict", passed ? "PASSED" : "FAILED");
        return new Result(passed, passed ? null : "load: " + String.join("; ", failures), load);
    }

    private boolean outOfTime(String what) {
        if (System.nanoTime() > deadlineNanos) {
            String msg = what + " not run: the profile's time budget of " + profile.maxMinutes() + " min is used up";
            out.accept("  " + msg);
            if (!profile.stopOnBreach()) {
                failures.add(msg);
            }
            return true;
        }
        return false;
    }

    /** metric-logging and mixed: one Gatling run per step, stopping at the first breach in capacity mode. */
    private Map<String, Object> stepped(ScenarioKind kind, Profile.Settings settings, Class<? extends Simulation> sim) {
        Map<String, Object> result = new LinkedHashMap<>();
        List<Map<String, Object>> steps = new ArrayList<>();
        result.put("slo", settings.slo().asMap());
        result.put("stack", stack.description());
        result.put("steps", steps);
        Map<String, Object> best = null;
        for (int i = 0; i < settings.steps().size(); i++) {
            Profile.Step step = settings.steps().get(i);
            if (outOfTime(kind.id() + " step " + (i + 1))) {
                break;
            }
            out.accept(String.format("%s step %d/%d: %d users at %.1f iterations/s each for %d s", kind.id(), i + 1,
                    settings.steps().size(), step.users(), step.rate(), settings.durationSeconds()));
            LoadContext ctx = new LoadContext(stack.endpoints(), settings, step, Names.unique("").replaceAll("-\\d+-\\w+$", ""));
            LoadContext.publish(ctx);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("users", step.users());
            s.put("rate", step.rate());
            if (kind == ScenarioKind.METRIC_LOGGING) {
                s.put("offeredPointsPerSecond", step.users() * step.rate() * (settings.batchSize() + 1));
            }
            GatlingLauncher.Outcome g = GatlingLauncher.run(sim, gatlingDir.resolve(kind.id() + "-step" + (i + 1)), kind.id());
            Map<String, Object> summary = ctx.recorder.summary();
            s.put("gatlingExitCode", g.exitCode());
            s.put("gatlingReport", g.reportDir().resolve("index.html").toString());
            s.put("requests", summary);
            if (kind == ScenarioKind.METRIC_LOGGING) {
                double achieved = ctx.ledger.runs().stream().mapToLong(r -> ctx.ledger.acknowledged(r).size()).sum()
                        / Math.max(1.0, settings.durationSeconds());
                s.put("acknowledgedPointsPerSecond", Throughput.round2(achieved));
            }
            injectFault(ctx, s);
            MetricVerifier.Result integrity = new MetricVerifier(LoadVerification.history(ctx.client),
                    LoadVerification.rows(stack.endpoints())).verify(ctx.ledger);
            s.put("integrity", integrity.asMap());
            List<Slo.Breach> breaches = new ArrayList<>(settings.slo().checkLatency(
                    ((Number) summary.get("p95Ms")).doubleValue(), ((Number) summary.get("p99Ms")).doubleValue(),
                    ((Number) summary.get("errorPct")).doubleValue()));
            List<Slo.Breach> integrityBreaches = settings.slo().checkMeasured(integrity.integrityErrors(), null, null);
            breaches.addAll(integrityBreaches);
            if (g.assertionsFailed() && breaches.isEmpty()) {
                breaches.add(new Slo.Breach("Gatling assertions", "all pass", "failed (see Gatling's output above)"));
            }
            s.put("breaches", breaches.stream().map(Slo.Breach::toString).toList());
            s.put("metSlo", breaches.isEmpty());
            out.accept(String.format("  -> %s requests, p95 %s ms, p99 %s ms, errors %s %%, acknowledged %d, stored %d, lost %d, duplicated %d, 503s %d%s",
                    summary.get("requests"), summary.get("p95Ms"), summary.get("p99Ms"), summary.get("errorPct"),
                    integrity.acknowledged(), integrity.stored(), integrity.lost(), integrity.duplicated(), integrity.unavailable503Requests(),
                    breaches.isEmpty() ? "; SLO met" : "; SLO BREACHED: " + breaches));
            steps.add(s);
            cleanup(ctx);
            if (!integrityBreaches.isEmpty()) {
                failures.add(kind.id() + " step " + (i + 1) + " integrity: " + integrityBreaches);
            }
            if (!breaches.isEmpty()) {
                if (!profile.stopOnBreach()) {
                    String where = kind.id() + " step " + (i + 1) + ": ";
                    failures.addAll(breaches.stream().filter(b -> !integrityBreaches.contains(b)).map(b -> where + b).toList());
                }
                break;
            }
            best = s;
        }
        result.put("highestStepMeetingSlo", best == null ? "none" : Map.of("users", best.get("users"), "rate", best.get("rate"),
                "offeredPointsPerSecond", best.getOrDefault("offeredPointsPerSecond", "n/a"),
                "throughputRps", ((Map<?, ?>) best.get("requests")).get("throughputRps")));
        return result;
    }

    private void injectFault(LoadContext ctx, Map<String, Object> s) {
        if (fault.startsWith("delete-metric-rows=")) {
            int n = Integer.parseInt(fault.substring("delete-metric-rows=".length()));
            int deleted = LoadVerification.deleteMetricRows(stack.endpoints(), new ArrayList<>(ctx.ledger.runs()), n);
            out.accept("  fault injected: deleted " + deleted + " metric rows via JDBC before verification");
            s.put("faultInjected", "deleted " + deleted + " metric rows via JDBC before verification");
        }
    }

    /** large-upload (proxied, per nginx variant, plus the direct baseline) or the direct baseline alone. */
    private Map<String, Object> largeUpload(Profile.Settings settings, boolean proxied) {
        Map<String, Object> result = new LinkedHashMap<>();
        Profile.Step step = settings.steps().get(0);
        List<Long> sizes = settings.sizes().stream().sorted().toList();
        result.put("users", step.users());
        result.put("sizes", sizes.stream().map(Profile::formatSize).toList());
        result.put("slo", settings.slo().asMap());
        UploadResults direct = null;
        if (stack.endpoints().s3Access().isPresent() && !outOfTime("direct-s3 baseline")) {
            out.accept("direct-s3 baseline: " + step.users() + " concurrent uploads per size " + result.get("sizes"));
            try (ObjectStore store = new ObjectStore(stack.endpoints().s3Access().get())) {
                direct = new DirectS3Baseline(store, Names.unique("load-direct")).run(sizes, step.users(), settings.timeoutSeconds());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            result.put("direct", uploadSummary(direct));
            out.accept("  -> direct " + direct.bySize());
            if (direct.corrupted() > 0) {
                failures.add("direct-s3: " + direct.corrupted() + " object(s) read back with different content");
            }
        } else if (!proxied) {
            result.put("direct", "not run: the stack gives no S3 access");
        }
        if (!proxied) {
            return result;
        }
        List<NginxVariant> variants = settings.nginxVariants().isEmpty() ? List.of(stack.description().nginxVariant()) : settings.nginxVariants();
        Map<String, Object> byVariant = new LinkedHashMap<>();
        result.put("proxied", byVariant);
        for (NginxVariant v : variants) {
            if (outOfTime("large-upload " + v.id())) {
                break;
            }
            Launched launched = null;
            RunningStack target = stack;
            if (v != stack.description().nginxVariant()) {
                Optional<Launched> l = launcher == null ? Optional.empty() : launcher.start(v);
                if (l.isEmpty()) {
                    byVariant.put(v.id(), "not run: cannot bring up a stack with nginx " + v.id() + " from this provider");
                    continue;
                }
                launched = l.get();
                target = launched.stack();
            }
            try {
                byVariant.put(v.id(), proxiedUploads(target, v, settings, step, sizes, direct));
            } finally {
                if (launched != null) {
                    try {
                        launched.stopper().close();
                    } catch (Exception e) {
                        out.accept("  stopping the " + v.id() + " stack: " + e);
                    }
                }
            }
        }
        return result;
    }

    private Map<String, Object> proxiedUploads(RunningStack target, NginxVariant v, Profile.Settings settings, Profile.Step step,
                                               List<Long> sizes, UploadResults direct) {
        out.accept("large-upload through nginx " + v.id() + ": " + step.users() + " concurrent uploads per size "
                + sizes.stream().map(Profile::formatSize).toList());
        MemoryProbe.resetPeak();
        LoadContext ctx = new LoadContext(target.endpoints(), settings, step, "");
        ctx.data.put("variant", v.id());
        LoadContext.publish(ctx);
        GatlingLauncher.Outcome g = GatlingLauncher.run(LargeUploadSimulation.class, gatlingDir.resolve("large-upload-" + v.id()), "large-upload " + v.id());
        double peak = MemoryProbe.peakRssMiB();
        UploadResults proxied = new UploadResults();
        Map<Long, String> expected = new java.util.HashMap<>();
        Optional<ObjectStore> store = target.endpoints().s3Access().map(ObjectStore::new);
        try {
            for (LoadContext.Upload u : ctx.uploads) {
                boolean verified = false;
                if (u.acknowledged()) {
                    String want = expected.computeIfAbsent(u.size(), s -> DeterministicContent.sha256(s, s));
                    String name = u.path().substring(u.path().lastIndexOf('/') + 1);
                    String got = store.map(s -> LoadVerification.sha256OfObject(s, s.keyFor(u.experimentId(), u.runId(), name)))
                            .orElseGet(() -> ctx.client.downloadArtifact(u.path()).sha256());
                    verified = want.equals(got);
                }
                proxied.add(new UploadResults.Transfer(u.size(), u.status() == null ? RequestRecorder.NO_RESPONSE : String.valueOf(u.status()),
                        verified, u.startNanos(), u.endNanos()));
            }
            if (!keepData) {
                store.ifPresent(s -> ctx.experiments.forEach(e -> LoadVerification.deletePrefix(s, s.access().artifactRoot() + "/" + e + "/")));
            }
        } finally {
            store.ifPresent(ObjectStore::close);
        }
        cleanup(ctx);
        Map<String, Object> m = uploadSummary(proxied);
        m.put("verifiedBy", target.endpoints().s3Access().isPresent() ? "SHA-256 of the object read from S3" : "SHA-256 of the download through MLflow");
        m.put("requests", ctx.recorder.summary());
        m.put("gatlingExitCode", g.exitCode());
        m.put("gatlingReport", g.reportDir().resolve("index.html").toString());
        m.put("harnessPeakRssMiB", peak);
        m.put("stack", target.description());
        Map<String, Object> ratios = new LinkedHashMap<>();
        double headline = Double.NaN;
        if (direct != null) {
            for (long size : sizes) {
                double p = proxied.aggregateMbps(size);
                double d = direct.aggregateMbps(size);
                if (p > 0 && d > 0) {
                    headline = Throughput.ratio(p, d);
                    ratios.put(Profile.formatSize(size), Throughput.round2(headline));
                }
            }
            m.put("proxiedToDirectRatioBySize", ratios);
            m.put("proxiedToDirectRatio", Double.isNaN(headline) ? "n/a" : Throughput.round2(headline));
        }
        long largest = proxied.largestOk();
        double mbps = largest == 0 ? 0 : proxied.aggregateMbps(largest);
        List<Slo.Breach> breaches = new ArrayList<>(settings.slo().checkMeasured(null, mbps, Double.isNaN(headline) ? null : headline));
        Map<String, Object> req = ctx.recorder.summary();
        breaches.addAll(settings.slo().checkLatency(0, 0, ((Number) req.get("errorPct")).doubleValue()));
        if (largest >= 1L << 30 && peak > MEMORY_LIMIT_MIB) {
            breaches.add(new Slo.Breach("harness peak memory while uploading " + Profile.formatSize(largest), "<= " + MEMORY_LIMIT_MIB + " MiB", peak + " MiB"));
        }
        m.put("breaches", breaches.stream().map(Slo.Breach::toString).toList());
        out.accept(String.format("  -> nginx %s: largest ok %s, next: %s, per size %s, ratio %s, harness peak RSS %.1f MiB%s", v.id(),
                Profile.formatSize(largest), m.get("firstFailure"), proxied.bySize(), m.get("proxiedToDirectRatio"), peak,
                breaches.isEmpty() ? "" : "; SLO BREACHED: " + breaches));
        if (proxied.corrupted() > 0) {
            failures.add("large-upload " + v.id() + ": " + proxied.corrupted() + " acknowledged upload(s) stored with different content (SHA-256)");
        }
        if (!breaches.isEmpty() && !profile.stopOnBreach()) {
            failures.addAll(breaches.stream().map(b -> "large-upload " + v.id() + ": " + b).toList());
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

    private void cleanup(LoadContext ctx) {
        if (keepData) {
            out.accept("  keeping data: experiments " + ctx.experiments);
            return;
        }
        for (String e : ctx.experiments) {
            try {
                ctx.client.deleteExperiment(e);
            } catch (RuntimeException | AssertionError ex) {
                out.accept("  cleanup of experiment " + e + " failed: " + ex.getMessage());
            }
        }
    }
}
