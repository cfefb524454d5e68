package org.mlflowharness.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.ObjectStore;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * direct-s3: the same sizes and concurrency as large-upload, straight to the object store with the AWS SDK (never
 * through nginx or MLflow), so the report can state proxied MB/s as a ratio of what the store itself sustains.
 * Like the proxied runs, the K uploads of a size start together and are verified by SHA-256 only once all have
 * ended (verification never overlaps a timed transfer); the objects are then deleted.
 */
public final class DirectS3Baseline {

    private final ObjectStore store;
    private final String prefix;

    public DirectS3Baseline(ObjectStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    /** K concurrent uploads of {@code size} bytes, added to {@code results}; true when all succeeded and verified. */
    public boolean run(long size, int users, long timeoutSeconds, UploadResults results) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(users);
        List<Future<UploadResults.Transfer>> futures = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String key = prefix + "/direct-" + Profile.formatSize(size) + "-u" + u + ".bin";
            futures.add(pool.submit(() -> put(key, size, timeoutSeconds)));
        }
        pool.shutdown();
        if (!pool.awaitTermination(timeoutSeconds, TimeUnit.SECONDS)) {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        boolean allOk = true;
        String expected = DeterministicContent.sha256(size, size);
        for (int u = 0; u < users; u++) {
            String key = prefix + "/direct-" + Profile.formatSize(size) + "-u" + u + ".bin";
            UploadResults.Transfer t;
            try {
                t = futures.get(u).get();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                t = new UploadResults.Transfer(size, "not finished in " + timeoutSeconds + " s", String.valueOf(e), false, 0, 0);
            }
            if ("200".equals(t.outcome())) {
                boolean verified = store.read(key).sha256().equals(expected);
                t = new UploadResults.Transfer(size, t.outcome(), t.detail(), verified, t.startNanos(), t.endNanos());
            }
            store.delete(key);
            results.add(t);
            allOk &= t.ok();
        }
        return allOk;
    }

    private UploadResults.Transfer put(String key, long size, long timeoutSeconds) {
        long t0 = System.nanoTime();
        try {
            store.client().putObject(b -> b.bucket(store.access().bucket()).key(key).contentLength(size),
                    RequestBody.fromContentProvider(() -> DeterministicContent.open(size, size), size, "application/octet-stream"));
            return new UploadResults.Transfer(size, "200", null, false, t0, System.nanoTime());
        } catch (AbortedException e) {
            return new UploadResults.Transfer(size, "timeout", "not finished within " + timeoutSeconds + " s", false, t0, System.nanoTime());
        } catch (RuntimeException e) {
            return new UploadResults.Transfer(size, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), false, t0, System.nanoTime());
        }
    }
}
