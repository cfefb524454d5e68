package org.mlflowharness.load;

import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;

/**
 * Pre-fills the tracking store with runs of a {@link Volume}'s shape, through the API (the one typed client, through
 * nginx): whole experiments named {@code <prefix><fillId>-<index>}, each run created with its tags and then logged by
 * log-batch requests at the API's limits (1000 entities, 100 params each), by {@code writers} parallel clients, the rate
 * printed as it goes. An experiment whose runs were all logged gets the tag {@value #COMPLETE} (its run count): a later
 * run with the same shape reuses it; one without (a fill cut short) is renamed and deleted and filled again.
 * Deterministic: every value and timestamp is a function of the run's index and the step.
 */
public final class VolumeFill {

    /** The experiment tag that marks a complete fill experiment. */
    public static final String COMPLETE = "harness.volume.complete";
    /** Entities one log-batch may carry (MLflow's limit), and params among them. */
    static final int MAX_ENTITIES = 1000;

    static final int MAX_PARAMS = 100;
    static final long T0 = 1_700_000_000_000L;
    private static final long PRINT_EVERY_NANOS = 10_000_000_000L;

    /** One log-batch of a run: its metrics and params. */
    record Batch(List<Map<String, Object>> metrics, List<Map<String, String>> params) {}

    /**
     * The store's fill after {@link #fillTo}: the complete fill experiments (ids, in index order), the runs and points in
     * them, and what this call added: runs, points, requests and seconds.
     */
    public record Outcome(
            List<String> experimentIds,
            int runsPresent,
            long pointsPresent,
            int runsReused,
            int runsAdded,
            long pointsAdded,
            long requests,
            double seconds,
            String cut) {
        public double pointsPerSecond() {
            return seconds > 0 ? pointsAdded / seconds : 0;
        }
    }

    private final MlflowClient client;
    private final Volume shape;
    private final Consumer<String> out;

    public VolumeFill(MlflowClient client, Volume shape, Consumer<String> out) {
        this.client = client;
        this.shape = shape;
        this.out = out;
    }

    /** The name of fill experiment {@code index}. */
    String experimentName(int index) {
        return String.format(Locale.ROOT, "%s%s-%04d", Names.prefix(), shape.fillId(), index);
    }

    /**
     * Makes the store hold at least {@code runs} runs of the fill (whole experiments), reusing complete experiments
     * already there; stops adding at {@code deadlineNanos} (the outcome then says so).
     */
    public Outcome fillTo(int runs, long deadlineNanos) {
        long t0 = System.nanoTime();
        Map<Integer, String> complete = new LinkedHashMap<>();
        existing(complete);
        int wanted = runs / shape.runsPerExperiment();
        int reused = complete.size() * shape.runsPerExperiment();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < wanted; i++) {
            if (!complete.containsKey(i)) {
                missing.add(i);
            }
        }
        AtomicLong requests = new AtomicLong();
        AtomicLong points = new AtomicLong();
        AtomicInteger runsAdded = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        String cut = null;
        if (!missing.isEmpty()) {
            out.accept(String.format(
                    "  data-volume fill: %d runs present (%d reused), adding %d runs of %d metric points (%s) with %d "
                            + "parallel writers",
                    reused,
                    reused,
                    missing.size() * shape.runsPerExperiment(),
                    shape.pointsPerRun(),
                    shape.fillId(),
                    shape.writers()));
            ExecutorService pool = Executors.newFixedThreadPool(shape.writers());
            try {
                for (int index : missing) {
                    String id = client.createExperiment(experimentName(index));
                    requests.incrementAndGet();
                    AtomicInteger left = new AtomicInteger(shape.runsPerExperiment());
                    for (int r = 0; r < shape.runsPerExperiment(); r++) {
                        int runIndex = index * shape.runsPerExperiment() + r;
                        pool.submit(() -> {
                            if (failure.get() != null || System.nanoTime() > deadlineNanos) {
                                return;
                            }
                            try {
                                requests.addAndGet(fillRun(id, runIndex, points));
                                runsAdded.incrementAndGet();
                                if (left.decrementAndGet() == 0) {
                                    client.setExperimentTag(id, COMPLETE, String.valueOf(shape.runsPerExperiment()));
                                    complete.put(index, id);
                                }
                            } catch (RuntimeException | AssertionError e) {
                                failure.compareAndSet(null, "run " + runIndex + ": " + e.getMessage());
                            }
                        });
                    }
                }
                pool.shutdown();
                long lastPrint = System.nanoTime();
                long lastPoints = 0;
                while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    long now = System.nanoTime();
                    if (now - lastPrint >= PRINT_EVERY_NANOS) {
                        long p = points.get();
                        out.accept(String.format(
                                "  data-volume fill: %d runs, %d points added in %.0f s, %.0f points/s now",
                                runsAdded.get(), p, (now - t0) / 1e9, (p - lastPoints) / ((now - lastPrint) / 1e9)));
                        lastPrint = now;
                        lastPoints = p;
                    }
                    if (now > deadlineNanos + 60_000_000_000L) {
                        pool.shutdownNow();
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("data-volume fill failed: " + failure.get());
            }
            if (runsAdded.get() < missing.size() * shape.runsPerExperiment()) {
                cut = "fill cut at the scenario's time bound after " + runsAdded.get() + " of "
                        + missing.size() * shape.runsPerExperiment() + " runs";
                out.accept("  data-volume " + cut);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> ids = new ArrayList<>(new java.util.TreeMap<>(complete).values());
        int present = ids.size() * shape.runsPerExperiment();
        Outcome o = new Outcome(
                List.copyOf(ids),
                present,
                present * shape.pointsPerRun(),
                Math.min(reused, present),
                runsAdded.get(),
                points.get(),
                requests.get(),
                Throughput.round2(seconds),
                cut);
        if (o.runsAdded() > 0) {
            out.accept(String.format(
                    "  data-volume fill: added %d runs, %d metric points in %.1f s (%.0f points/s, %d requests); %d "
                            + "runs, %d points in the fill now",
                    o.runsAdded(),
                    o.pointsAdded(),
                    seconds,
                    o.pointsPerSecond(),
                    o.requests(),
                    o.runsPresent(),
                    o.pointsPresent()));
        }
        return o;
    }

    /** The complete fill experiments by index into {@code complete}; incomplete ones are renamed and deleted. */
    private void existing(Map<Integer, String> complete) {
        String prefix = Names.prefix() + shape.fillId() + "-";
        String token = null;
        do {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("max_results", 1000);
            body.put("filter", "name LIKE '" + prefix + "%'");
            if (token != null) {
                body.put("page_token", token);
            }
            JsonPath page = client.searchExperiments(body);
            List<Map<String, Object>> exps = page.getList("experiments");
            for (Map<String, Object> e : exps == null ? List.<Map<String, Object>>of() : exps) {
                String name = String.valueOf(e.get("name"));
                String id = String.valueOf(e.get("experiment_id"));
                boolean done = tagValue(e).equals(String.valueOf(shape.runsPerExperiment()));
                Integer index = indexOf(name, prefix);
                if (index != null && done) {
                    complete.put(index, id);
                } else if (index != null) {
                    out.accept("  data-volume fill: experiment " + name + " is incomplete (a fill cut short): deleted");
                    client.renameExperiment(id, name + "-partial-" + System.currentTimeMillis());
                    client.deleteExperiment(id);
                }
            }
            token = page.getString("next_page_token");
        } while (token != null && !token.isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static String tagValue(Map<String, Object> experiment) {
        Object tags = experiment.get("tags");
        if (tags instanceof List<?> l) {
            for (Object t : l) {
                Map<String, Object> kv = (Map<String, Object>) t;
                if (COMPLETE.equals(kv.get("key"))) {
                    return String.valueOf(kv.get("value"));
                }
            }
        }
        return "";
    }

    static Integer indexOf(String name, String prefix) {
        String rest = name.substring(prefix.length());
        return rest.matches("\\d{4}") ? Integer.valueOf(rest) : null;
    }

    /** Creates run {@code index} with its tags and logs its params and metrics; the requests it took. */
    private long fillRun(String experimentId, int index, AtomicLong points) {
        long start = T0 + index * 60_000L;
        Map<String, String> tags = new LinkedHashMap<>();
        for (int t = 0; t < shape.tags(); t++) {
            tags.put("t" + t, "tag-" + (index + t) % 7);
        }
        String runId =
                client.createRun(experimentId, "fill-" + index, start, tags).getString("run.info.run_id");
        long requests = 1;
        for (Batch b : batches(metrics(index, start), params(index))) {
            client.logBatch(runId, b.metrics(), b.params(), List.of());
            points.addAndGet(b.metrics().size());
            requests++;
        }
        return requests;
    }

    /**
     * The fixture whose reads are measured at every level, in {@code experiment}: a run with metric {@code long} of
     * {@code historySteps} steps and {@code artifacts} artifacts of 1 KiB. Returns its run id.
     */
    public String probe(String experiment) {
        String run = client.createRun(experiment).getString("run_id");
        List<Map<String, Object>> history = new ArrayList<>();
        for (int s = 0; s < shape.historySteps(); s++) {
            history.add(MlflowClient.metric("long", Math.sin(s / 100.0), T0 + s * 1000L, s));
        }
        for (Batch b : batches(history, List.of())) {
            client.logBatch(run, b.metrics(), List.of(), List.of());
        }
        byte[] body = "x".repeat(1024).getBytes(StandardCharsets.UTF_8);
        for (int a = 0; a < shape.artifacts(); a++) {
            client.artifacts()
                    .upload(
                            experiment + "/" + run + "/artifacts/file-" + a + ".txt",
                            new ByteArrayInputStream(body),
                            body.length);
        }
        return run;
    }

    /** Run {@code index}'s params: {@code p<j>} = {@code v<(index + j) % 10>}, so a filter on p0 matches a tenth. */
    List<Map<String, String>> params(int index) {
        List<Map<String, String>> params = new ArrayList<>();
        for (int p = 0; p < shape.params(); p++) {
            params.add(MlflowClient.keyValue("p" + p, "v" + (index + p) % 10));
        }
        return params;
    }

    /** Run {@code index}'s metrics {@code m<k>} over {@code stepsPerKey} steps, values in [0, 1). */
    List<Map<String, Object>> metrics(int index, long start) {
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int k = 0; k < shape.metricKeys(); k++) {
            for (int s = 0; s < shape.stepsPerKey(); s++) {
                double v = ((index * 31L + k * 17L + s * 7L) % 1000) / 1000.0;
                metrics.add(MlflowClient.metric("m" + k, v, start + s * 1000L, s));
            }
        }
        return metrics;
    }

    /** Splits a run's params and metrics into log-batch requests at the API's limits, params first. */
    static List<Batch> batches(List<Map<String, Object>> metrics, List<Map<String, String>> params) {
        List<Batch> out = new ArrayList<>();
        int m = 0;
        int p = 0;
        while (m < metrics.size() || p < params.size()) {
            int np = Math.min(MAX_PARAMS, params.size() - p);
            int nm = Math.min(MAX_ENTITIES - np, metrics.size() - m);
            out.add(new Batch(List.copyOf(metrics.subList(m, m + nm)), List.copyOf(params.subList(p, p + np))));
            m += nm;
            p += np;
        }
        return out;
    }
}
