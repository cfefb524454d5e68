package org.mlflowharness.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.config.Sizes;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * direct-s3: the same sizes and concurrency as large-upload, straight to the object store with the AWS SDK (never
 * through nginx or MLflow), so the report can state proxied MB/s as a ratio of what the store itself sustains.
 * Like the proxied runs, the K uploads of a size start together and are verified by SHA-256 only once all have
 * ended (verification never overlaps a timed transfer); the objects are then deleted. Objects above S3's single-PUT
 * limit (5 GiB) go up as a multipart upload of 64 MiB parts, sent one after another from the same stream.
 */
public final class DirectS3Baseline {

    static final long SINGLE_PUT_LIMIT = 5L << 30;
    static final long PART_SIZE = 64L << 20;

    private final ObjectStore store;
    private final String prefix;

    public DirectS3Baseline(ObjectStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    /**
     * K concurrent uploads of {@code size} bytes (SHA-256 {@code expected}), added to {@code results}; true when all
     * succeeded and verified. Uploads still running after {@code timeoutSeconds} are interrupted and count as timeouts.
     */
    public boolean run(long size, String expected, int users, long timeoutSeconds, UploadResults results)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(users);
        List<Future<UploadResults.Transfer>> futures = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            for (int u = 0; u < users; u++) {
                String key = prefix + "/direct-" + Sizes.format(size) + "-u" + u + ".bin";
                keys.add(key);
                futures.add(pool.submit(() -> put(key, size, timeoutSeconds)));
            }
            boolean allOk = true;
            for (int u = 0; u < users; u++) {
                UploadResults.Transfer t;
                try {
                    t = futures.get(u).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    futures.get(u).cancel(true);
                    t = failed(size, "timeout: not finished within " + timeoutSeconds + " s", t0);
                } catch (ExecutionException e) {
                    t = failed(size, String.valueOf(e.getCause()), t0);
                }
                if ("200".equals(t.outcome())) {
                    boolean verified =
                            store.sha256(keys.get(u)).filter(expected::equals).isPresent();
                    t = new UploadResults.Transfer(
                            size,
                            t.outcome(),
                            verified ? null : "stored content differs or is missing",
                            verified,
                            t.startNanos(),
                            t.endNanos());
                }
                results.add(t);
                allOk &= t.ok();
            }
            return allOk;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            keys.forEach(store::delete);
        }
    }

    private UploadResults.Transfer put(String key, long size, long timeoutSeconds) {
        long t0 = System.nanoTime();
        try {
            if (size <= SINGLE_PUT_LIMIT) {
                store.client()
                        .putObject(
                                b -> b.bucket(store.access().bucket()).key(key).contentLength(size),
                                RequestBody.fromContentProvider(
                                        () -> DeterministicContent.open(size, size), size, "application/octet-stream"));
            } else {
                putMultipart(key, size);
            }
            return new UploadResults.Transfer(size, "200", null, false, t0, System.nanoTime());
        } catch (S3Exception e) {
            return new UploadResults.Transfer(
                    size, String.valueOf(e.statusCode()), e.getMessage(), false, t0, System.nanoTime());
        } catch (AbortedException e) {
            return failed(size, "timeout: not finished within " + timeoutSeconds + " s", t0);
        } catch (RuntimeException e) {
            return failed(size, e.toString(), t0);
        }
    }

    private void putMultipart(String key, long size) {
        String bucket = store.access().bucket();
        String id = store.client()
                .createMultipartUpload(b -> b.bucket(bucket).key(key))
                .uploadId();
        try (DeterministicContent.Stream in = DeterministicContent.open(size, size)) {
            List<CompletedPart> parts = new ArrayList<>();
            for (int n = 1; (n - 1) * PART_SIZE < size; n++) {
                int part = n;
                long length = Math.min(PART_SIZE, size - (n - 1) * PART_SIZE);
                String etag = store.client()
                        .uploadPart(
                                b -> b.bucket(bucket)
                                        .key(key)
                                        .uploadId(id)
                                        .partNumber(part)
                                        .contentLength(length),
                                RequestBody.fromInputStream(in, length))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
            }
            store.client()
                    .completeMultipartUpload(
                            b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            store.client().abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
            throw e;
        }
    }

    /** A transfer without an HTTP answer, classed like the proxied ones ("no response (timeout)" and so on). */
    private static UploadResults.Transfer failed(long size, String reason, long t0) {
        return new UploadResults.Transfer(
                size, RequestRecorder.noResponse(reason), reason, false, t0, System.nanoTime());
    }
}
