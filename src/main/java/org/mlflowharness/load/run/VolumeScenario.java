package org.mlflowharness.load.run;

import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.load.GatlingLauncher;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.LoadVerification;
import org.mlflowharness.load.MetricVerifier;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.RequestRecorder;
import org.mlflowharness.load.ResourceSampler;
import org.mlflowharness.load.Slo;
import org.mlflowharness.load.Throughput;
import org.mlflowharness.load.Volume;
import org.mlflowharness.load.VolumeFill;
import org.mlflowharness.load.simulations.MetricLoggingSimulation;
import org.mlflowharness.load.simulations.VolumeReadsSimulation;
import org.mlflowharness.model.load.Integrity;
import org.mlflowharness.model.load.Requests;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.VolumeResult;
import org.mlflowharness.model.load.VolumeResult.Level;
import org.mlflowharness.report.Failure;
import org.mlflowharness.stack.RunningStack;

/**
 * data-volume: per level, fills the store up to the level's runs ({@link VolumeFill}: reused when a fill of the same
 * shape is there), then measures the reads people do ({@link VolumeReadsSimulation}) and the logging
 * ({@link MetricLoggingSimulation}, its points verified as in metric-logging) at that volume. A latency breach is a
 * finding at that level, not the end of the ramp; lost or duplicated points fail the run.
 */
final class VolumeScenario {

    static final String ID = "data-volume";

    private VolumeScenario() {}

    static VolumeResult run(LoadRun run, Profile.Settings settings) {
        Volume v = settings.volume();
        LoadRun.Target through = run.primary();
        RunningStack target = through.stack();
        String warmUp = run.warmUp(target);
        MlflowClient client = new MlflowClient(target.endpoints());
        VolumeFill fill = new VolumeFill(client, v, run.out);
        Optional<ObjectStore> store = target.endpoints().s3Access().map(ObjectStore::new);
        String probeExperiment = client.createExperiment(Names.unique("load-volume-probe"));
        List<Level> levels = new ArrayList<>();
        String kept = null;
        VolumeFill.Outcome last = null;
        try {
            String longRun = fill.probe(probeExperiment);
            String probe = "run " + longRun + " in experiment " + probeExperiment + ": metric 'long' of "
                    + v.historySteps() + " steps, " + v.artifacts() + " artifacts of 1 KiB";
            run.out.accept("  data-volume probe: " + probe);
            for (int i = 0; i < v.levels().size(); i++) {
                StackGuard.check();
                int targetRuns = v.levels().get(i);
                if (run.outOfTime(ID + " level " + targetRuns + " runs")) {
                    break;
                }
                run.out.accept(String.format(
                        "data-volume level %d/%d: %d runs of %d metric points in the fill",
                        i + 1, v.levels().size(), targetRuns, v.pointsPerRun()));
                last = fill.fillTo(targetRuns, run.deadlineNanos);
                levels.add(level(run, target, settings, i, targetRuns, last, probeExperiment, longRun, store));
            }
            if (last != null && !v.keepFill()) {
                last.experimentIds().forEach(id -> drop(client, id));
                kept = "no (keepFill: false): the fill's experiments were deleted";
            } else if (last != null) {
                kept = "yes: " + last.runsPresent() + " runs in experiments named " + Names.prefix() + v.fillId()
                        + "-NNNN (tag " + VolumeFill.COMPLETE + "); a later run with this shape against the same store "
                        + "reuses them";
            }
            return new VolumeResult(
                    v.fillId(),
                    new VolumeResult.Shape(
                            v.runsPerExperiment(),
                            v.params(),
                            v.tags(),
                            v.metricKeys(),
                            v.stepsPerKey(),
                            v.writers(),
                            v.historySteps(),
                            v.artifacts(),
                            settings.steps().get(0).users(),
                            settings.steps().get(0).rate(),
                            settings.batchSize(),
                            settings.durationSeconds()),
                    settings.slo().limits(),
                    through.nginxVariantNote(),
                    target.description(),
                    warmUp,
                    probe,
                    levels,
                    kept,
                    run.scenarioPeakRssMiB());
        } finally {
            if (!run.keepData) {
                store.ifPresent(s -> s.deletePrefix(s.access().artifactRoot() + "/" + probeExperiment + "/"));
                client.deleteExperiment(probeExperiment);
            }
            store.ifPresent(ObjectStore::close);
        }
    }

    private static Level level(
            LoadRun run,
            RunningStack target,
            Profile.Settings settings,
            int i,
            int targetRuns,
            VolumeFill.Outcome filled,
            String probeExperiment,
            String longRun,
            Optional<ObjectStore> store) {
        Map<String, String> reports = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(filled.experimentIds());
        ids.add(probeExperiment);
        LoadContext reads = context(target, settings, run);
        reads.data.put(
                "volumeExperiments", ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",")));
        reads.data.put("experimentId", probeExperiment);
        reads.data.put("longRunId", longRun);
        Measured r = measure(run, reads, VolumeReadsSimulation.class, "level" + (i + 1) + "-reads", reports);
        LoadContext logging = context(target, settings, run);
        Measured w;
        MetricVerifier.Result integrity;
        try {
            w = measure(run, logging, MetricLoggingSimulation.class, "level" + (i + 1) + "-logging", reports);
            integrity = new MetricVerifier(
                            LoadVerification.history(logging.client, run.out),
                            LoadVerification.rows(run.stack.endpoints()))
                    .verify(logging.ledger);
        } finally {
            run.cleanup(logging, store);
        }
        long acknowledged = logging.ledger.runs().stream()
                .mapToLong(id -> logging.ledger.acknowledged(id).values().stream()
                        .mapToLong(Integer::longValue)
                        .sum())
                .sum();
        Double seconds = w.requests().wallSeconds();
        Double perSecond = seconds != null && seconds > 0 ? Throughput.round2(acknowledged / seconds) : null;
        Slo slo = settings.slo();
        List<Slo.Breach> breaches = new ArrayList<>();
        breaches.addAll(slo.checkLatency(
                r.requests().p95Ms(), r.requests().p99Ms(), r.requests().errorPct()));
        breaches.addAll(slo.checkLatency(
                w.requests().p95Ms(), w.requests().p99Ms(), w.requests().errorPct()));
        List<Slo.Breach> integrityBreaches =
                new ArrayList<>(slo.checkMeasured(integrity.integrityErrors(), null, null));
        if (r.requests().requests() == 0 || w.requests().requests() == 0) {
            integrityBreaches.add(new Slo.Breach("requests sent", "> 0", "0 (see Gatling's output in the run's log)"));
        }
        breaches.addAll(integrityBreaches);
        String where = ID + " level " + (i + 1) + " (" + filled.runsPresent() + " runs): ";
        if (!integrityBreaches.isEmpty()) {
            run.failures.add(new Failure(Failure.Kind.INTEGRITY, where + integrityBreaches));
        } else if (!breaches.isEmpty() && !run.profile.stopOnBreach()) {
            ResourceWindow busiest = LoadRun.busiest(java.util.List.of(r.usage(), w.usage()));
            breaches.forEach(b -> run.failures.add(run.performance(where + b, busiest)));
        }
        Integrity report = integrity.report();
        run.out.accept(String.format(
                "  -> %d runs, %d points in the fill; reads p95 %d ms (%s); logging %s points/s, p95 %d ms, lost %d, "
                        + "duplicated %d%s",
                filled.runsPresent(),
                filled.pointsPresent(),
                r.requests().p95Ms(),
                byRequestP95(r.requests()),
                perSecond,
                w.requests().p95Ms(),
                report.lost(),
                report.duplicated(),
                breaches.isEmpty() ? "; SLO met" : "; SLO BREACHED: " + breaches));
        return new Level(
                targetRuns,
                filled.runsPresent(),
                filled.pointsPresent(),
                new VolumeResult.Fill(
                        filled.runsReused(),
                        filled.runsAdded(),
                        filled.pointsAdded(),
                        filled.requests(),
                        filled.seconds(),
                        Throughput.round2(filled.pointsPerSecond()),
                        settings.volume().writers(),
                        filled.cut()),
                r.requests(),
                w.requests(),
                perSecond,
                report,
                r.usage(),
                w.usage(),
                reports,
                breaches.stream().map(Slo.Breach::toString).toList(),
                breaches.isEmpty());
    }

    private record Measured(Requests requests, ResourceWindow usage) {}

    private static LoadContext context(RunningStack target, Profile.Settings settings, LoadRun run) {
        return new LoadContext(
                target.endpoints(),
                settings,
                settings.steps().get(0),
                Names.prefix(),
                new RequestRecorder(),
                run.deadlineNanos);
    }

    /** One Gatling run of {@code sim} with {@code ctx}, its resources sampled; its report recorded under {@code what}. */
    private static Measured measure(
            LoadRun run, LoadContext ctx, Class<? extends Simulation> sim, String what, Map<String, String> reports) {
        LoadContext.publish(ctx);
        ResourceSampler.Window window = run.sampler.open();
        GatlingLauncher.Outcome g = GatlingLauncher.run(sim, run.gatlingDir.resolve(ID + "-" + what), ID + " " + what);
        ResourceWindow usage = run.sampler.close(window, ctx.recorder.firstNanos(), ctx.recorder.lastNanos());
        reports.put(what, g.reportDir().resolve("index.html").toString());
        run.out.accept("     " + what + ": " + LoadConsole.describeUsage(usage));
        return new Measured(ctx.recorder.summary(), usage);
    }

    private static String byRequestP95(Requests r) {
        return r.byRequest() == null
                ? ""
                : r.byRequest().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue().p95Ms())
                        .collect(Collectors.joining(", "));
    }

    /** Deletes a fill experiment under another name, so that a later fill can create its name again. */
    private static void drop(MlflowClient client, String id) {
        String name = client.getExperiment(id).getString("experiment.name");
        client.renameExperiment(id, name + "-deleted-" + System.currentTimeMillis());
        client.deleteExperiment(id);
    }
}
