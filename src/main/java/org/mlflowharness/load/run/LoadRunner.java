package org.mlflowharness.load.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.load.DatabaseGauges;
import org.mlflowharness.load.MetricRowFault;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.ResourceSampler;
import org.mlflowharness.load.ScenarioKind;
import org.mlflowharness.load.simulations.BreakpointSimulation;
import org.mlflowharness.load.simulations.MetricLoggingSimulation;
import org.mlflowharness.load.simulations.MixedSimulation;
import org.mlflowharness.load.simulations.SameRunSimulation;
import org.mlflowharness.model.ResourceProbe;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.model.load.ScenarioResult;
import org.mlflowharness.report.Failure;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackProvider;

/**
 * Runs the scenarios of a profile against a running stack, one Gatling run per step, verifies what the stack stored,
 * checks the SLOs, cleans up, and returns the {@code load} section of the report with one verdict. Each scenario is
 * its own class ({@link SteppedScenario}, {@link UploadComparison}, {@link ResilienceScenario}); what they share is a
 * {@link LoadRun}.
 */
public final class LoadRunner {

    /**
     * The load stage's report section, its failed checks (and those that were inconclusive on a busy machine) and, when a scenario could not complete (the stack refused
     * every request, a Gatling run threw, a component went down), that error: the scenarios before it are reported.
     */
    public record Result(LoadSection load, List<Failure> failures, Throwable error) {
        public boolean passed() {
            return failures.isEmpty() && error == null;
        }
    }

    private final LoadRun run;
    private final ResourceProbe resources;

    /**
     * @param provider {@code stack}'s provider: it puts another nginx variant in front of the stack ({@link StackProvider#addProxy}:
     *                 the profile's variant when the stack has another one, and each variant large-upload compares),
     *                 restarts components for the resilience scenario, and reads its components' CPU and memory
     *                 ({@link StackProvider#resources}), sampled per step with the harness's own
     */
    public LoadRunner(
            RunningStack stack,
            Profile profile,
            boolean keepData,
            Path gatlingDir,
            Consumer<String> out,
            StackProvider provider,
            String fault) {
        MetricRowFault.parse(fault);
        this.run = new LoadRun(stack, profile, keepData, gatlingDir, out, provider, fault == null ? "" : fault);
        this.resources = provider.resources();
    }

    /**
     * Skips the warm-up of this run: the stack is warm already ({@code by}: what warmed it, e.g. compare's earlier
     * round on the same stack), so the run measures from its first step without spending its time budget on warming
     * up again.
     */
    public LoadRunner alreadyWarm(String by) {
        run.warmUp.skip("not needed: warmed up by " + by);
        return this;
    }

    public Result run(List<ScenarioKind> kinds) {
        Profile profile = run.profile;
        Map<String, ScenarioResult> scenarios = new LinkedHashMap<>();
        LoadSection.Sampling sampling = resources.available()
                ? new LoadSection.Sampling(resources.source(), 1, null)
                : new LoadSection.Sampling(
                        null,
                        null,
                        "stack components' CPU and memory not sampled: " + resources.source()
                                + "; the harness's own and the machine's are");
        run.out.accept("load profile " + profile);
        double minutes = profile.maxMinutes()
                + (kinds.contains(ScenarioKind.RESILIENCE)
                        ? profile.settings(ScenarioKind.RESILIENCE).resilience().maxMinutes()
                        : 0)
                + (kinds.contains(ScenarioKind.DATA_VOLUME)
                        ? profile.settings(ScenarioKind.DATA_VOLUME).volume().maxMinutes()
                        : 0);
        run.deadlineNanos = System.nanoTime() + (long) (minutes * 60e9);
        Throwable error = null;
        try (DatabaseGauges database = new DatabaseGauges(run.stack.endpoints());
                ResourceSampler sampler = new ResourceSampler(resources, database)) {
            run.sampler = sampler;
            run.runWindow = sampler.open();
            for (ScenarioKind kind : kinds) {
                Profile.Settings settings = profile.settings(kind);
                run.startScenario();
                try {
                    StackGuard.check();
                    ScenarioResult r = switch (kind) {
                        case METRIC_LOGGING -> SteppedScenario.run(run, kind, settings, MetricLoggingSimulation.class);
                        case MIXED -> SteppedScenario.run(run, kind, settings, MixedSimulation.class);
                        case BREAKPOINT -> SteppedScenario.run(run, kind, settings, BreakpointSimulation.class);
                        case SAME_RUN -> SteppedScenario.run(run, kind, settings, SameRunSimulation.class);
                        case LARGE_UPLOAD -> new UploadComparison(run).run(settings, true);
                        case DIRECT_S3 -> new UploadComparison(run).run(settings, false);
                        case RESILIENCE -> ResilienceScenario.run(run, settings);
                        case DATA_VOLUME -> VolumeScenario.run(run, settings);
                    };
                    scenarios.put(kind.id(), r);
                } catch (Exception | AssertionError e) {
                    // the scenario could not complete (rest-assured lets IOExceptions through unchecked)
                    error = e;
                    String why = e.getClass().getSimpleName() + ": " + e.getMessage();
                    run.out.accept("  " + kind.id() + " could not complete: " + why);
                    scenarios.put(kind.id(), new ScenarioResult.NotCompleted(why));
                    break;
                }
            }
        } finally {
            run.sampler = null;
            run.fronts.close();
        }
        List<Failure> failed = run.failures.stream()
                .map(f -> new Failure(f.kind(), "load " + f.text()))
                .toList();
        LoadSection load = new LoadSection(
                profile.name(),
                profile.description(),
                profile.stopOnBreach() ? "stop (capacity: breaches are findings)" : "fail",
                scenarios,
                sampling,
                run.runPeakRssMiB(),
                List.copyOf(run.notRun),
                failed.stream().map(Failure::line).toList(),
                error != null
                        ? "ERROR"
                        : failed.isEmpty()
                                ? "PASSED"
                                : failed.stream().allMatch(f -> f.kind() == Failure.Kind.INCONCLUSIVE)
                                        ? "INCONCLUSIVE"
                                        : "FAILED");
        return new Result(load, failed, error);
    }
}
