package org.mlflowharness.load.run;

import static org.mlflowharness.report.Figures.fmt;

import java.util.List;
import java.util.stream.Collectors;
import org.mlflowharness.load.Profile;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.SteppedResult;
import org.mlflowharness.model.load.SteppedResult.SweepPoint;

/**
 * The workers a target load needs: from a worker sweep when one ran (the fewest swept workers that sustained the
 * target; beyond the sweep, extrapolated from its largest count unless throughput had stopped growing with workers),
 * else from the highest step that met the SLO divided by the MLflow workers that served it.
 */
final class Sizings {

    /** A sweep whose largest count gained less than this over the one before has stopped growing with workers. */
    static final double GROWING = 0.10;

    private Sizings() {}

    /**
     * The sizing for {@code target} from {@code best} (null when no step met the SLO: nothing was sustained) and the
     * worker sweep's points (empty when none ran; {@code sweepNotRun} says why when one was asked for).
     */
    static SteppedResult.Sizing of(
            Profile.Target target, SteppedResult.Step best, List<SweepPoint> sweep, String sweepNotRun) {
        double sustained =
                best == null || best.acknowledgedPointsPerSecond() == null ? 0 : best.acknowledgedPointsPerSecond();
        double perWorker = sustained / target.workers();
        Integer needed;
        String basis;
        if (!sweep.isEmpty()) {
            Needed n = swept(target.total(), sweep);
            needed = n.workers();
            basis = n.basis();
        } else {
            needed = perWorker <= 0 ? null : (int) Math.ceil(target.total() / perWorker);
            basis = best == null
                    ? "no step met the SLO: the stack as measured sustains no rate to scale from"
                    : "the metric points/s acknowledged at the highest step that met the SLO, divided by the "
                            + target.workers() + " MLflow workers the stack ran, assuming throughput grows in "
                            + "proportion to workers while the machine (CPU, database) has room: not measured by a "
                            + "worker sweep" + (sweepNotRun == null ? "" : " (" + sweepNotRun + ")");
        }
        return new SteppedResult.Sizing(
                target.jobs(),
                target.pointsPerSecond(),
                target.total(),
                round(sustained),
                target.workers(),
                round(perWorker),
                needed,
                Math.round(1000 * (sustained - target.total()) / target.total()) / 10.0,
                basis,
                sweep.isEmpty() ? null : List.copyOf(sweep),
                sweepNotRun);
    }

    private record Needed(Integer workers, String basis) {}

    /** The workers {@code total} points/s need, read off the sweep (ascending worker counts). */
    private static Needed swept(double total, List<SweepPoint> sweep) {
        String measured = "measured by a worker sweep ("
                + sweep.stream()
                        .map(p -> p.workers() + " worker(s): " + fmt(p.sustainedPointsPerSecond()))
                        .collect(Collectors.joining(", "))
                + " points/s sustained under the SLO)";
        Double first = sweep.get(0).highestArrivalsPerSecond();
        if (sweep.size() > 1
                && first != null
                && sweep.stream().allMatch(p -> first.equals(p.highestArrivalsPerSecond()))) {
            measured += "; every swept count sustained the same step (" + fmt(first)
                    + " arrivals/s) and broke at the next: the workers made no difference the ramp's steps can show";
        }
        for (SweepPoint p : sweep) {
            if (p.sustainedPointsPerSecond() >= total) {
                return new Needed(p.workers(), measured + ": " + p.workers() + " is the fewest that sustained it");
            }
        }
        SweepPoint last = sweep.get(sweep.size() - 1);
        if (last.sustainedPointsPerSecond() <= 0) {
            return new Needed(null, measured + ": no swept worker count met the SLO");
        }
        if (sweep.size() > 1) {
            SweepPoint before = sweep.get(sweep.size() - 2);
            double gain = before.sustainedPointsPerSecond() <= 0
                    ? Double.POSITIVE_INFINITY
                    : last.sustainedPointsPerSecond() / before.sustainedPointsPerSecond() - 1;
            if (gain < GROWING) {
                return new Needed(
                        null,
                        measured + ": throughput stopped growing with workers (" + before.workers() + " -> "
                                + last.workers() + ": " + (gain >= 0 ? "+" : "") + fmt(100 * gain)
                                + " %), so more MLflow workers on this machine will not reach the target; the limit is"
                                + " elsewhere (CPU, database, store)");
            }
        }
        int needed = (int) Math.ceil(total / last.pointsPerSecondPerWorker());
        return new Needed(
                needed,
                measured + ": beyond the sweep, extrapolated from the " + fmt(last.pointsPerSecondPerWorker())
                        + " points/s per worker measured with " + last.workers()
                        + ", assuming throughput keeps growing in proportion while the machine has room");
    }

    /**
     * A sweep point from a ramp: its best step (null: none met the SLO), the step that broke it (null: none), marked
     * inconclusive when other processes kept the machine busy during that step.
     */
    static SweepPoint point(int workers, SteppedResult.Step best, SteppedResult.Step broke) {
        double sustained =
                best == null || best.acknowledgedPointsPerSecond() == null ? 0 : best.acknowledgedPointsPerSecond();
        Double cores = best == null
                        || best.resources() == null
                        || best.resources().components() == null
                        || best.resources().components().get("mlflow") == null
                ? null
                : round(best.resources().components().get("mlflow").cpuCores());
        ResourceWindow.Machine machine = broke == null || broke.resources() == null
                ? null
                : broke.resources().machine();
        String brokeBy = broke == null
                ? null
                : fmt(broke.rate()) + " arrivals/s: "
                        + (broke.breaches() == null || broke.breaches().isEmpty()
                                ? "SLO breached"
                                : String.join("; ", broke.breaches()))
                        + (machine != null && machine.busyByOthers()
                                ? " (inconclusive: " + machine.busyText() + ")"
                                : "");
        return new SweepPoint(
                workers,
                best == null ? null : best.rate(),
                round(sustained),
                round(sustained / workers),
                cores,
                brokeBy);
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
