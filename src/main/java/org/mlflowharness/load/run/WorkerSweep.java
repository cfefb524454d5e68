package org.mlflowharness.load.run;

import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.ScenarioKind;
import org.mlflowharness.model.load.SteppedResult.SweepPoint;
import org.mlflowharness.stack.RunningStack;

/**
 * A breakpoint target's worker sweep: for each count of {@code target.sweep}, MLflow is restarted with that many web
 * workers ({@link org.mlflowharness.stack.StackProvider#restartTracking}), warmed up, and the ramp is run again; what
 * each count sustained under the SLO is the sizing's basis. Afterwards MLflow is restarted as the stack first started
 * it, so the scenarios after this one measure the stack as configured.
 */
final class WorkerSweep {

    /** The swept counts' points (ascending), and why the sweep did not run (null when it did). */
    record Outcome(List<SweepPoint> points, String notRun) {
        static final Outcome NONE = new Outcome(List.of(), null);
    }

    private WorkerSweep() {}

    static Outcome run(LoadRun run, ScenarioKind kind, Profile.Settings settings, Class<? extends Simulation> sim) {
        List<SweepPoint> points = new ArrayList<>();
        boolean restarted = false;
        try {
            for (int workers : settings.target().sweep()) {
                StackGuard.check();
                if (run.outOfTime(kind.id() + " with " + workers + " MLflow worker(s)")) {
                    return new Outcome(points, points.isEmpty() ? "the profile's time budget was used up" : null);
                }
                run.out.accept(kind.id() + " worker sweep: MLflow restarted with --workers " + workers);
                try {
                    run.provider.restartTracking(workers);
                } catch (UnsupportedOperationException e) {
                    run.out.accept("  worker sweep not run: " + e.getMessage());
                    return new Outcome(List.of(), e.getMessage());
                }
                restarted = true;
                RunningStack target = run.primary().stack();
                new WarmUp().run(target, run.keepData, run.out);
                SteppedScenario.Ramp ramp = SteppedScenario.ramp(run, kind, settings, sim, target, workers);
                SweepPoint p = Sizings.point(workers, ramp.best(), ramp.broke());
                run.out.accept(String.format(
                        "  -> %d MLflow worker(s): %.0f metric points/s sustained under the SLO (%.0f per worker)",
                        workers, p.sustainedPointsPerSecond(), p.pointsPerSecondPerWorker()));
                points.add(p);
            }
            return new Outcome(points, null);
        } finally {
            if (restarted) {
                run.out.accept(kind.id() + " worker sweep done: MLflow restarted as the stack first started it");
                run.provider.restartTracking(null);
            }
        }
    }
}
