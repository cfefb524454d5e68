package org.mlflowharness.load.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.config.Sizes;
import org.mlflowharness.load.GatlingLauncher;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.LoadVerification;
import org.mlflowharness.load.MetricVerifier;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.RequestRecorder;
import org.mlflowharness.load.Slo;
import org.mlflowharness.load.UploadResults;
import org.mlflowharness.load.simulations.ResilienceSimulation;
import org.mlflowharness.model.load.Requests;
import org.mlflowharness.model.load.ResilienceResult;
import org.mlflowharness.model.load.ResilienceResult.Fault;
import org.mlflowharness.model.load.ResilienceResult.ResilienceIntegrity;
import org.mlflowharness.model.load.ResilienceResult.SteadyLoad;
import org.mlflowharness.model.load.ResilienceResult.Uploads;
import org.mlflowharness.report.Failure;

/**
 * resilience: one Gatling run of steady metric logging and uploads through the stack's own nginx while the
 * {@link FaultInjector} restarts components in turn; then, per fault, the error window, failures by class, time to
 * ready and to serving again, and a timeline ({@link FaultReport}); then the integrity check over everything: every
 * acknowledged metric point stored exactly once, every acknowledged upload stored intact.
 */
final class ResilienceScenario {

    private ResilienceScenario() {}

    static ResilienceResult run(LoadRun run, Profile.Settings settings) {
        Profile.Resilience plan = settings.resilience();
        Profile.Step step = settings.steps().get(0);
        long size = settings.sizes().get(0);
        String nginxVariantNote =
                run.profile.nginxVariant() == run.stack.description().nginxVariant()
                        ? null
                        : "ran through the stack's own nginx ("
                                + run.stack.description().nginxVariant().id()
                                + "), the one the faults restart, not the profile's "
                                + run.profile.nginxVariant().id();
        String warmUp = run.warmUp(run.stack);
        LoadContext ctx = new LoadContext(
                run.stack.endpoints(), settings, step, Names.prefix(), new RequestRecorder(), run.deadlineNanos);
        LoadContext.publish(ctx);
        MlflowClient client = ctx.client;
        FaultInjector faults = new FaultInjector(run.provider, plan, ctx, () -> serves(client, ctx), run.out);
        Thread injector = new Thread(faults, "harness-faults");
        Optional<ObjectStore> store = run.stack.endpoints().s3Access().map(ObjectStore::new);
        GatlingLauncher.Outcome g;
        Requests requests;
        List<Fault> perFault = new ArrayList<>();
        long failedBefore;
        String faultInjected;
        ResilienceIntegrity integrity;
        try {
            injector.start();
            try {
                g = GatlingLauncher.run(ResilienceSimulation.class, run.gatlingDir.resolve("resilience"), "resilience");
            } finally {
                faults.cancel();
                join(injector);
            }
            long end = System.nanoTime();
            requests = ctx.recorder.summary();
            List<RequestRecorder.Event> events = ctx.recorder.events();
            List<FaultInjector.Outcome> outcomes = faults.outcomes();
            for (int i = 0; i < outcomes.size(); i++) {
                long windowEnd = i + 1 < outcomes.size() ? outcomes.get(i + 1).startNanos() : end;
                Fault f = FaultReport.of(
                        outcomes.get(i), faults.originNanos(), windowEnd, events, plan.recoverySeconds());
                run.out.accept(FaultReport.line(f));
                perFault.add(f);
                FaultInjector.Outcome o = outcomes.get(i);
                if (o.error() != null) {
                    run.failures.add(new Failure(
                            Failure.Kind.FUNCTIONAL, "resilience " + o.plan().label() + ": " + o.error()));
                } else if (o.servesNanos() == 0) {
                    run.failures.add(new Failure(
                            Failure.Kind.FUNCTIONAL,
                            "resilience " + o.plan().label() + ": the stack did not serve again within "
                                    + plan.recoverySeconds() + " s"));
                }
            }
            long before = faults.originNanos() == 0
                    ? end
                    : outcomes.isEmpty() ? end : outcomes.get(0).startNanos();
            failedBefore = events.stream()
                    .filter(e -> e.endNanos() < before && !e.ok())
                    .count();
            int notRun = plan.faults().size() - outcomes.size();
            if (notRun > 0 && outcomes.stream().allMatch(o -> o.error() == null && o.servesNanos() != 0)) {
                String why = faults.originNanos() == 0 || ctx.recorder.okRequests() == 0
                        ? "the load never got a request acknowledged"
                        : "the scenario's time bound (maxMinutes " + plan.maxMinutes() + ") ended first";
                run.failures.add(new Failure(
                        Failure.Kind.FUNCTIONAL,
                        "resilience: " + notRun + " of " + plan.faults().size() + " fault(s) not applied: " + why));
            }
            faultInjected = run.injectFault(ctx);
            MetricVerifier.Result metrics = new MetricVerifier(
                            LoadVerification.history(client, run.out), LoadVerification.rows(run.stack.endpoints()))
                    .verify(ctx.ledger);
            String expected = DeterministicContent.sha256(size, size);
            UploadResults uploads = new UploadResults();
            ctx.uploads.forEach(u -> uploads.add(LoadRun.verified(ctx, u, size, expected, store)));
            long acknowledged = uploads.transfers().stream()
                    .filter(t -> "200".equals(t.outcome()))
                    .count();
            integrity = new ResilienceIntegrity(
                    metrics.report(),
                    new Uploads(
                            uploads.transfers().size(),
                            acknowledged,
                            uploads.corrupted(),
                            uploads.bySize(),
                            uploads.transfers().stream()
                                    .filter(t -> "200".equals(t.outcome()) && !t.verified())
                                    .findFirst()
                                    .map(UploadResults.Transfer::detail)
                                    .orElse(null)));
            run.out.accept(String.format(
                    "  -> metric points: acknowledged %d, stored %d, lost %d, duplicated %d, failed but stored %d; "
                            + "uploads: %d sent, %s acknowledged, %d acknowledged but not stored intact",
                    metrics.acknowledged(),
                    metrics.stored(),
                    metrics.lost(),
                    metrics.duplicated(),
                    metrics.unacknowledgedStored(),
                    uploads.transfers().size(),
                    acknowledged,
                    uploads.corrupted()));
            List<Slo.Breach> lost = settings.slo().checkMeasured(metrics.integrityErrors(), null, null);
            if (!lost.isEmpty()) {
                run.failures.add(new Failure(
                        Failure.Kind.INTEGRITY,
                        "resilience: " + metrics.lost() + " acknowledged metric point(s) lost and "
                                + metrics.duplicated() + " duplicated of " + metrics.acknowledged() + " acknowledged ("
                                + lost.get(0) + ")"));
            }
            if (uploads.corrupted() > 0) {
                run.failures.add(new Failure(
                        Failure.Kind.INTEGRITY,
                        "resilience: " + uploads.corrupted() + " acknowledged upload(s) of " + acknowledged
                                + " not stored intact (SHA-256 differs or object missing)"));
            }
            if (metrics.acknowledged() == 0) {
                run.failures.add(new Failure(
                        Failure.Kind.FUNCTIONAL,
                        "resilience: no metric point was acknowledged, so nothing was verified"));
            }
        } finally {
            run.cleanup(ctx, store);
            store.ifPresent(ObjectStore::close);
        }
        return new ResilienceResult(
                new SteadyLoad(
                        step.users(),
                        step.rate(),
                        settings.batchSize(),
                        plan.uploadUsers(),
                        plan.uploadRate(),
                        Sizes.format(size)),
                plan.faults().stream()
                        .map(f -> f.label() + " at +" + f.atSeconds() + " s, outage " + f.outageSeconds() + " s")
                        .toList(),
                plan.recoverySeconds(),
                run.stack.description(),
                nginxVariantNote,
                warmUp,
                g.reportDir().resolve("index.html").toString(),
                requests,
                perFault,
                failedBefore,
                faultInjected,
                integrity,
                run.scenarioPeakRssMiB());
    }

    /** The whole path serves: a database read through MLflow and an artifact listing (the store) through nginx. */
    private static boolean serves(MlflowClient client, LoadContext ctx) {
        Object exp = ctx.data.get("experimentId");
        Duration t = Duration.ofSeconds(5);
        return exp != null
                && client.status(MlflowClient.API + "/experiments/get?experiment_id=" + exp, t) == 200
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
