package org.mlflowharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.compare.LoadMetrics;
import org.mlflowharness.model.load.LoadFixtures;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.model.load.OrText;
import org.mlflowharness.model.load.SteppedResult;

/** The open-model breakpoint in the capacity report: highest sustained arrival rate, the knee, unsent requests. */
class BreakpointSectionTest {

    private static SteppedResult.Step step(double rate, long notSent, String... breaches) {
        SteppedResult.Step s = LoadFixtures.step(
                50,
                rate,
                rate * 50,
                rate * 50 - notSent * 50,
                null,
                LoadFixtures.requests(100, 20, 90, 120, 150, rate, Map.of()),
                LoadFixtures.integrity(8, 1000),
                breaches);
        return new SteppedResult.Step(
                s.users(),
                s.rate(),
                s.offeredPointsPerSecond(),
                s.resources(),
                s.gatlingExitCode(),
                s.gatlingReport(),
                s.requests(),
                s.acknowledgedPointsPerSecond(),
                s.faultInjected(),
                s.integrity(),
                s.breaches(),
                s.metSlo(),
                new SteppedResult.Arrivals(Math.round(rate * 10), Math.round(rate * 10) - notSent, notSent, 0, 50),
                null);
    }

    private final SteppedResult ramp = LoadFixtures.stepped(
            List.of(
                    step(5, 0),
                    step(10, 0),
                    step(20, 37, "requests not sent on time: threshold 0, measured 37 of 200")),
            OrText.of(new SteppedResult.BestStep(50, 10.0, OrText.of(500.0), 10.0)));

    @Test
    void theFindingGivesTheHighestSustainedRateTheKneeAndTheUnsentRequests() {
        String md = CapacityReportTest.text(
                CapacityReport.loadSection(LoadFixtures.section(Map.of("breakpoint", ramp)), false));
        assertThat(md)
                .contains("This stack sustained 10 log-batch requests arriving per second")
                .contains("The next step (20 log-batch requests arriving per second")
                .contains("requests not sent on time: threshold 0, measured 37 of 200")
                .contains("Requests not sent on time over the ramp: 37")
                .contains("| not sent on time |")
                .contains("| 163 of 200 | 37 |");
    }

    @Test
    void compareReadsTheStepsByArrivalRateAndTheHighestRateUnderTheSlo() {
        LoadSection load = LoadFixtures.section(Map.of("breakpoint", ramp));
        Map<String, LoadMetrics.Figure> f = LoadMetrics.of(load);
        assertThat(f)
                .containsKeys("breakpoint step 3 (20.0 arrivals/s) p95", "breakpoint highest arrival rate under SLO");
        assertThat(f.get("breakpoint highest arrival rate under SLO").value()).isEqualTo(10.0);
    }

    @Test
    void theFindingsSayHowManyWorkersATargetLoadNeedsWithTheHeadroom() {
        SteppedResult.Sizing z =
                new SteppedResult.Sizing(50, 20, 1000, 500, 4, 125.0, 8, -50, "per worker", null, null);
        assertThat(SteppedSection.sizing(z))
                .isEqualTo(
                        "a target of 50 training jobs x 20 metric points/s = 1000 points/s needs 8 MLflow worker(s) at"
                                + " the measured 125 points/s per worker (500 points/s sustained with 4); the measured stack is 50"
                                + " % short of the target. Basis: per worker.");
        SteppedResult.Sizing none =
                new SteppedResult.Sizing(50, 20, 1000, 0, 4, 0.0, null, -100, "no step met the SLO", null, null);
        assertThat(SteppedSection.sizing(none)).endsWith("cannot be sized: no step met the SLO.");
    }

    @Test
    void aWorkerSweepIsATableInTheReportAndFiguresInCompare() {
        List<SteppedResult.SweepPoint> sweep = List.of(
                new SteppedResult.SweepPoint(1, 10.0, 500, 500, 0.9, "20 arrivals/s: p95 latency"),
                new SteppedResult.SweepPoint(2, 20.0, 1000, 500, 1.4, null));
        SteppedResult.Sizing z = new SteppedResult.Sizing(
                50, 20, 1000, 500, 4, 125.0, 2, -50, "measured by a worker sweep (...)", sweep, null);
        SteppedResult swept =
                new SteppedResult(null, null, null, "not run", ramp.steps(), ramp.highestStepMeetingSlo(), -1.0, z);
        LoadSection load = LoadFixtures.section(Map.of("breakpoint", swept));
        String md = CapacityReportTest.text(CapacityReport.loadSection(load, false));
        assertThat(md)
                .contains("needs 2 MLflow worker(s); the stack as started (500 points/s sustained with 4) is 50 %"
                        + " short of the target. Basis: measured by a worker sweep (...).")
                .contains("MLflow worker sweep")
                .contains("| 1 | 10 | 500 | 500 | 0.9 | 20 arrivals/s: p95 latency |")
                .contains("| 2 | 20 | 1000 | 500 | 1.4 | no step broke the SLO |");
        assertThat(LoadMetrics.of(load)
                        .get("breakpoint points/s under SLO with 2 MLflow worker(s)")
                        .value())
                .isEqualTo(1000.0);
        SteppedResult.Sizing notRun = new SteppedResult.Sizing(
                50, 20, 1000, 500, 4, 125.0, 8, -50, "per worker", null, "this provider cannot");
        String none = CapacityReportTest.text(CapacityReport.loadSection(
                LoadFixtures.section(Map.of(
                        "breakpoint",
                        new SteppedResult(
                                null,
                                null,
                                null,
                                "not run",
                                ramp.steps(),
                                ramp.highestStepMeetingSlo(),
                                -1.0,
                                notRun))),
                false));
        assertThat(none).contains("Worker sweep not run: this provider cannot.");
    }
}
