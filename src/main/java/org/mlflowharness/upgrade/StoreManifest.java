package org.mlflowharness.upgrade;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.upgrade.Manifest.Kind;

/**
 * The manifest of a store the harness did not seed (a user's restored dump): every experiment, run, registered model
 * and model version its database holds, each read through the API; per run, its params, tags and latest metrics
 * (through the API) and its metric points (count, step range and a checksum per key, in the database); the full metric
 * histories through the API for a stated sample of runs; every table's row count; and the objects of a copy of the
 * bucket when one was loaded ({@link #loadArtifacts}).
 */
final class StoreManifest {

    /** The runs whose full histories were read, out of how many, and the histories that makes. */
    record Sample(int runs, int ofRuns, int histories) {
        String describe() {
            return "full metric histories (API metrics/get-history, every page) of " + runs + " of " + ofRuns
                    + " runs (the first by run id; --history-sample): " + histories + " histories; every run's points"
                    + " counted and checksummed per key in the database";
        }
    }

    /** What loading a copy of the bucket did: objects and bytes, and the files whose object did not read back equal. */
    record Loaded(Path dir, int objects, long bytes, List<String> keys, List<String> mismatched) {
        String describe() {
            return objects + " objects, " + bytes + " bytes from " + dir + " loaded into the store, each hashed "
                    + "before (the file) and after (S3 GetObject), then read through MLflow and S3 at every "
                    + "verification" + (mismatched.isEmpty() ? "" : "; NOT READ BACK EQUAL: " + mismatched);
        }
    }

    /** The manifest and the sample of full histories in it. */
    record Recorded(Manifest manifest, Sample sample) {}

    private StoreManifest() {}

    /** Builds the manifest: reads every item from the stack {@code reader} reads. */
    static Recorded record(
            ItemSource reader, int historyRuns, List<String> objectKeys, String artifactRoot, Consumer<String> out) {
        Manifest.Builder b = new Manifest.Builder(reader);
        long t0 = System.nanoTime();
        reader.column("SELECT experiment_id FROM experiments ORDER BY experiment_id")
                .forEach(e -> b.add(Kind.EXPERIMENT, e));
        List<String> runs = reader.column("SELECT run_uuid FROM runs ORDER BY run_uuid");
        int done = 0;
        for (String r : runs) {
            b.add(Kind.RUN, r);
            b.add(Kind.RUN_METRICS, r);
            if (++done % 500 == 0) {
                out.accept("  manifest: " + done + " of " + runs.size() + " runs read");
            }
        }
        List<String> sampled = runs.subList(0, Math.min(historyRuns, runs.size()));
        List<String> histories = sampled.isEmpty()
                ? List.of()
                : reader.column("SELECT DISTINCT CONCAT(run_uuid, '/', `key`) FROM metrics WHERE run_uuid IN ("
                        + sampled.stream()
                                .map(r -> "'" + r.replace("'", "") + "'")
                                .collect(Collectors.joining(","))
                        + ") ORDER BY 1");
        histories.forEach(h -> b.add(Kind.METRIC_HISTORY, h));
        reader.column("SELECT name FROM registered_models ORDER BY name").forEach(m -> b.add(Kind.REGISTERED_MODEL, m));
        reader.column("SELECT CONCAT(name, '/', version) FROM model_versions ORDER BY name, version")
                .forEach(v -> b.add(Kind.MODEL_VERSION, v));
        for (String key : objectKeys) {
            b.add(Kind.OBJECT, artifactRoot + "/" + key);
            b.add(Kind.ARTIFACT, key);
        }
        Manifest m = Seeder.withTables(b.build("the restored dump"), reader);
        out.accept(String.format(
                "  manifest of the restored store: %d items read in %.1f s",
                m.items().size(), (System.nanoTime() - t0) / 1e9));
        return new Recorded(m, new Sample(sampled.size(), runs.size(), histories.size()));
    }

    /**
     * Puts every file under {@code dir} into the bucket at {@code <artifactRoot>/<path relative to dir>} (a copy of
     * the server's artifact destination keeps its layout) and reads each back: its SHA-256 must be the file's.
     */
    static Loaded loadArtifacts(Path dir, ObjectStore store, Consumer<String> out) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing --from-artifacts " + dir + ": " + e.getMessage(), e);
        }
        List<String> keys = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        long bytes = 0;
        String root = store.access().artifactRoot();
        for (Path f : files) {
            String key = dir.relativize(f).toString().replace('\\', '/');
            long size;
            String before;
            try (InputStream in = Files.newInputStream(f)) {
                size = Files.size(f);
                before = sha256(f);
                store.put(root + "/" + key, in, size);
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + f + ": " + e.getMessage(), e);
            }
            String after = store.sha256(root + "/" + key).orElse("(no object)");
            if (!after.equals(before)) {
                mismatched.add(key + ": file " + before + ", object " + after);
            }
            keys.add(key);
            bytes += size;
        }
        Loaded l = new Loaded(dir, keys.size(), bytes, keys, mismatched);
        out.accept("  artifacts: " + l.describe());
        return l;
    }

    static String sha256(Path f) throws IOException {
        try (DigestInputStream in =
                new DigestInputStream(Files.newInputStream(f), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return DeterministicContent.hex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
