package org.mlflowharness.load.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.load.MetricRowFault;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.ResourceSampler;
import org.mlflowharness.load.ScenarioKind;
import org.mlflowharness.load.simulations.MetricLoggingSimulation;
import org.mlflowharness.load.simulations.MixedSimulation;
import org.mlflowharness.model.ResourceProbe;
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
     * The load stage's report section, its failed checks and, when a scenario could not complete (the stack refused
     * every request, a Gatling run threw, a component went down), that error: the scenarios before it are reported.
     */
    public record Result(Map<String, Object> load, List<Failure> failures, Throwable error) {
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
    public LoadRunner(RunningStack stack, Profile profile, boolean keepData, Path gatlingDir, Consumer<String> out,
                      StackProvider provider, String fault) {
        MetricRowFault.parse(fault);
        this.run = new LoadRun(stack, profile, keepData, gatlingDir, out, provider, fault == null ? "" : fault);
        this.resources = provider.resources();
    }

    public Result run(List<ScenarioKind> kinds) {
        Profile profile = run.profile;
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("profile", profile.name());
        load.put("description", profile.description());
        load.put("onBreach", profile.stopOnBreach() ? "stop (capacity: breaches are findings)" : "fail");
        Map<String, Object> scenarios = new LinkedHashMap<>();
        load.put("scenarios", scenarios);
        load.put("resources", resources.available() ? Map.of("source", resources.source(), "sampledEverySeconds", 1)
                : Map.of("notSampled", "stack components' CPU and memory not sampled: " + resources.source()
                + "; the harness's own and the machine's are"));
        run.out.accept("load profile " + profile);
        double minutes = profile.maxMinutes() + (kinds.contains(ScenarioKind.RESILIENCE)
                ? profile.settings(ScenarioKind.RESILIENCE).resilience().maxMinutes() : 0);
        run.deadlineNanos = System.nanoTime() + (long) (minutes * 60e9);
        Throwable error = null;
        try (ResourceSampler sampling = new ResourceSampler(resources)) {
            run.sampler = sampling;
            for (ScenarioKind kind : kinds) {
                Profile.Settings settings = profile.settings(kind);
                run.startScenario();
                try {
                    StackGuard.check();
                    Map<String, Object> r = switch (kind) {
                        case METRIC_LOGGING -> SteppedScenario.run(run, kind, settings, MetricLoggingSimulation.class);
                        case MIXED -> SteppedScenario.run(run, kind, settings, MixedSimulation.class);
                        case LARGE_UPLOAD -> new UploadComparison(run).run(settings, true);
                        case DIRECT_S3 -> new UploadComparison(run).run(settings, false);
                        case RESILIENCE -> ResilienceScenario.run(run, settings);
                    };
                    run.readPeak();
                    r.put("harnessPeakRssMiB", run.scenarioPeakRssMiB());
                    scenarios.put(kind.id(), r);
                } catch (Exception | AssertionError e) {   // the scenario could not complete (rest-assured lets IOExceptions through unchecked)
                    error = e;
                    String why = e.getClass().getSimpleName() + ": " + e.getMessage();
                    run.out.accept("  " + kind.id() + " could not complete: " + why);
                    scenarios.put(kind.id(), Map.of("error", why));
                    break;
                }
            }
        } finally {
            run.sampler = null;
            run.fronts.close();
        }
        load.put("harnessPeakRssMiB", run.runPeakRssMiB());
        load.put("notRun", run.notRun);
        List<Failure> failed = run.failures.stream().map(f -> new Failure(f.kind(), "load " + f.text())).toList();
        load.put("failures", failed.stream().map(Failure::line).toList());
        load.put("verdict", error != null ? "ERROR" : failed.isEmpty() ? "PASSED" : "FAILED");
        return new Result(load, failed, error);
    }
}
