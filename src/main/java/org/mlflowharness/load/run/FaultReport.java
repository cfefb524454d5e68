package org.mlflowharness.load.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mlflowharness.load.RequestRecorder;

/**
 * One fault of a resilience run, from the load's own request outcomes: the error window (first and last failed request
 * after the fault began), the failures by class, how long the component took to be ready and the stack to serve again,
 * and a per-second timeline (requests and errors, from a few seconds before the fault) with the fault marked. The
 * fault's window runs from its start to the next fault's start (or the end of the load).
 */
final class FaultReport {

    static final int SECONDS_BEFORE = 5;

    private FaultReport() {
    }

    static Map<String, Object> of(FaultInjector.Outcome o, long originNanos, long windowEndNanos, List<RequestRecorder.Event> events,
                                  int recoverySeconds) {
        long start = o.startNanos();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fault", o.plan().label());
        m.put("plannedAtSeconds", o.plan().atSeconds());
        m.put("startedAtSeconds", seconds(start - originNanos));
        m.put("outageSeconds", o.plan().outageSeconds());
        m.put("componentReadyAfterSeconds", o.readyNanos() == 0 ? "not ready" : seconds(o.readyNanos() - start));
        m.put("servesAgainAfterSeconds", o.servesNanos() != 0 ? seconds(o.servesNanos() - start)
                : o.error() != null ? "n/a" : "not within " + recoverySeconds + " s");
        if (o.error() != null) {
            m.put("error", o.error());
        }
        List<RequestRecorder.Event> in = events.stream().filter(e -> e.endNanos() >= start && e.endNanos() < windowEndNanos).toList();
        List<RequestRecorder.Event> failed = in.stream().filter(e -> !e.ok()).toList();
        m.put("requests", in.size());
        m.put("failedRequests", failed.size());
        Map<String, Object> window = new LinkedHashMap<>();
        if (failed.isEmpty()) {
            window.put("firstFailedAfterSeconds", "none");
            window.put("lastFailedAfterSeconds", "none");
        } else {
            window.put("firstFailedAfterSeconds", seconds(failed.get(0).endNanos() - start));
            window.put("lastFailedAfterSeconds", seconds(failed.get(failed.size() - 1).endNanos() - start));
        }
        m.put("errorWindow", window);
        Map<String, Integer> byClass = new TreeMap<>();
        failed.forEach(e -> byClass.merge(e.outcome(), 1, Integer::sum));
        m.put("failuresByClass", byClass);
        m.put("timeline", timeline(o, windowEndNanos, events));
        return m;
    }

    /** Requests and errors per second from {@value #SECONDS_BEFORE} s before the fault to the end of its window. */
    static Map<String, Object> timeline(FaultInjector.Outcome o, long windowEndNanos, List<RequestRecorder.Event> events) {
        long from = o.startNanos() - SECONDS_BEFORE * 1_000_000_000L;
        int buckets = (int) Math.max(1, Math.ceil((windowEndNanos - from) / 1e9));
        int[] requests = new int[buckets];
        int[] errors = new int[buckets];
        for (RequestRecorder.Event e : events) {
            if (e.endNanos() >= from && e.endNanos() < windowEndNanos) {
                int b = (int) ((e.endNanos() - from) / 1_000_000_000L);
                requests[b]++;
                if (!e.ok()) {
                    errors[b]++;
                }
            }
        }
        List<Map<String, Object>> points = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("second", b - SECONDS_BEFORE);
            point.put("requests", requests[b]);
            point.put("errors", errors[b]);
            points.add(point);
        }
        Map<String, Object> marks = new LinkedHashMap<>();
        marks.put("faultAt", 0);
        marks.put("outageEndsAt", o.plan().action().equals("reload") ? 0 : o.plan().outageSeconds());
        marks.put("readyAt", o.readyNanos() == 0 ? null : seconds(o.readyNanos() - o.startNanos()));
        marks.put("servesAgainAt", o.servesNanos() == 0 ? null : seconds(o.servesNanos() - o.startNanos()));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("bucketSeconds", 1);
        t.put("secondsRelativeTo", "the fault's start");
        t.put("points", points);
        t.put("marks", marks);
        return t;
    }

    /** One line for the console: the window, the classes, ready and serving again. */
    static String line(Map<String, Object> m) {
        Map<?, ?> w = (Map<?, ?>) m.get("errorWindow");
        return String.format("  -> %s: %s failed of %s requests%s %s; ready after %s, serving again after %s%s", m.get("fault"),
                m.get("failedRequests"), m.get("requests"),
                "none".equals(w.get("firstFailedAfterSeconds")) ? "" : ", errors from +" + w.get("firstFailedAfterSeconds")
                        + " s to +" + w.get("lastFailedAfterSeconds") + " s", m.get("failuresByClass"),
                seconds(m.get("componentReadyAfterSeconds")), seconds(m.get("servesAgainAfterSeconds")),
                m.containsKey("error") ? "; " + m.get("error") : "");
    }

    /** "6.8 s" for a number of seconds, else the text as it is ("not within 240 s"). */
    private static String seconds(Object value) {
        return value instanceof Number ? value + " s" : String.valueOf(value);
    }

    static double seconds(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }
}
