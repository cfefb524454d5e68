package org.mlflowharness.load.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.load.GatlingLauncher;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.LoadVerification;
import org.mlflowharness.load.MetricVerifier;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.RequestRecorder;
import org.mlflowharness.load.Slo;
import org.mlflowharness.load.UploadResults;
import org.mlflowharness.load.simulations.ResilienceSimulation;
import org.mlflowharness.report.Failure;

    /**
     * resilience: one Gatling run of steady metric logging and uploads through the stack's own nginx while the
     * {@link FaultInjector} restarts components in turn; then, per fault, the error window, failures by class, time to
     * ready and to serving again, and a timeline ({@link FaultReport}); then the integrity check over everything: every
     * acknowledged metric point stored exactly once, every acknowledged upload stored intact.
     */
final class ResilienceScenario {

    private ResilienceScenario() {
    }

    static Map<String, Object> run(LoadRun run, Profile.Settings settings) {
        Profile.Resilience plan = settings.resilience();
        Profile.Step step = settings.steps().get(0);
        long size = settings.sizes().get(0);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("load", Map.of("trainingJobs", step.users(), "iterationsPerSecond", step.rate(), "batchSize", settings.batchSize(),
                "uploadUsers", plan.uploadUsers(), "uploadsPerSecond", plan.uploadRate(), "uploadSize", Profile.formatSize(size)));
        result.put("plan", plan.faults().stream().map(f -> f.label() + " at +" + f.atSeconds() + " s, outage " + f.outageSeconds() + " s").toList());
        result.put("recoverySeconds", plan.recoverySeconds());
        result.put("stack", run.stack.description());
        if (run.profile.nginxVariant() != run.stack.description().nginxVariant()) {
            result.put("nginxVariantNote", "ran through the stack's own nginx (" + run.stack.description().nginxVariant().id()
                    + "), the one the faults restart, not the profile's " + run.profile.nginxVariant().id());
        }
        result.put("warmUp", run.warmUp(run.stack));
        LoadContext ctx = new LoadContext(run.stack.endpoints(), settings, step, Names.prefix(), new RequestRecorder(), run.deadlineNanos);
        LoadContext.publish(ctx);
        MlflowClient client = ctx.client;
        FaultInjector faults = new FaultInjector(run.provider, plan, ctx, () -> serves(client, ctx), run.out);
        Thread injector = new Thread(faults, "harness-faults");
        Optional<ObjectStore> store = run.stack.endpoints().s3Access().map(ObjectStore::new);
        try {
            injector.start();
            GatlingLauncher.Outcome g;
            try {
                g = GatlingLauncher.run(ResilienceSimulation.class, run.gatlingDir.resolve("resilience"), "resilience");
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
                run.out.accept(FaultReport.line(f));
                perFault.add(f);
                FaultInjector.Outcome o = outcomes.get(i);
                if (o.error() != null) {
                    run.failures.add(new Failure(Failure.Kind.FUNCTIONAL, "resilience " + o.plan().label() + ": " + o.error()));
                } else if (o.servesNanos() == 0) {
                    run.failures.add(new Failure(Failure.Kind.FUNCTIONAL, "resilience " + o.plan().label()
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
                run.failures.add(new Failure(Failure.Kind.FUNCTIONAL, "resilience: " + notRun + " of " + plan.faults().size()
                        + " fault(s) not applied: " + why));
            }
            run.injectFault(ctx, result);
            MetricVerifier.Result metrics = new MetricVerifier(LoadVerification.history(client), LoadVerification.rows(run.stack.endpoints()))
                    .verify(ctx.ledger);
            String expected = DeterministicContent.sha256(size, size);
            UploadResults uploads = new UploadResults();
            ctx.uploads.forEach(u -> uploads.add(LoadRun.verified(ctx, u, size, expected, store)));
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
            run.out.accept(String.format("  -> metric points: acknowledged %d, stored %d, lost %d, duplicated %d, failed but stored %d; "
                            + "uploads: %d sent, %s acknowledged, %d acknowledged but not stored intact", metrics.acknowledged(),
                    metrics.stored(), metrics.lost(), metrics.duplicated(), metrics.unacknowledgedStored(), uploads.transfers().size(),
                    up.get("acknowledged"), uploads.corrupted()));
            List<Slo.Breach> lost = settings.slo().checkMeasured(metrics.integrityErrors(), null, null);
            if (!lost.isEmpty()) {
                run.failures.add(new Failure(Failure.Kind.INTEGRITY, "resilience: " + metrics.lost() + " acknowledged metric point(s) lost and "
                        + metrics.duplicated() + " duplicated of " + metrics.acknowledged() + " acknowledged (" + lost.get(0) + ")"));
            }
            if (uploads.corrupted() > 0) {
                run.failures.add(new Failure(Failure.Kind.INTEGRITY, "resilience: " + uploads.corrupted() + " acknowledged upload(s) of "
                        + up.get("acknowledged") + " not stored intact (SHA-256 differs or object missing)"));
            }
            if (metrics.acknowledged() == 0) {
                run.failures.add(new Failure(Failure.Kind.FUNCTIONAL, "resilience: no metric point was acknowledged, so nothing was verified"));
            }
        } finally {
            run.cleanup(ctx, store);
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
}
