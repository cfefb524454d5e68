package org.mlflowharness.load.run;

import org.mlflowharness.load.Profile;
import org.mlflowharness.model.load.SteppedResult;

/** The workers a target load needs, from the highest step that met the SLO and the MLflow workers that served it. */
final class Sizings {

    private Sizings() {}

    /** The sizing for {@code target} from {@code best} (null when no step met the SLO: nothing was sustained). */
    static SteppedResult.Sizing of(Profile.Target target, SteppedResult.Step best) {
        double sustained =
                best == null || best.acknowledgedPointsPerSecond() == null ? 0 : best.acknowledgedPointsPerSecond();
        double perWorker = sustained / target.workers();
        Integer needed = perWorker <= 0 ? null : (int) Math.ceil(target.total() / perWorker);
        String basis = best == null
                ? "no step met the SLO: the stack as measured sustains no rate to scale from"
                : "the metric points/s acknowledged at the highest step that met the SLO, divided by the "
                        + target.workers() + " MLflow workers the stack ran, assuming throughput grows in proportion "
                        + "to workers while the machine (CPU, database) has room: not measured by a worker sweep";
        return new SteppedResult.Sizing(
                target.jobs(),
                target.pointsPerSecond(),
                target.total(),
                round(sustained),
                target.workers(),
                round(perWorker),
                needed,
                Math.round(1000 * (sustained - target.total()) / target.total()) / 10.0,
                basis);
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
