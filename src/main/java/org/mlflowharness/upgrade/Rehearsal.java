package org.mlflowharness.upgrade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.model.DatabaseConditions;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.nativestack.AlembicHeads;
import org.mlflowharness.stack.nativestack.NativeStack;
import org.mlflowharness.stack.nativestack.Toolchain;

/**
 * The steps of an upgrade rehearsal on one native stack, in the order {@code ./harness upgrade} runs them: seed the
 * FROM stack and record the manifest; stop MLflow, back the database up, run TO's {@code mlflow db upgrade} (timed, its
 * output kept), optionally damage the result ({@link UpgradeFault}), start TO on the same database and store; compare
 * the schema with a fresh install of TO ({@link #checkSchema}); verify;
 * restore the backup and start FROM again; verify. Everything it learns goes into its {@link RehearsalReport}.
 */
public final class Rehearsal {

    /** The fresh install's database, beside MLflow's on the same server. */
    private static final String FRESH_DB = "mlflow_fresh_install";
    /** What MLflow's server does on its first start on an empty database: create every table, migrate to its head. */
    private static final String FRESH_INSTALL = "import os, sys\n"
            + "from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore\n"
            + "SqlAlchemyStore(os.environ['HARNESS_FRESH_DB_URI'], sys.argv[1])\n";

    private final HarnessConfig config;
    private final String fromVersion;
    private final String toVersion;
    private final Optional<UpgradeFault> fault;
    private final Path dir;
    private final Consumer<String> out;
    private final RehearsalReport report = new RehearsalReport();
    private Manifest manifest;
    private DatabaseBackup backup;
    private Path toMlflow;
    private final DatabaseConditions conditions;
    private final Optional<MigrationRun.Interrupt> interrupt;
    private final Map<String, Long> rowsLike;

    /**
     * @param dir where the backup, the migration's log and the client option file go (the report directory's
     *            {@code upgrade/})
     */
    public Rehearsal(
            HarnessConfig config,
            String fromVersion,
            String toVersion,
            Optional<UpgradeFault> fault,
            Path dir,
            Consumer<String> out) {
        this.config = config;
        this.fromVersion = fromVersion;
        this.toVersion = toVersion;
        this.fault = fault;
        this.dir = dir;
        this.out = out;
        report.from = "MLflow " + fromVersion;
        report.to = "MLflow " + toVersion;
        report.fault = fault.map(UpgradeFault::toString).orElse(null);
        this.conditions = config.databaseConditions();
        this.interrupt = MigrationRun.Interrupt.parse(config.get(Option.INTERRUPT_MIGRATION));
        this.rowsLike = MigrationVolume.parse(config.get(Option.ROWS_LIKE));
        report.migration.conditions.addAll(conditions.describe());
    }

    /**
     * Checks {@code --interrupt-migration} and {@code --rows-like} before anything starts.
     *
     * @throws IllegalArgumentException naming the bad value and what it takes
     */
    public static void checkOptions(HarnessConfig config) {
        MigrationRun.Interrupt.parse(config.get(Option.INTERRUPT_MIGRATION));
        MigrationVolume.parse(config.get(Option.ROWS_LIKE));
    }

    public RehearsalReport report() {
        return report;
    }

    private static StateReader reader(RunningStack stack, Optional<ObjectStore> store) {
        return new StateReader(
                new MlflowClient(stack.endpoints()), store, stack.endpoints().databaseAccess());
    }

    /** Seeds the dataset on the FROM stack and records the manifest (API items, objects, table row counts) and the schema revision. */
    public void seed(RunningStack stack) {
        report.source = DataSource.seeded();
        try (ObjectStore store = new ObjectStore(stack.endpoints().s3())) {
            StateReader reader = reader(stack, Optional.of(store));
            Manifest seeded = new Seeder(
                            new MlflowClient(stack.endpoints()),
                            reader,
                            Optional.of(store),
                            Names.unique("upgrade"),
                            out)
                    .storableIn(conditions.legacyCharset().narrowJavaCharset())
                    .seed(fromVersion);
            manifest = Seeder.withTables(seeded, reader);
            report.schemaRevisionFrom = reader.schemaRevision();
        }
        recorded();
    }

    /**
     * Replaces FROM's (empty) database with the user's dump, MLflow stopped meanwhile, and starts FROM on it. Refuses
     * a dump at another revision than FROM's head (FROM's server would not start on it).
     */
    public RunningStack restoreDump(NativeStack stack, RunningStack running, DumpFile dump, String chosenBy) {
        report.source = DataSource.of(dump, chosenBy);
        AlembicHeads.versionsDir(config.cacheDir(), fromVersion)
                .map(AlembicHeads::heads)
                .filter(h -> !h.contains(dump.revision()))
                .ifPresent(h -> {
                    throw new IllegalStateException("the dump's schema is at revision " + dump.revision()
                            + ", but MLflow " + fromVersion + "'s head is " + String.join(",", h)
                            + ": pass --from mlflow=<the release the dump's server ran>, or leave --from out and the"
                            + " harness picks the release from alembic_version");
                });
        DatabaseBackup target = new DatabaseBackup(
                running.endpoints().database(),
                dir.resolve("from-dump"),
                DatabaseBackup.Client.of(running, config.cacheDir(), out));
        return stack.replaceTracking(fromVersion, () -> {
            Path script = dir.resolve("from-dump").resolve("restore-from-dump.sql");
            out.accept("restoring " + dump.describe() + " into `" + target.database() + "` ...");
            long t0 = System.nanoTime();
            try {
                Files.createDirectories(script.getParent());
                report.source.restoreRewrites = dump.writeRestorable(script, target.database());
                target.restore(script);
                Files.deleteIfExists(script); // the user's data: the dump itself is the copy to keep
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            report.source.restoreSeconds = seconds(t0);
            out.accept("restored in " + report.source.restoreSeconds + " s"
                    + (report.source.restoreRewrites.isEmpty()
                            ? ""
                            : " (" + String.join("; ", report.source.restoreRewrites) + ")"));
        });
    }

    /**
     * Records the manifest of what the restored store holds ({@link StoreManifest}), after loading {@code artifacts}
     * (a copy of the bucket's objects) into the store when given.
     */
    public void record(RunningStack stack, Optional<Path> artifacts, int historyRuns) {
        try (ObjectStore store = new ObjectStore(stack.endpoints().s3())) {
            StateReader reader = reader(stack, Optional.of(store));
            report.schemaRevisionFrom = reader.schemaRevision();
            report.source.rowsPerTable = reader.tables();
            out.accept("restored store: " + report.source.rowsPerTable);
            Optional<StoreManifest.Loaded> loaded = artifacts.map(d -> StoreManifest.loadArtifacts(d, store, out));
            report.source.artifacts = loaded.map(StoreManifest.Loaded::describe)
                    .orElse("artifact bytes were not part of the rehearsal (no --from-artifacts): only the database"
                            + " was restored, so artifacts are neither loaded nor verified");
            loaded.ifPresent(l -> report.source.artifactsNotReadBackEqual = l.mismatched());
            StoreManifest.Recorded r = StoreManifest.record(
                    reader,
                    historyRuns,
                    loaded.map(StoreManifest.Loaded::keys).orElse(List.of()),
                    store.access().artifactRoot(),
                    out);
            manifest = r.manifest();
            report.source.historySample = r.sample().describe();
        }
        recorded();
    }

    private void recorded() {
        report.manifest = manifest.counts();
        report.manifestItems = manifest.items().size();
        report.skipped = manifest.skipped();
        out.accept("manifest: " + manifest.items().size() + " items " + manifest.counts() + ", schema at "
                + report.schemaRevisionFrom
                + (manifest.skipped().isEmpty()
                        ? ""
                        : "; not in the manifest: " + manifest.skipped().size() + " item(s), e.g. "
                                + manifest.skipped()
                                        .subList(
                                                0,
                                                Math.min(3, manifest.skipped().size()))));
    }

    /**
     * Stops FROM, backs the database up, migrates it with TO's {@code mlflow db upgrade}, applies the fault if any, and
     * starts TO on the same database and store. Returns the stack running TO.
     */
    public RunningStack upgrade(NativeStack stack, RunningStack running) {
        toMlflow = new Toolchain(config, config.workDir().resolve("install-logs"), out).mlflow(toVersion);
        backup = new DatabaseBackup(
                running.endpoints().database(), dir, DatabaseBackup.Client.of(running, config.cacheDir(), out));
        AlembicHeads.versionsDir(config.cacheDir(), toVersion)
                .map(AlembicHeads::heads)
                .filter(h -> h.size() == 1)
                .map(h -> h.iterator().next())
                .ifPresent(h -> report.expectedHeadOfTo = h);
        DatabaseAccess db = running.endpoints().database();
        Map<String, Long> rowsFrom = reader(running, Optional.empty()).tables();
        Migrator migrator =
                new Migrator(Migrator.command(toMlflow, db.sqlAlchemyUri()), db, dir, interrupt, report.migration, out);
        return stack.replaceTracking(toVersion, () -> {
            migrator.prepare(conditions);
            long t0 = System.nanoTime();
            long bytes = backup.backUp();
            report.backupSeconds = seconds(t0);
            report.backup = backup.dump() + " (" + bytes + " bytes)";
            out.accept("backed up the database: " + report.backup + " in " + report.backupSeconds + " s");
            Path log = dir.resolve("migration.log");
            report.migrationLog = log.toString();
            report.migrationCommand = Migrator.DESCRIPTION + " (MLflow " + toVersion + ")";
            out.accept("migrating: " + report.migrationCommand
                    + interrupt
                            .map(i -> ", to be killed " + i + " and run again")
                            .orElse("") + " ...");
            try {
                MigrationRun.Outcome done = migrator.migrate(log);
                report.migrationSeconds = done.seconds();
                migrator.volume(done, rowsFrom, rowsLike);
            } finally {
                report.migrationLogTail = ManagedProcess.tail(log, 15);
                report.schemaRevisionAfterUpgrade =
                        reader(running, Optional.empty()).schemaRevision();
            }
            out.accept("migrated in " + report.migrationSeconds + " s: schema " + report.schemaRevisionFrom + " -> "
                    + report.schemaRevisionAfterUpgrade
                    + (report.expectedHeadOfTo == null
                            ? ""
                            : " (head of " + toVersion + ": " + report.expectedHeadOfTo + ")"));
            fault.ifPresent(f -> {
                f.apply(running.endpoints().database());
                out.accept("DELIBERATE FAULT applied after the migration: " + f);
            });
        });
    }

    /**
     * Compares the upgraded schema with a fresh install of TO on the same database server: TO creates its schema in a
     * scratch database beside MLflow's as its server does on a first start; every difference goes into the report
     * ({@link SchemaDiff}); the scratch database is dropped again.
     */
    public SchemaCheck checkSchema(NativeStack stack, RunningStack upgraded) {
        if (toMlflow == null) {
            throw new IllegalStateException("nothing to compare: the upgrade stage did not get that far");
        }
        DatabaseAccess db = upgraded.endpoints().database();
        SchemaSnapshot after = SchemaSnapshot.read(db);
        String[] defaults = SchemaSnapshot.defaults(db);
        out.accept("schema check: a fresh install of MLflow " + toVersion + " in " + FRESH_DB + " (" + defaults[0]
                + ", " + defaults[1] + ") on the same server ...");
        DatabaseAccess scratch = stack.scratchDatabase(FRESH_DB, defaults[0], defaults[1]);
        try {
            Path log = dir.resolve("fresh-install.log");
            long t0 = System.nanoTime();
            Command.run(
                    "mlflow (fresh install)",
                    List.of(
                            toMlflow.resolveSibling("python").toString(),
                            "-c",
                            FRESH_INSTALL,
                            dir.resolve("fresh-install-artifacts").toString()),
                    Map.of("HARNESS_FRESH_DB_URI", scratch.sqlAlchemyUri()),
                    log,
                    Migrator.TIMEOUT,
                    "see " + log);
            double seconds = seconds(t0);
            SchemaSnapshot fresh = SchemaSnapshot.read(scratch);
            Map<String, Integer> compared = new LinkedHashMap<>();
            compared.put("tables", fresh.tableCollations().size());
            compared.put("columns", fresh.columns().size());
            compared.put(
                    "indexes",
                    fresh.indexes().values().stream().mapToInt(List::size).sum());
            compared.put(
                    "foreign keys",
                    fresh.foreignKeys().values().stream().mapToInt(List::size).sum());
            compared.put("triggers", fresh.triggers().size());
            SchemaCheck check = new SchemaCheck(
                    "MLflow " + toVersion + "'s SqlAlchemyStore on an empty database (as its server's first start), "
                            + "log " + log,
                    seconds,
                    compared,
                    SchemaDiff.compare(after, fresh));
            report.schemaCheck = check;
            out.accept("schema check: " + check.differences().size() + " differences from a fresh install " + compared
                    + ", " + check.failing().size() + " failing");
            check.differences().forEach(d -> out.accept("  " + (d.fails() ? "FAILS " : "") + d.oneLine()));
            return check;
        } finally {
            stack.dropScratchDatabase(FRESH_DB);
        }
    }

    /** Verifies every manifest item on {@code stack} (through the API, in the bucket, in the database). */
    public Verification verify(RunningStack stack, String phase) {
        if (manifest == null) {
            throw new IllegalStateException("nothing to verify: the seed stage did not complete");
        }
        Verification v;
        try (ObjectStore store = new ObjectStore(stack.endpoints().s3())) {
            v = Verification.of(phase, manifest, reader(stack, Optional.of(store)));
        }
        report.verifications.removeIf(x -> x.phase().equals(phase));
        report.verifications.add(v);
        out.accept("verified " + phase + ": " + v.verified() + " of " + v.items() + " verified, "
                + v.lost().size() + " lost, " + v.changed().size() + " changed");
        v.lost().forEach(o -> out.accept("  LOST " + o.oneLine()));
        v.changed().forEach(o -> out.accept("  CHANGED " + o.oneLine()));
        return v;
    }

    /** Stops TO, restores the backup, starts FROM again. Returns the stack running FROM. */
    public RunningStack rollback(NativeStack stack) {
        if (backup == null) {
            throw new IllegalStateException("no backup to roll back to: the upgrade stage did not get that far");
        }
        RunningStack back = stack.replaceTracking(fromVersion, () -> {
            backup.restore();
            out.accept("restored the database from " + backup.dump());
        });
        report.schemaRevisionAfterRollback = reader(back, Optional.empty()).schemaRevision();
        return back;
    }

    private static double seconds(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
    }
}
