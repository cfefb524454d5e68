package org.mlflowharness.load.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.RequestRecorder;
import org.mlflowharness.model.load.OrText;
import org.mlflowharness.model.load.ResilienceResult.ErrorWindow;
import org.mlflowharness.model.load.ResilienceResult.Fault;
import org.mlflowharness.model.load.ResilienceResult.Point;

class FaultReportTest {

    static final long S = 1_000_000_000L;

    @Test
    void theErrorWindowClassesAndTimelineOfOneFault() {
        long origin = 100 * S;
        long start = origin + 10 * S;
        FaultInjector.Outcome o = new FaultInjector.Outcome(
                new Profile.FaultPlan("database", "restart", 10, 5), start, start + 7 * S, start + 8 * S, null);
        List<RequestRecorder.Event> events = List.of(
                new RequestRecorder.Event(start - 2 * S, true, "200"),
                new RequestRecorder.Event(start - S, false, "503"), // before the fault: not its
                new RequestRecorder.Event(start + S / 2, false, "no response (connection refused)"),
                new RequestRecorder.Event(start + 3 * S, false, "503"),
                new RequestRecorder.Event(start + 6 * S + S / 2, false, "503"),
                new RequestRecorder.Event(start + 9 * S, true, "200"),
                new RequestRecorder.Event(start + 20 * S, false, "502")); // the next fault's window
        Fault f = FaultReport.of(o, origin, start + 15 * S, events, 60);

        assertThat(f.fault()).isEqualTo("restart database");
        assertThat(f.startedAtSeconds()).isEqualTo(10.0);
        assertThat(f.componentReadyAfterSeconds()).isEqualTo(OrText.of(7.0));
        assertThat(f.servesAgainAfterSeconds()).isEqualTo(OrText.of(8.0));
        assertThat(f.requests()).isEqualTo(4);
        assertThat(f.failedRequests()).isEqualTo(3);
        assertThat(f.errorWindow()).isEqualTo(new ErrorWindow(OrText.of(0.5), OrText.of(6.5)));
        assertThat(f.failuresByClass()).isEqualTo(Map.of("503", 2, "no response (connection refused)", 1));
        List<Point> points = f.timeline().points();
        assertThat(points).hasSize(20);
        assertThat(points.get(3)).isEqualTo(new Point(-2, 1, 0));
        assertThat(points.get(4)).isEqualTo(new Point(-1, 1, 1));
        assertThat(points.get(5)).isEqualTo(new Point(0, 1, 1));
        assertThat(FaultReport.line(f)).contains("errors from +0.5 s to +6.5 s").contains("serving again after 8.0 s");
    }

    @Test
    void aFaultThatDidNotRecoverSaysSo() {
        FaultInjector.Outcome o =
                new FaultInjector.Outcome(new Profile.FaultPlan("tracking", "restart", 5, 1), 10 * S, 12 * S, 0, null);
        Fault f = FaultReport.of(o, 0, 20 * S, List.of(), 90);
        assertThat(f.servesAgainAfterSeconds()).isEqualTo(OrText.text("not within 90 s"));
        assertThat(f.errorWindow()).isEqualTo(new ErrorWindow(OrText.text("none"), OrText.text("none")));
    }
}
