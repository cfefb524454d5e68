package org.mlflowharness.load.run;

import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlflowharness.client.Names;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.load.Arrivals;
import org.mlflowharness.load.GatlingLauncher;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.LoadVerification;
import org.mlflowharness.load.MetricVerifier;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.RequestRecorder;
import org.mlflowharness.load.ResourceSampler;
import org.mlflowharness.load.ScenarioKind;
import org.mlflowharness.load.Slo;
import org.mlflowharness.load.Throughput;
import org.mlflowharness.model.load.InjectorCost;
import org.mlflowharness.model.load.OrText;
import org.mlflowharness.model.load.Requests;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.SteppedResult;
import org.mlflowharness.model.load.SteppedResult.BestStep;
import org.mlflowharness.model.load.SteppedResult.Step;
import org.mlflowharness.report.Failure;
import org.mlflowharness.stack.RunningStack;

/** metric-logging, mixed and breakpoint: one Gatling run per step, stopping at the first breach in capacity mode. */
final class SteppedScenario {

    private SteppedScenario() {}

    private static double orZeroD(Double d) {
        return d == null ? 0 : d;
    }

    static SteppedResult run(
            LoadRun run, ScenarioKind kind, Profile.Settings settings, Class<? extends Simulation> sim) {
        LoadRun.Target through = run.primary();
        RunningStack target = through.stack();
        String warmUp = run.warmUp(target);
        Ramp ramp = ramp(run, kind, settings, sim, target, null);
        Step best = ramp.best();
        Profile.Target sizeFor = settings.target();
        WorkerSweep.Outcome sweep = sizeFor == null || sizeFor.sweep().isEmpty()
                ? WorkerSweep.Outcome.NONE
                : WorkerSweep.run(run, kind, settings, sim);
        OrText<BestStep> highest = best == null
                ? OrText.text("none")
                : OrText.of(new BestStep(
                        best.users(),
                        best.rate(),
                        best.offeredPointsPerSecond() == null
                                ? OrText.text("n/a")
                                : OrText.of(best.offeredPointsPerSecond()),
                        best.requests().throughputRps()));
        return new SteppedResult(
                through.nginxVariantNote(),
                settings.slo().limits(),
                target.description(),
                warmUp,
                ramp.steps(),
                highest,
                run.scenarioPeakRssMiB(),
                sizeFor == null ? null : Sizings.of(sizeFor, best, sweep.points(), sweep.notRun()));
    }

    /** The steps run, the highest that met the SLO and the one that broke it (each null when there was none). */
    record Ramp(List<Step> steps, Step best, Step broke) {}

    /**
     * The profile's steps against {@code target}, one Gatling run each, up to the first breach in capacity mode;
     * {@code workers}: the MLflow workers of a sweep's ramp (named in the output, the failures and Gatling's
     * directories), null for the stack as it was started.
     */
    static Ramp ramp(
            LoadRun run,
            ScenarioKind kind,
            Profile.Settings settings,
            Class<? extends Simulation> sim,
            RunningStack target,
            Integer workers) {
        String label = kind.id() + (workers == null ? "" : " with " + workers + " MLflow worker(s)");
        String dir = kind.id() + (workers == null ? "" : "-workers" + workers);
        List<Step> steps = new ArrayList<>();
        Step best = null;
        Step broke = null;
        Optional<ObjectStore> store = target.endpoints().s3Access().map(ObjectStore::new);
        try {
            for (int i = 0; i < settings.steps().size(); i++) {
                Profile.Step step = settings.steps().get(i);
                StackGuard.check();
                if (run.outOfTime(label + " step " + (i + 1))) {
                    break;
                }
                run.out.accept(String.format(
                        kind == ScenarioKind.BREAKPOINT
                                ? "%s step %d/%d: at most %d unanswered, %.1f arrivals/s for %d s"
                                : "%s step %d/%d: %d users at %.1f iterations/s each for %d s",
                        label,
                        i + 1,
                        settings.steps().size(),
                        step.users(),
                        step.rate(),
                        settings.durationSeconds()));
                LoadContext ctx = new LoadContext(
                        target.endpoints(), settings, step, Names.prefix(), new RequestRecorder(), run.deadlineNanos);
                LoadContext.publish(ctx);
                Step s;
                List<Slo.Breach> breaches = new ArrayList<>();
                List<Slo.Breach> integrityBreaches = new ArrayList<>();
                try {
                    ResourceSampler.Window window = run.sampler.open();
                    GatlingLauncher.Outcome g =
                            GatlingLauncher.run(sim, run.gatlingDir.resolve(dir + "-step" + (i + 1)), kind.id());
                    ResourceWindow usage =
                            run.sampler.close(window, ctx.recorder.firstNanos(), ctx.recorder.lastNanos());
                    Requests summary = ctx.recorder.summary();
                    long acknowledged = ctx.ledger.runs().stream()
                            .mapToLong(r -> ctx.ledger.acknowledged(r).values().stream()
                                    .mapToLong(Integer::longValue)
                                    .sum())
                            .sum();
                    double seconds = summary.wallSeconds();
                    String faultInjected = run.injectFault(ctx);
                    MetricVerifier.Result integrity = new MetricVerifier(
                                    LoadVerification.history(ctx.client, run.out),
                                    LoadVerification.rows(run.stack.endpoints()))
                            .verify(ctx.ledger);
                    breaches.addAll(settings.slo().checkLatency(summary.p95Ms(), summary.p99Ms(), summary.errorPct()));
                    integrityBreaches.addAll(settings.slo().checkMeasured(integrity.integrityErrors(), null, null));
                    if (summary.requests() == 0) {
                        integrityBreaches.add(new Slo.Breach(
                                "requests sent", "> 0", "0 (the scenario did not run: see Gatling's output above)"));
                    }
                    if (kind == ScenarioKind.METRIC_LOGGING && ctx.ledger.runs().size() < step.users()) {
                        integrityBreaches.add(new Slo.Breach(
                                "training jobs that created their run",
                                "= " + step.users(),
                                String.valueOf(ctx.ledger.runs().size())));
                    }
                    breaches.addAll(integrityBreaches);
                    if (g.exitCode() != 0 && breaches.isEmpty()) {
                        breaches.add(new Slo.Breach(
                                "Gatling run",
                                "exit code 0",
                                "exit code " + g.exitCode()
                                        + (g.assertionsFailed()
                                                ? " (assertions failed)"
                                                : g.exitCode() == GatlingLauncher.NO_REQUESTS
                                                        ? " (no request completed within the run's time bound)"
                                                        : " (crashed)")
                                        + ": see Gatling's output above"));
                    }
                    boolean ml = kind == ScenarioKind.METRIC_LOGGING || kind == ScenarioKind.BREAKPOINT;
                    SteppedResult.Arrivals arrivals = ctx.data.get(Arrivals.KEY) instanceof Arrivals a
                            ? a.result(Math.round(step.rate() * settings.durationSeconds()))
                            : null;
                    if (arrivals != null && arrivals.notSent() > 0) {
                        breaches.add(new Slo.Breach(
                                "requests not sent on time",
                                "0",
                                arrivals.notSent() + " of " + arrivals.planned() + " (" + step.users()
                                        + " requests unanswered at once, or the step ended first)"));
                    }
                    if (arrivals != null && arrivals.startedLate() > 0) {
                        breaches.add(new Slo.Breach(
                                "requests started over 1 s after their planned time (the injector fell behind)",
                                "0",
                                String.valueOf(arrivals.startedLate())));
                    }
                    s = new Step(
                            step.users(),
                            step.rate(),
                            kind == ScenarioKind.BREAKPOINT
                                    ? Double.valueOf(step.rate() * settings.batchSize())
                                    : ml
                                            ? Double.valueOf(step.users() * step.rate() * (settings.batchSize() + 1))
                                            : null,
                            usage,
                            g.exitCode(),
                            g.reportDir().resolve("index.html").toString(),
                            summary,
                            ml ? (seconds > 0 ? Throughput.round2(acknowledged / seconds) : 0) : null,
                            faultInjected,
                            integrity.report(),
                            breaches.stream().map(Slo.Breach::toString).toList(),
                            breaches.isEmpty(),
                            arrivals,
                            InjectorCost.of(usage, summary.requests(), null));
                    steps.add(s);
                    run.out.accept(String.format(
                            "  -> %s requests, p95 %s ms, p99 %s ms, errors %s %%, acknowledged %d, stored %d, lost %d, duplicated %d, 503s %d%s",
                            summary.requests(),
                            summary.p95Ms(),
                            summary.p99Ms(),
                            summary.errorPct(),
                            integrity.acknowledged(),
                            integrity.stored(),
                            integrity.lost(),
                            integrity.duplicated(),
                            integrity.unavailable503Requests(),
                            breaches.isEmpty() ? "; SLO met" : "; SLO BREACHED: " + breaches));
                    run.out.accept("     " + LoadConsole.describeUsage(usage));
                    if (s.injector() != null) {
                        run.out.accept(String.format(
                                "     injector: %.2f CPU s per 1,000 requests, %.0f %% of the machine%s",
                                orZeroD(s.injector().cpuSecondsPer1000Requests()),
                                s.injector().shareOfMachinePct(),
                                s.injector().measuringInjector()
                                        ? " (above " + InjectorCost.LIMIT_PCT + " %: measuring the injector)"
                                        : ""));
                    }
                } finally {
                    run.cleanup(ctx, store);
                }
                if (!integrityBreaches.isEmpty()) {
                    run.failures.add(
                            new Failure(Failure.Kind.INTEGRITY, label + " step " + (i + 1) + ": " + integrityBreaches));
                }
                if (!breaches.isEmpty()) {
                    broke = s;
                    if (!run.profile.stopOnBreach()) {
                        String where = label + " step " + (i + 1) + ": ";
                        ResourceWindow usage = s.resources();
                        run.failures.addAll(breaches.stream()
                                .filter(b -> !integrityBreaches.contains(b))
                                .map(b -> b.what().equals("error rate")
                                        ? new Failure(Failure.Kind.PERFORMANCE, where + b)
                                        : run.performance(where + b, usage))
                                .toList());
                    }
                    break;
                }
                best = s;
            }
        } finally {
            store.ifPresent(ObjectStore::close);
        }
        return new Ramp(steps, best, broke);
    }
}
