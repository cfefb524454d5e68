package org.mlflowharness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.Option;
import org.mlflowharness.config.OptionValues;
import org.mlflowharness.config.StackSpec;
import org.mlflowharness.report.RunReport;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.nativestack.AlembicHeads;
import org.mlflowharness.stack.nativestack.NativeStack;
import org.mlflowharness.suites.support.StackSession;
import org.mlflowharness.upgrade.DumpFile;
import org.mlflowharness.upgrade.Rehearsal;
import org.mlflowharness.upgrade.UpgradeFault;
import picocli.CommandLine.Command;

/**
 * {@code ./harness upgrade --from mlflow=2.9.2 --to mlflow=3.17.2}: the upgrade rehearsal on its own native stack.
 * Stages: stack (FROM), seed (or, with {@code --from-dump}, restore and manifest), upgrade (stop, back up, migrate, start TO), schema-check (against a fresh install of TO),
 * verify-upgrade, suites (on TO), rollback
 * (restore, start FROM), verify-rollback, stop. Every stage's failure is recorded and the report written.
 */
@Command(
        name = "upgrade",
        abbreviateSynopsis = true,
        sortOptions = false,
        description = {
            "Upgrade rehearsal: bring a native stack up at --from, seed a dataset (or restore --from-dump), back up, migrate with --to's "
                    + "mlflow db upgrade, start --to on the same database and store, verify every item, run the suites, roll back "
                    + "and verify again; exit 1 when an item was lost or changed or a check failed."
        })
final class UpgradeCommand extends HarnessCommand {

    UpgradeCommand(Harness harness) {
        super(harness);
    }

    @Override
    List<Option> options() {
        return Option.ownNativeStacks(
                List.of(Option.DETACH, Option.KEEP_DATA, Option.LOAD_FAULT, Option.PROFILE),
                Option.FROM,
                Option.TO,
                Option.FROM_DUMP,
                Option.FROM_ARTIFACTS,
                Option.HISTORY_SAMPLE,
                Option.UPGRADE_FAULT,
                Option.LEGACY_CHARSET,
                Option.LEAST_PRIVILEGE,
                Option.BINARY_LOG,
                Option.INTERRUPT_MIGRATION,
                Option.ROWS_LIKE);
    }

    /** {@code --from-dump}, read and checked before anything starts: a one-line error otherwise. */
    static Optional<DumpFile> dump(HarnessConfig config) {
        return config.optional(Option.FROM_DUMP).filter(f -> !f.isBlank()).map(f -> {
            try {
                return DumpFile.read(Path.of(f));
            } catch (DumpFile.NotADump e) {
                throw new ConfigException(e.getMessage());
            }
        });
    }

    /** {@code --from-artifacts}: a directory, and only with {@code --from-dump}. */
    static Optional<Path> artifacts(HarnessConfig config, boolean withDump) {
        Optional<Path> dir =
                config.optional(Option.FROM_ARTIFACTS).filter(d -> !d.isBlank()).map(Path::of);
        dir.ifPresent(d -> {
            if (!withDump) {
                throw new ConfigException("--from-artifacts goes with --from-dump (the objects of the store the dump "
                        + "comes from); without a dump the rehearsal seeds its own artifacts");
            }
            if (!Files.isDirectory(d)) {
                throw new ConfigException("--from-artifacts " + d + ": not a directory; give a copy of the artifact "
                        + "destination, e.g. made with: aws s3 sync s3://<bucket>/<prefix> " + d);
            }
        });
        return dir;
    }

    /**
     * {@code --from}, or with a dump and no {@code --from}, the release whose head its alembic_version is; and how it
     * was chosen, for the report.
     */
    /** FROM's spec and how it was chosen. */
    record From(String spec, String chosenBy) {}

    static From from(HarnessConfig config, Optional<DumpFile> dump) {
        String fromText = config.get(Option.FROM);
        if (!fromText.isBlank() || dump.isEmpty()) {
            return new From(fromText, "--from " + fromText);
        }
        String revision = dump.get().revision();
        AlembicHeads.Release release = AlembicHeads.releaseOf(revision, config.cacheDir())
                .orElseThrow(() -> new ConfigException("--from-dump "
                        + dump.get().path() + ": its alembic_version "
                        + revision + " is the head of no MLflow release the harness knows (installed: "
                        + AlembicHeads.installed(config.cacheDir()) + "; alembic-heads.properties: "
                        + AlembicHeads.table().keySet() + "); pass --from mlflow=<the version its server ran>"));
        return new From(
                "mlflow=" + release.version(),
                "alembic_version " + revision + " is the head of MLflow " + release.version() + " (from "
                        + release.source() + ")");
    }

    @Override
    int run(HarnessConfig config) {
        requireNativeStack(
                config, "upgrade runs on its own native stack (it stops and swaps MLflow on one database and store)");
        Optional<DumpFile> dump = dump(config);
        Optional<Path> artifacts = artifacts(config, dump.isPresent());
        int historyRuns = OptionValues.number(
                Option.HISTORY_SAMPLE,
                config.get(Option.HISTORY_SAMPLE),
                0,
                1_000_000,
                "a number of runs from 0 to 1000000 (their full metric histories are read at each verification)");
        From fromAndHow = from(config, dump);
        String chosenBy = fromAndHow.chosenBy();
        StackSpec from = StackSpec.parse("--from", fromAndHow.spec());
        StackSpec to =
                config.optional(Option.TO).map(t -> StackSpec.parse("--to", t)).orElse(new StackSpec("", Map.of()));
        HarnessConfig base = config.with(Option.STACK, "native")
                .with(Option.WORK_DIR, config.workDir().resolve("upgrade").toString());
        HarnessConfig fromConfig = from.apply(base);
        HarnessConfig toConfig = to.apply(fromConfig);
        for (Option o : List.of(Option.NGINX_VARIANT, Option.RUSTFS_BIN)) {
            if (!fromConfig.get(o).equals(toConfig.get(o))) {
                throw new ConfigException(
                        "--to changes " + o.cliName() + ": the rehearsal upgrades MLflow in place on one stack; "
                                + "compare proxies and stores with ./harness compare --baseline ... --candidate ...");
            }
        }
        Optional<UpgradeFault> fault;
        try {
            fault = UpgradeFault.parse(config.get(Option.UPGRADE_FAULT));
            Rehearsal.checkOptions(config);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        String fromVersion = fromConfig.mlflowVersion();
        String toVersion = toConfig.mlflowVersion();
        RunSession run = session(config);
        Rehearsal rehearsal = new Rehearsal(
                fromConfig, fromVersion, toVersion, fault, run.writer().runDir().resolve("upgrade"), out()::println);
        run.section(
                "upgrade", rehearsal.report()); // filled as the stages run; its failure is among the verdict's reasons
        out().println("upgrade rehearsal: " + from.describe(base) + " -> " + to.describe(fromConfig)
                + fault.map(f -> " with the deliberate fault " + f).orElse(""));
        rehearsal.report().migration.conditions.forEach(c -> out().println("condition: " + c));
        run.stageValue("stack", () -> harness.start(fromConfig, run)).ifPresent(started -> {
            try {
                NativeStack stack = (NativeStack) started.provider();
                run.stack(started.stack());
                out().println(started.stack().description().summaryLines());
                boolean ready = dump.isEmpty()
                        ? run.onStack("seed", () -> rehearsal.seed(started.stack()))
                        : run.stageValue(
                                        "restore",
                                        () -> rehearsal.restoreDump(stack, started.stack(), dump.get(), chosenBy))
                                .map(restored -> {
                                    run.stack(restored);
                                    return run.onStack(
                                            "manifest", () -> rehearsal.record(restored, artifacts, historyRuns));
                                })
                                .orElse(false);
                if (ready) {
                    Optional<RunningStack> upgraded =
                            run.stageValue("upgrade", () -> rehearsal.upgrade(stack, started.stack()));
                    upgraded.ifPresent(toStack -> {
                        run.stack(toStack);
                        out().println(toStack.description().summaryLines());
                        run.onStack("schema-check", () -> rehearsal.checkSchema(stack, toStack));
                        run.onStack(
                                "verify-upgrade", () -> rehearsal.verify(toStack, "after the upgrade to " + toVersion));
                        StackSession.use(toStack);
                        run.onStack(
                                "suites",
                                () -> run.suites(new SuiteRunner(out()::println, config.suiteThreads())
                                        .run(config.suiteTags())));
                    });
                    run.stageValue("rollback", () -> rehearsal.rollback(stack))
                            .ifPresent(back -> run.onStack(
                                    "verify-rollback",
                                    () -> rehearsal.verify(back, "after the rollback to " + fromVersion)));
                }
            } finally {
                run.stage("stop", started::close);
            }
        });
        RunReport report = run.finish();
        out().println(report.closingLine());
        return report.exitCode();
    }
}
