package org.mlflowharness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.Option;
import org.mlflowharness.config.OptionValues;
import org.mlflowharness.load.Volume;
import org.mlflowharness.load.VolumeFill;
import org.mlflowharness.report.RunReport;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.upgrade.DatabaseBackup;
import org.mlflowharness.upgrade.DumpFile;
import org.mlflowharness.upgrade.RegistryFill;
import org.mlflowharness.upgrade.SeedReport;
import org.mlflowharness.upgrade.StateReader;
import picocli.CommandLine.Command;

/**
 * {@code ./harness seed --runs 1000 [--shape ...] [--dump-to FILE]}: fills a store with a production-sized volume of
 * runs through the API ({@link VolumeFill}, the data-volume scenario's fill: reusable, rate printed), then optionally
 * dumps MLflow's database for {@code upgrade --from-dump}. Stages: stack (the running one, or its own), seed, dump,
 * stop.
 */
@Command(
        name = "seed",
        abbreviateSynopsis = true,
        sortOptions = false,
        description = {
            "Fill the store with --runs runs of --shape (params, tags, metric points) through log-batch at the API's "
                    + "maximum size, in parallel, the rate printed; reuses a fill of the same shape already there; "
                    + "--dump-to FILE then dumps MLflow's database (.sql or .sql.gz) for upgrade --from-dump. Runs on "
                    + "the stack that runs (./harness up --detach) or brings its own up (and down: use --dump-to)."
        })
final class SeedCommand extends HarnessCommand {

    SeedCommand(Harness harness) {
        super(harness);
    }

    @Override
    List<Option> options() {
        List<Option> all = new ArrayList<>(Option.allExcept(
                Option.SUITES,
                Option.CLIENT_VERSION,
                Option.PROFILE,
                Option.LOAD_FAULT,
                Option.KEEP_DATA,
                Option.DETACH));
        all.addAll(List.of(Option.SEED_RUNS, Option.SEED_SHAPE, Option.DUMP_TO));
        return all;
    }

    /** {@code --runs} and {@code --shape} as the fill's shape; a one-line error otherwise. */
    static Volume volume(HarnessConfig config) {
        int runs = OptionValues.number(
                Option.SEED_RUNS, config.get(Option.SEED_RUNS), 1, 1_000_000, "a number of runs from 1 to 1000000");
        try {
            return Volume.ofShape(config.get(Option.SEED_SHAPE), runs);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** {@code --dump-to}: a new .sql or .sql.gz file in an existing directory. */
    static Optional<Path> dumpTo(HarnessConfig config) {
        Optional<Path> file =
                config.optional(Option.DUMP_TO).filter(f -> !f.isBlank()).map(Path::of);
        file.ifPresent(f -> {
            String name = f.getFileName().toString();
            if (!name.endsWith(".sql") && !name.endsWith(".sql.gz")) {
                throw new ConfigException("--dump-to " + f + ": name it .sql, or .sql.gz for a compressed dump");
            }
            if (Files.exists(f)) {
                throw new ConfigException("--dump-to " + f + ": exists; remove it or choose another name");
            }
            Path dir = f.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
                throw new ConfigException("--dump-to " + f + ": " + dir + " is not a writable directory");
            }
        });
        return file;
    }

    @Override
    int run(HarnessConfig config) {
        Volume volume = volume(config);
        int runs = volume.levels().get(0);
        Optional<Path> dumpTo = dumpTo(config);
        if (dumpTo.isPresent()) {
            requireNativeStack(
                    config, "--dump-to dumps the database of a native stack (the harness runs its dump tool)");
        }
        if (dumpTo.isEmpty()) {
            out().println("seed: no --dump-to: the fill stays only in a stack that keeps running (./harness up --detach"
                    + " first); a stack this command brings up stops at the end");
        }
        RunSession run = session(config);
        SeedReport report = new SeedReport(volume, runs);
        run.section("seed", report);
        run.stageValue("stack", () -> harness.start(config, run)).ifPresent(started -> {
            try {
                RunningStack stack = started.stack();
                run.stack(stack);
                out().println(stack.description().summaryLines());
                StateReader reader = new StateReader(
                        new MlflowClient(stack.endpoints()),
                        Optional.empty(),
                        stack.endpoints().databaseAccess());
                boolean seeded = run.onStack("seed", () -> {
                    out().println("seed: " + runs + " runs of " + report.shape + ", " + report.pointsWanted
                            + " metric points");
                    report.fill = new VolumeFill(new MlflowClient(stack.endpoints()), volume, out()::println)
                            .fillTo(runs, System.nanoTime() + (long) (volume.maxMinutes() * 60e9));
                    out().printf(
                                    "seed: %d runs, %d metric points in the store; added %d runs, %d points in %.1f s"
                                            + " (%.0f points/s)%n",
                                    report.fill.runsPresent(),
                                    report.fill.pointsPresent(),
                                    report.fill.runsAdded(),
                                    report.fill.pointsAdded(),
                                    report.fill.seconds(),
                                    report.fill.pointsPerSecond());
                    int[] registry =
                            RegistryFill.fill(new MlflowClient(stack.endpoints()), report.fill.experimentIds(), 3);
                    report.registry = registry[0] + " registered models (one per experiment, with a tag), "
                            + registry[1] + " model versions (of its first 3 runs, each with a tag)";
                    out().println("seed: " + report.registry);
                    if (stack.endpoints().databaseAccess().isPresent()) {
                        report.rowsPerTable = reader.tables();
                        out().println("seed: rows per table " + report.rowsPerTable);
                    }
                });
                if (seeded && dumpTo.isPresent()) {
                    run.onStack("dump", () -> dump(config, stack, dumpTo.get(), report));
                }
            } finally {
                run.stage("stop", started::close);
            }
        });
        RunReport r = run.finish();
        out().println(r.closingLine());
        return r.exitCode();
    }

    private void dump(HarnessConfig config, RunningStack stack, Path file, SeedReport report) {
        DatabaseBackup backup = new DatabaseBackup(
                stack.endpoints().database(),
                config.workDir().resolve("seed-dump"),
                DatabaseBackup.Client.of(stack, config.cacheDir(), out()::println));
        out().println("dump: " + backup.client().dump() + " of `" + backup.database() + "` to " + file + " ...");
        long t0 = System.nanoTime();
        backup.backUp(file.toAbsolutePath());
        double seconds = Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
        DumpFile written = DumpFile.read(file);
        report.dumped(written, seconds);
        report.next = "./harness upgrade --from-dump " + file + " --to mlflow=<the version to upgrade to>";
        out().println("dump: " + written.describe() + " in " + seconds + " s; rows "
                + (report.dumpRowsDiffer.isEmpty() ? "equal to the database's" : "DIFFER: " + report.dumpRowsDiffer));
        out().println("next: " + report.next);
    }
}
