package org.mlflowharness.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.Option;
import org.mlflowharness.config.StackSpec;
import org.mlflowharness.report.RunReport;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.nativestack.NativeStack;
import org.mlflowharness.suites.support.StackSession;
import org.mlflowharness.upgrade.Rehearsal;
import org.mlflowharness.upgrade.UpgradeFault;
import picocli.CommandLine.Command;

/**
 * {@code ./harness upgrade --from mlflow=2.9.2 --to mlflow=3.17.2}: the upgrade rehearsal on its own native stack.
 * Stages: stack (FROM), seed, upgrade (stop, back up, migrate, start TO), schema-check (against a fresh install of TO),
 * verify-upgrade, suites (on TO), rollback
 * (restore, start FROM), verify-rollback, stop. Every stage's failure is recorded and the report written.
 */
@Command(
        name = "upgrade",
        abbreviateSynopsis = true,
        sortOptions = false,
        description = {
            "Upgrade rehearsal: bring a native stack up at --from, seed a dataset, back up, migrate with --to's "
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
                Option.UPGRADE_FAULT,
                Option.LEGACY_CHARSET,
                Option.LEAST_PRIVILEGE,
                Option.BINARY_LOG,
                Option.INTERRUPT_MIGRATION,
                Option.ROWS_LIKE);
    }

    @Override
    int run(HarnessConfig config) {
        requireNativeStack(
                config, "upgrade runs on its own native stack (it stops and swaps MLflow on one database and store)");
        StackSpec from = StackSpec.parse("--from", config.get(Option.FROM));
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
                if (run.onStack("seed", () -> rehearsal.seed(started.stack()))) {
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
