package org.mlflowharness.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.mlflowharness.model.Endpoints.S3Access;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Direct access to the artifact store, for verification and for the direct-S3 baseline: never on MLflow's path.
 * Path-style addressing and checksums only when required, as on-prem S3 servers need (pitfalls.md).
 */
public final class ObjectStore implements AutoCloseable {

    private final S3Access access;
    private final S3Client s3;

    public ObjectStore(S3Access access) {
        this.access = access;
        this.s3 = S3Client.builder()
                .endpointOverride(access.endpoint())
                .region(Region.of(access.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(access.accessKey(), access.secretKey())))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(
                        Apache5HttpClient.builder().maxConnections(64).socketTimeout(Duration.ofMinutes(10)))
                .build();
    }

    public S3Client client() {
        return s3;
    }

    public S3Access access() {
        return access;
    }

    /** Creates the artifact bucket unless it exists. */
    public void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(access.bucket()));
        } catch (NoSuchBucketException e) {
            try {
                s3.createBucket(b -> b.bucket(access.bucket()));
            } catch (BucketAlreadyOwnedByYouException ignored) {
                // created concurrently: fine
            }
        }
    }

    /** The S3 key under which MLflow stores {@code path} of a run whose artifact URI ends in {@code <exp>/<run>/artifacts}. */
    public String keyFor(String experimentId, String runId, String path) {
        return access.artifactRoot() + "/" + experimentId + "/" + runId + "/artifacts/" + path;
    }

    // ---- verification helpers --------------------------------------------------------------------------------------

    /** Size and SHA-256 (hex) of an object as stored, read with the AWS SDK. */
    public record StoredObject(String key, long size, String sha256) {}

    /** The size of the object at {@code key} (HEAD), or empty when there is none. */
    public Optional<Long> size(String key) {
        return unlessMissing(
                () -> s3.headObject(b -> b.bucket(access.bucket()).key(key)).contentLength());
    }

    /** Streams the object at {@code key} into a SHA-256; never holds the object in memory. */
    public StoredObject read(String key) {
        try (InputStream in = s3.getObject(b -> b.bucket(access.bucket()).key(key))) {
            DeterministicContent.Digest d = DeterministicContent.digest(in);
            return new StoredObject(key, d.size(), d.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("reading s3://" + access.bucket() + "/" + key, e);
        }
    }

    /** The SHA-256 of the object at {@code key}, streamed, or empty when there is no such object. */
    public Optional<String> sha256(String key) {
        return unlessMissing(() -> read(key).sha256());
    }

    /** The value of a call on one object, or empty when the store answers that the object does not exist. */
    private static <T> Optional<T> unlessMissing(Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Writes {@code length} bytes from {@code body} at {@code key} (streamed). */
    public void put(String key, InputStream body, long length) {
        s3.putObject(b -> b.bucket(access.bucket()).key(key), RequestBody.fromInputStream(body, length));
    }

    /** Every key under {@code prefix} (all pages). */
    public List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(access.bucket()).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .forEach(keys::add);
        return keys;
    }

    /** Deletes every object under {@code prefix}; returns how many there were. For cleaning up what a test made. */
    public int deletePrefix(String prefix) {
        if (prefix == null || prefix.isBlank() || prefix.equals("/")) {
            throw new IllegalArgumentException("refusing to delete a whole bucket: prefix '" + prefix + "'");
        }
        List<String> keys = keys(prefix);
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> batch = keys.subList(i, Math.min(keys.size(), i + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build())
                    .toList();
            s3.deleteObjects(b -> b.bucket(access.bucket()).delete(d -> d.objects(batch)));
        }
        return keys.size();
    }

    /** Deletes one object (no error when it does not exist). */
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(access.bucket()).key(key));
    }

    @Override
    public void close() {
        s3.close();
    }
}
