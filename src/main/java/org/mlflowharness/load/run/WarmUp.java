package org.mlflowharness.load.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;
import org.mlflowharness.stack.RunningStack;

/**
 * Once per run, before the first measured step: concurrent runs with a log-batch and a history read each, through
 * nginx, so that MLflow's workers have opened their database connections; a cold first request is not a finding.
 */
final class WarmUp {

    private static final int THREADS = 8;
    private static final int RUNS_PER_THREAD = 5;
    private static final Duration BOUND = Duration.ofSeconds(120);

    /** Why no warm-up is needed any more (null until one ran or was skipped). */
    private String done;

    /** No warm-up in this run: {@code why} says what warmed the stack up before it. */
    void skip(String why) {
        done = why;
    }

    /** Warms {@code target} up unless an earlier scenario did; what it did, in words (also printed). */
    String run(RunningStack target, boolean keepData, Consumer<String> out) {
        if (done != null) {
            return done;
        }
        done = "done before an earlier scenario";
        long t0 = System.nanoTime();
        MlflowClient client = new MlflowClient(target.endpoints());
        String exp = client.createExperiment(Names.unique("load-warmup"));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<String> failed = new CopyOnWriteArrayList<>();
        AtomicInteger ok = new AtomicInteger();
        long deadline = t0 + BOUND.toNanos();
        boolean cut = false;
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                running.add(pool.submit(() -> {
                    for (int i = 0;
                            i < RUNS_PER_THREAD && !Thread.currentThread().isInterrupted();
                            i++) {
                        try {
                            String run = client.createRun(exp).getString("run_id");
                            client.logBatch(
                                    run,
                                    List.of(MlflowClient.metric("warm-up", i, System.currentTimeMillis(), i)),
                                    List.of(),
                                    List.of());
                            client.metricHistory(run, "warm-up");
                            ok.incrementAndGet();
                        } catch (RuntimeException
                                | AssertionError e) { // not measured: a cold stack's failure is noted, not fatal
                            failed.add(String.valueOf(e.getMessage()).strip().replaceAll("\\s+", " "));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "load warm-up failed: " + e.getCause().getClass().getSimpleName() + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            cut = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
            if (!keepData) {
                client.deleteExperiment(exp);
            }
        }
        int total = THREADS * RUNS_PER_THREAD;
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (ok.get() == 0) {
            throw new IllegalStateException(String.format(
                    "load warm-up failed: no run of %d succeeded in %.0f s%s",
                    total,
                    seconds,
                    failed.isEmpty() ? " (none answered)" : "; " + failed.size() + " failed, first: " + failed.get(0)));
        }
        String what = String.format(
                "%d of %d runs by %d concurrent clients through nginx in %.1f s (not measured)%s%s",
                ok.get(),
                total,
                THREADS,
                seconds,
                cut ? "; cut at the warm-up's bound of " + BOUND.toSeconds() + " s" : "",
                failed.isEmpty()
                        ? ""
                        : "; " + failed.size() + " failed (the stack was not warm yet); first: "
                                + (failed.get(0).length() > 200
                                        ? failed.get(0).substring(0, 200) + "..."
                                        : failed.get(0)));
        out.accept("warm-up: " + what);
        return what;
    }
}
