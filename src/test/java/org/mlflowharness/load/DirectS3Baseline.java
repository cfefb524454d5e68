package org.mlflowharness.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.ObjectStore;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * direct-s3: the same sizes and concurrency as large-upload, straight to the object store with the AWS SDK (never
 * through nginx or MLflow), so the report can state proxied MB/s as a ratio of what the store itself sustains.
 * Each object is read back and verified by SHA-256, then deleted.
 */
public final class DirectS3Baseline {

    private final ObjectStore store;
    private final String prefix;

    public DirectS3Baseline(ObjectStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    public UploadResults run(List<Long> sizes, int users, long timeoutSeconds) throws InterruptedException {
        UploadResults results = new UploadResults();
        List<Long> ascending = sizes.stream().sorted().toList();
        ExecutorService pool = Executors.newFixedThreadPool(users);
        List<Future<?>> futures = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int user = u;
            futures.add(pool.submit(() -> {
                for (long size : ascending) {
                    String key = prefix + "/direct-" + Profile.formatSize(size) + "-u" + user + ".bin";
                    long t0 = System.nanoTime();
                    String outcome;
                    boolean verified = false;
                    long t1;
                    try {
                        store.client().putObject(b -> b.bucket(store.access().bucket()).key(key).contentLength(size),
                                RequestBody.fromContentProvider(() -> DeterministicContent.open(size, size), size, "application/octet-stream"));
                        t1 = System.nanoTime();
                        outcome = "200";
                        verified = LoadVerification.sha256OfObject(store, key).equals(DeterministicContent.sha256(size, size));
                        store.client().deleteObject(b -> b.bucket(store.access().bucket()).key(key));
                    } catch (RuntimeException e) {
                        t1 = System.nanoTime();
                        outcome = e.getClass().getSimpleName();
                    }
                    results.add(new UploadResults.Transfer(size, outcome, verified, t0, t1));
                    if (!"200".equals(outcome) || !verified) {
                        break;
                    }
                }
            }));
        }
        pool.shutdown();
        if (!pool.awaitTermination(timeoutSeconds * Math.max(1, ascending.size()), TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
        return results;
    }
}
