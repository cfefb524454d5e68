package org.mlflowharness.client;

import java.time.Duration;
import org.mlflowharness.stack.Endpoints.S3Access;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

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
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(access.accessKey(), access.secretKey())))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(64).socketTimeout(Duration.ofMinutes(10)))
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

    @Override
    public void close() {
        s3.close();
    }
}
