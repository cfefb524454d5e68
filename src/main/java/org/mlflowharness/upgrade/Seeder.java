package org.mlflowharness.upgrade;

import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.client.ArtifactClient;
import org.mlflowharness.client.DeterministicContent;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.upgrade.Manifest.Kind;

/**
 * Seeds the dataset an upgrade must carry over, through the API (the one typed client, through nginx), and records the
 * {@link Manifest} of it as the FROM stack then serves it. Deterministic: every value, timestamp and byte is a function
 * of its position; only the name prefix is unique per run. What it seeds:
 * <ul>
 *   <li>experiments: one with tags, one with a unicode name, one deleted (with a run in it);</li>
 *   <li>runs in every status (RUNNING, SCHEDULED, FINISHED, FAILED, KILLED) and one deleted, each with params and tags;</li>
 *   <li>metric histories, one of 10,000 steps, one with NaN and +/-Infinity;</li>
 *   <li>artifacts of 0 B, 1 B, 1 KiB, 1 MiB + 1 and 64 MiB, nested and with unicode and spaces in their paths;</li>
 *   <li>registered models with several versions whose source is a run's artifact directory, tags, and aliases when the
 *       FROM server has the alias API (MLflow 2.3+; skipped with the reason otherwise).</li>
 * </ul>
 */
public final class Seeder {

    static final long T0 = 1_700_000_000_000L;
    static final int LONG_HISTORY_STEPS = 10_000;
    private static final int BATCH = 1000;
    private static final String[] STATUSES = {"RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"};

    private static final String MLMODEL = "model/MLmodel";

    /** The generated artifacts of the training run (besides its MLmodel file): path under its artifact directory and size. */
    static final Map<String, Long> ARTIFACTS = new LinkedHashMap<>();

    static {
        ARTIFACTS.put("empty.bin", 0L);
        ARTIFACTS.put("one-byte.bin", 1L);
        ARTIFACTS.put("notes/small.txt", 1024L);
        ARTIFACTS.put("nested/deeper/deepest/weights.bin", (1L << 20) + 1);
        ARTIFACTS.put("ünïcødé dir/データ ファイル.txt", 4096L);
        ARTIFACTS.put("large/model-64MiB.bin", 64L << 20);
        ARTIFACTS.put("model/model.pkl", 256L << 10);
    }

    private final MlflowClient mlflow;
    private final Optional<ObjectStore> store;
    private final Consumer<String> out;
    private final String prefix;
    private final Manifest.Builder manifest;
    private final List<String> experiments = new ArrayList<>();
    private final List<String> models = new ArrayList<>();
    /** Characters a legacy schema cannot store become '?' (an install on it could never have held them). */
    private Optional<Charset> storable = Optional.empty();

    public Seeder(
            MlflowClient mlflow, StateReader reader, Optional<ObjectStore> store, String prefix, Consumer<String> out) {
        this.mlflow = mlflow;
        this.store = store;
        this.prefix = prefix;
        this.out = out;
        this.manifest = new Manifest.Builder(reader);
    }

    /** With a latin1 schema: seed only text it can store ({@code --legacy-charset latin1}). */
    public Seeder storableIn(Optional<Charset> charset) {
        this.storable = charset;
        return this;
    }

    private String text(String s) {
        return storable(s, storable);
    }

    /** {@code s} as a schema of {@code charset} can store it: each character it cannot hold becomes '?'. */
    static String storable(String s, Optional<Charset> charset) {
        if (charset.isEmpty()) {
            return s;
        }
        var encoder = charset.get().newEncoder();
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> {
            String c = new String(Character.toChars(cp));
            b.append(encoder.canEncode(c) ? c : "?");
        });
        return b.toString();
    }

    /** Seeds everything and returns the manifest as the stack serves it now; {@code tables} is the database's row counts afterwards. */
    public Manifest seed(String fromVersion) {
        long t0 = System.nanoTime();
        String main = experiment(
                "main", Map.of("team", "platform", "purpose", "upgrade rehearsal", "note", text("données ✓ データ")));
        String unicode = experiment(text("sëcond-実験"), Map.of());
        String deleted = experiment("deleted", Map.of());
        String inDeleted = run(deleted, "in-deleted-experiment", 0, "FINISHED");
        mlflow.deleteExperiment(deleted);

        List<String> runs = new ArrayList<>();
        for (int i = 0; i < STATUSES.length; i++) {
            runs.add(run(main, "run-" + STATUSES[i].toLowerCase(), i + 1, STATUSES[i]));
        }
        String deletedRun = run(main, "run-deleted", 6, "FINISHED");
        mlflow.deleteRun(deletedRun);
        String other = run(unicode, "rün-ünïcødé", 7, "FINISHED");

        String training = run(main, "training", 8, null);
        histories(training);
        String artifactDir =
                ArtifactClient.proxiedArtifactDir(mlflow.getRun(training).getString("run.info.artifact_uri"));
        artifacts(artifactDir);
        mlflow.updateRun(training, "FINISHED", T0 + 9_000_000, null);
        runs.add(training);

        registry(training, artifactDir);

        for (String e : List.of(main, unicode, deleted)) {
            manifest.add(Kind.EXPERIMENT, e);
        }
        List<String> allRuns = new ArrayList<>(runs);
        allRuns.addAll(List.of(inDeleted, deletedRun, other));
        for (String r : allRuns) {
            manifest.add(Kind.RUN, r);
        }
        for (String key : List.of("loss", "accuracy", "long_history", "special_values")) {
            manifest.add(Kind.METRIC_HISTORY, training + "/" + key);
        }
        for (String r : runs.subList(0, STATUSES.length)) {
            manifest.add(Kind.METRIC_HISTORY, r + "/score");
        }
        List<String> paths = new ArrayList<>(ARTIFACTS.keySet());
        paths.add(MLMODEL);
        for (String path : paths) {
            manifest.add(Kind.ARTIFACT, artifactDir + "/" + path);
            if (store.isPresent()) {
                manifest.add(Kind.OBJECT, store.get().access().artifactRoot() + "/" + artifactDir + "/" + path);
            }
        }
        for (String dir : List.of("", "/nested/deeper/deepest", "/ünïcødé dir", "/model")) {
            manifest.add(Kind.ARTIFACT_LISTING, artifactDir + dir);
        }
        if (store.isEmpty()) {
            manifest.skip("objects in the bucket: the stack gives no S3 access");
        }
        out.accept(String.format(
                "seeded %d experiments, %d runs, %d artifacts, %d registered models through the API in %.1f s",
                experiments.size(),
                allRuns.size(),
                ARTIFACTS.size() + 1,
                models.size(),
                (System.nanoTime() - t0) / 1e9));
        return manifest.build("MLflow " + fromVersion);
    }

    /** Adds the database's tables (row counts) to a manifest; called once the seeding is done. */
    static Manifest withTables(Manifest m, ItemSource reader) {
        List<Manifest.Item> items = new ArrayList<>(m.items());
        reader.tables().forEach((table, rows) -> {
            StateReader.Read r = reader.read(Kind.TABLE, table);
            items.add(new Manifest.Item(Kind.TABLE, table, r.summary(), r.sha256()));
        });
        return new Manifest(m.seededBy(), items, m.skipped());
    }

    private String experiment(String what, Map<String, String> tags) {
        String id = mlflow.createExperiment(prefix + "-" + what, tags);
        experiments.add(id);
        return id;
    }

    /** A run with params and tags and a short "score" history, left in {@code status} (null: RUNNING, for the caller to end). */
    private String run(String experiment, String name, int n, String status) {
        long start = T0 + n * 60_000L;
        String id = mlflow.createRun(
                        experiment,
                        name,
                        start,
                        Map.of("team", "platform", "seed.index", String.valueOf(n), "ünïcødé tag", "värde " + n))
                .getString("run.info.run_id");
        List<Map<String, String>> params = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            params.add(MlflowClient.keyValue("param_" + p, "value-" + n + "-" + p));
        }
        params.add(MlflowClient.keyValue("learning_rate", "0.00" + (n + 1)));
        params.add(MlflowClient.keyValue("unicode param", text("ß∂ƒ ✓ " + n)));
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            metrics.add(MlflowClient.metric("score", Math.round(1e6 * (n + Math.sin(s))) / 1e6, start + s * 1000L, s));
        }
        mlflow.logBatch(
                id,
                metrics,
                params,
                List.of(MlflowClient.keyValue("mlflow.note.content", "run " + name + " of the rehearsal")));
        if (status != null && !status.equals("RUNNING")) {
            boolean terminal = !status.equals("SCHEDULED");
            mlflow.updateRun(id, status, terminal ? start + 30_000L : null, null);
        }
        return id;
    }

    private void histories(String run) {
        long start = T0 + 8 * 60_000L;
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int s = 0; s < 100; s++) {
            batch.add(MlflowClient.metric("loss", 1.0 / (s + 1) + s * 1e-9, start + s, s));
            batch.add(MlflowClient.metric("accuracy", Math.round(1e6 * (1 - 1.0 / (s + 2))) / 1e6, start + s, s));
        }
        mlflow.logBatch(run, batch, List.of(), List.of());
        for (int from = 0; from < LONG_HISTORY_STEPS; from += BATCH) {
            List<Map<String, Object>> chunk = new ArrayList<>();
            for (int s = from; s < from + BATCH; s++) {
                chunk.add(MlflowClient.metric("long_history", Math.sin(s / 100.0) * 1000 + s / 7.0, start + s, s));
            }
            mlflow.logBatch(run, chunk, List.of(), List.of());
        }
        Object[] special = {"NaN", "Infinity", "-Infinity", 0.0, 1.7976931348623157E308, 4.9E-324};
        for (int s = 0; s < special.length; s++) {
            mlflow.logMetricRaw(run, "special_values", special[s], start + s, s);
        }
    }

    private void artifacts(String artifactDir) {
        long seed = 1;
        byte[] text = "artifact_path: model\nflavors:\n  python_function:\n    loader_module: rehearsal\n"
                .getBytes(StandardCharsets.UTF_8);
        mlflow.artifacts().upload(artifactDir + "/" + MLMODEL, new ByteArrayInputStream(text), text.length);
        for (Map.Entry<String, Long> a : ARTIFACTS.entrySet()) {
            long size = a.getValue();
            mlflow.artifacts().upload(artifactDir + "/" + a.getKey(), DeterministicContent.open(size, seed++), size);
        }
    }

    private void registry(String training, String artifactDir) {
        String source = "mlflow-artifacts:/" + artifactDir + "/model";
        String model = prefix + "-model";
        mlflow.registry().createRegisteredModel(model, "the model in production (upgrade rehearsal)");
        models.add(model);
        mlflow.registry().setRegisteredModelTag(model, "owner", "platform");
        mlflow.registry().setRegisteredModelTag(model, "ünïcødé", text("✓"));
        for (int v = 1; v <= 3; v++) {
            String version = mlflow.registry()
                    .createModelVersion(model, source, training)
                    .getString("model_version.version");
            mlflow.registry().updateModelVersion(model, version, "version " + v + " of the rehearsal");
            mlflow.registry().setModelVersionTag(model, version, "validation", v == 2 ? "passed" : "pending");
        }
        String second = prefix + "-second-model";
        mlflow.registry().createRegisteredModel(second, "");
        models.add(second);
        mlflow.registry().createModelVersion(second, source, training);

        Response alias =
                mlflow.postRaw("/registered-models/alias", Map.of("name", model, "alias", "champion", "version", "2"));
        if (alias.statusCode() == 200) {
            mlflow.registry().setAlias(model, "challenger", "3");
        } else {
            manifest.skip("aliases: the FROM server answered POST registered-models/alias with " + alias.statusCode()
                    + " (aliases came with MLflow 2.3)");
        }
        manifest.add(Kind.REGISTERED_MODEL, model);
        manifest.add(Kind.REGISTERED_MODEL, second);
        for (int v = 1; v <= 3; v++) {
            manifest.add(Kind.MODEL_VERSION, model + "/" + v);
        }
        manifest.add(Kind.MODEL_VERSION, second + "/1");
    }

    /** The experiments and registered models the seeding created (for cleanup by the caller when it wants one). */
    public List<String> experiments() {
        return List.copyOf(experiments);
    }
}
