package org.mlflowharness.load.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.load.RequestRecorder;
import org.mlflowharness.load.Profile;

class FaultReportTest {

    static final long S = 1_000_000_000L;

    @Test
    void theErrorWindowClassesAndTimelineOfOneFault() {
        long origin = 100 * S;
        long start = origin + 10 * S;
        FaultInjector.Outcome o = new FaultInjector.Outcome(new Profile.FaultPlan("database", "restart", 10, 5), start,
                start + 7 * S, start + 8 * S, null);
        List<RequestRecorder.Event> events = List.of(
                new RequestRecorder.Event(start - 2 * S, true, "200"),
                new RequestRecorder.Event(start - S, false, "503"),                       // before the fault: not its
                new RequestRecorder.Event(start + S / 2, false, "no response (connection refused)"),
                new RequestRecorder.Event(start + 3 * S, false, "503"),
                new RequestRecorder.Event(start + 6 * S + S / 2, false, "503"),
                new RequestRecorder.Event(start + 9 * S, true, "200"),
                new RequestRecorder.Event(start + 20 * S, false, "502"));                  // the next fault's window
        Map<String, Object> m = FaultReport.of(o, origin, start + 15 * S, events, 60);

        assertThat(m).containsEntry("fault", "restart database").containsEntry("startedAtSeconds", 10.0)
                .containsEntry("componentReadyAfterSeconds", 7.0).containsEntry("servesAgainAfterSeconds", 8.0)
                .containsEntry("requests", 4).containsEntry("failedRequests", 3);
        assertThat(m.get("errorWindow")).isEqualTo(Map.of("firstFailedAfterSeconds", 0.5, "lastFailedAfterSeconds", 6.5));
        assertThat(m.get("failuresByClass")).isEqualTo(Map.of("503", 2, "no response (connection refused)", 1));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> points = (List<Map<String, Object>>) ((Map<String, Object>) m.get("timeline")).get("points");
        assertThat(points).hasSize(20);
        assertThat(points.get(3)).isEqualTo(Map.of("second", -2, "requests", 1, "errors", 0));
        assertThat(points.get(4)).isEqualTo(Map.of("second", -1, "requests", 1, "errors", 1));
        assertThat(points.get(5)).isEqualTo(Map.of("second", 0, "requests", 1, "errors", 1));
        assertThat(FaultReport.line(m)).contains("errors from +0.5 s to +6.5 s").contains("serving again after 8.0 s");
    }

    @Test
    void aFaultThatDidNotRecoverSaysSo() {
        FaultInjector.Outcome o = new FaultInjector.Outcome(new Profile.FaultPlan("tracking", "restart", 5, 1), 10 * S, 12 * S, 0, null);
        assertThat(FaultReport.of(o, 0, 20 * S, List.of(), 90)).containsEntry("servesAgainAfterSeconds", "not within 90 s")
                .containsEntry("errorWindow", Map.of("firstFailedAfterSeconds", "none", "lastFailedAfterSeconds", "none"));
    }
}
