package org.mlflowharness.load.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mlflowharness.load.RequestRecorder;
import org.mlflowharness.model.load.OrText;
import org.mlflowharness.model.load.ResilienceResult.ErrorWindow;
import org.mlflowharness.model.load.ResilienceResult.Fault;
import org.mlflowharness.model.load.ResilienceResult.Marks;
import org.mlflowharness.model.load.ResilienceResult.Point;
import org.mlflowharness.model.load.ResilienceResult.Timeline;

/**
 * One fault of a resilience run, from the load's own request outcomes: the error window (first and last failed request
 * after the fault began), the failures by class, how long the component took to be ready and the stack to serve again,
 * and a per-second timeline (requests and errors, from a few seconds before the fault) with the fault marked. The
 * fault's window runs from its start to the next fault's start (or the end of the load).
 */
final class FaultReport {

    static final int SECONDS_BEFORE = 5;

    private FaultReport() {}

    static Fault of(
            FaultInjector.Outcome o,
            long originNanos,
            long windowEndNanos,
            List<RequestRecorder.Event> events,
            int recoverySeconds) {
        long start = o.startNanos();
        List<RequestRecorder.Event> in = events.stream()
                .filter(e -> e.endNanos() >= start && e.endNanos() < windowEndNanos)
                .toList();
        List<RequestRecorder.Event> failed = in.stream().filter(e -> !e.ok()).toList();
        ErrorWindow window = failed.isEmpty()
                ? new ErrorWindow(OrText.text("none"), OrText.text("none"))
                : new ErrorWindow(
                        OrText.of(seconds(failed.get(0).endNanos() - start)),
                        OrText.of(seconds(failed.get(failed.size() - 1).endNanos() - start)));
        Map<String, Integer> byClass = new TreeMap<>();
        failed.forEach(e -> byClass.merge(e.outcome(), 1, Integer::sum));
        return new Fault(
                o.plan().label(),
                o.plan().atSeconds(),
                seconds(start - originNanos),
                o.plan().outageSeconds(),
                o.readyNanos() == 0 ? OrText.text("not ready") : OrText.of(seconds(o.readyNanos() - start)),
                o.servesNanos() != 0
                        ? OrText.of(seconds(o.servesNanos() - start))
                        : OrText.text(o.error() != null ? "n/a" : "not within " + recoverySeconds + " s"),
                o.error(),
                in.size(),
                failed.size(),
                window,
                byClass,
                timeline(o, windowEndNanos, events));
    }

    /** Requests and errors per second from {@value #SECONDS_BEFORE} s before the fault to the end of its window. */
    static Timeline timeline(FaultInjector.Outcome o, long windowEndNanos, List<RequestRecorder.Event> events) {
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
        List<Point> points = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            points.add(new Point(b - SECONDS_BEFORE, requests[b], errors[b]));
        }
        Marks marks = new Marks(
                0,
                o.plan().action().equals("reload") ? 0 : o.plan().outageSeconds(),
                o.readyNanos() == 0 ? null : seconds(o.readyNanos() - o.startNanos()),
                o.servesNanos() == 0 ? null : seconds(o.servesNanos() - o.startNanos()));
        return new Timeline(1, "the fault's start", points, marks);
    }

    /** One line for the console: the window, the classes, ready and serving again. */
    static String line(Fault f) {
        ErrorWindow w = f.errorWindow();
        return String.format(
                "  -> %s: %s failed of %s requests%s %s; ready after %s, serving again after %s%s",
                f.fault(),
                f.failedRequests(),
                f.requests(),
                w.firstFailedAfterSeconds().figure().isEmpty()
                        ? ""
                        : ", errors from +" + w.firstFailedAfterSeconds() + " s to +" + w.lastFailedAfterSeconds()
                                + " s",
                f.failuresByClass(),
                seconds(f.componentReadyAfterSeconds()),
                seconds(f.servesAgainAfterSeconds()),
                f.error() != null ? "; " + f.error() : "");
    }

    /** "6.8 s" for a number of seconds, else the text as it is ("not within 240 s"). */
    private static String seconds(OrText<Double> value) {
        return value.figure().isPresent() ? value + " s" : value.text();
    }

    static double seconds(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }
}
