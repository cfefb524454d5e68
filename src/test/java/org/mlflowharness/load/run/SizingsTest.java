package org.mlflowharness.load.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.load.Profile;
import org.mlflowharness.model.load.LoadFixtures;
import org.mlflowharness.model.load.SteppedResult;
import org.mlflowharness.model.load.SteppedResult.SweepPoint;

class SizingsTest {

    private static final Profile.Target TARGET = new Profile.Target(50, 20, 4, List.of());

    private static SteppedResult.Step step(double rate, double acknowledged, String... breaches) {
        return LoadFixtures.step(
                100,
                rate,
                rate * 50,
                acknowledged,
                LoadFixtures.window(1.5, 75, 0.1, 0.6, 0.2, 0.1, 0.55, 0.05),
                LoadFixtures.requests(300, 10, 20, 30, 40, 20, Map.of()),
                null,
                breaches);
    }

    private static SweepPoint point(int workers, double sustained) {
        return new SweepPoint(workers, sustained / 50, sustained, sustained / workers, null, null);
    }

    @Test
    void withoutASweepWorkersNeededAreTheTargetOverTheRatePerWorkerRoundedUp() {
        SteppedResult.Sizing z = Sizings.of(TARGET, step(20, 900), List.of(), null);
        assertThat(z.pointsPerSecondPerWorker()).isEqualTo(225.0);
        assertThat(z.workersNeeded()).as("1000 / 225 rounded up").isEqualTo(5);
        assertThat(z.headroomPct()).isEqualTo(-10.0);
        assertThat(z.sweep()).isNull();
        SteppedResult.Sizing none = Sizings.of(TARGET, null, List.of(), null);
        assertThat(none.workersNeeded()).isNull();
        assertThat(none.basis()).contains("no step met the SLO");
        assertThat(List.of(z.targetPointsPerSecond())).containsExactly(1000.0);
        SteppedResult.Sizing notSwept = Sizings.of(TARGET, step(20, 900), List.of(), "the compose stack cannot");
        assertThat(notSwept.basis()).endsWith("not measured by a worker sweep (the compose stack cannot)");
        assertThat(notSwept.sweepNotRun()).isEqualTo("the compose stack cannot");
    }

    @Test
    void aSweepGivesTheFewestWorkersThatSustainedTheTarget() {
        SteppedResult.Sizing z =
                Sizings.of(TARGET, step(20, 900), List.of(point(1, 500), point(2, 1000), point(4, 1900)), null);
        assertThat(z.workersNeeded()).as("2 workers sustained 1000 points/s").isEqualTo(2);
        assertThat(z.basis())
                .startsWith("measured by a worker sweep (1 worker(s): 500, 2 worker(s): 1000, 4 worker(s): 1900")
                .endsWith("2 is the fewest that sustained it");
        assertThat(z.sweep()).hasSize(3);
        SteppedResult.Sizing flat =
                Sizings.of(TARGET, step(20, 998), List.of(point(1, 1000), point(2, 1000), point(4, 1000)), null);
        assertThat(flat.workersNeeded()).isEqualTo(1);
        assertThat(flat.basis())
                .contains("every swept count sustained the same step (20 arrivals/s) and broke at the next")
                .endsWith("1 is the fewest that sustained it");
    }

    @Test
    void aSweepStillGrowingIsExtrapolatedFromItsLargestCount() {
        SteppedResult.Sizing z = Sizings.of(TARGET, step(10, 500), List.of(point(1, 200), point(2, 400)), null);
        assertThat(z.workersNeeded()).as("1000 / 200 per worker with 2").isEqualTo(5);
        assertThat(z.basis())
                .contains("beyond the sweep, extrapolated from the 200 points/s per worker measured with 2");
    }

    @Test
    void aSweepThatStoppedGrowingSaysMoreWorkersWillNotReachTheTarget() {
        SteppedResult.Sizing z =
                Sizings.of(TARGET, step(10, 500), List.of(point(1, 400), point(2, 600), point(4, 630)), null);
        assertThat(z.workersNeeded()).isNull();
        assertThat(z.basis()).contains("throughput stopped growing with workers (2 -> 4: +5 %)");
        SteppedResult.Sizing none = Sizings.of(TARGET, null, List.of(point(1, 0), point(2, 0)), null);
        assertThat(none.workersNeeded()).isNull();
        assertThat(none.basis()).endsWith("no swept worker count met the SLO");
    }

    @Test
    void aSweepPointIsTheRampsBestStepWithMlflowsCpuAndWhatBrokeIt() {
        SweepPoint p =
                Sizings.point(2, step(20, 990), step(40, 1500, "p95 latency: threshold <= 500 ms, measured 900"));
        assertThat(p.highestArrivalsPerSecond()).isEqualTo(20.0);
        assertThat(p.sustainedPointsPerSecond()).isEqualTo(990.0);
        assertThat(p.pointsPerSecondPerWorker()).isEqualTo(495.0);
        assertThat(p.mlflowCores()).as("the window's mlflow component").isEqualTo(0.55);
        assertThat(p.brokeBy()).isEqualTo("40 arrivals/s: p95 latency: threshold <= 500 ms, measured 900");
        SweepPoint none = Sizings.point(1, null, step(5, 10, "error rate"));
        assertThat(none.highestArrivalsPerSecond()).isNull();
        assertThat(none.sustainedPointsPerSecond()).isZero();
        assertThat(Sizings.point(4, step(100, 5000), null).brokeBy()).isNull();
        SteppedResult.Step busy = LoadFixtures.step(
                100,
                40,
                2000.0,
                1500.0,
                LoadFixtures.window(2.0, 100, 1.2, 0.3, 0.1, 0.0, 0.4, 0.0),
                LoadFixtures.requests(300, 10, 20, 30, 40, 20, Map.of()),
                null,
                "p95 latency");
        assertThat(Sizings.point(2, step(20, 990), busy).brokeBy())
                .as("a breach while other processes held the machine")
                .startsWith("40 arrivals/s: p95 latency (inconclusive: machine busy");
    }
}
