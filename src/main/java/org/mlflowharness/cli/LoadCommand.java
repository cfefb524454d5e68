package org.mlflowharness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.Option;
import org.mlflowharness.config.OptionValues;
import org.mlflowharness.load.MetricRowFault;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.ProfileLoader;
import org.mlflowharness.load.ScenarioKind;
import org.mlflowharness.load.run.LoadRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./harness load <scenario|all> --profile <name>}: runs load scenarios against the configured stack provider
 * (bringing a stack up when none runs, stopping it afterwards) and writes the {@code load} section of the report.
 * The gate uses {@link #gateStage} for its smoke load stage.
 */
@Command(
        name = "load",
        abbreviateSynopsis = true,
        sortOptions = false,
        description = {
            "Gatling load scenarios with the profile's SLOs (profiles: scenarios/<name>.yaml, e.g. smoke, capacity, "
                    + "soak); brings a stack up when none runs; exit 1 on an SLO or integrity failure."
        })
final class LoadCommand extends HarnessCommand {

    @Parameters(
            index = "0",
            paramLabel = "<scenario>",
            description = "metric-logging, large-upload, direct-s3, mixed, all "
                    + "(the profile's scenarios but resilience), or resilience (restarts components under load)")
    String scenario;

    LoadCommand(Harness harness) {
        super(harness);
    }

    @Override
    List<Option> options() {
        return Option.allExcept(Option.SUITES, Option.CLIENT_VERSION, Option.DETACH);
    }

    static Path scenariosDir() {
        return Path.of(System.getProperty("harness.home", ".")).resolve("scenarios");
    }

    /** Loads a profile, turning unknown names (as any bad option value) and bad files into a ConfigException. */
    static Profile profile(HarnessConfig config) {
        ProfileLoader loader = new ProfileLoader(scenariosDir());
        OptionValues.requireKnown(Option.PROFILE, "profile", config.get(Option.PROFILE), loader.names());
        try {
            return loader.load(config.get(Option.PROFILE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * The scenarios to run: one by name, or every scenario the profile defines (direct-s3 is part of large-upload;
     * resilience restarts components, so it runs only when named).
     */
    static List<ScenarioKind> selection(String arg, Profile profile) {
        try {
            if ("all".equals(arg)) {
                List<ScenarioKind> kinds = new ArrayList<>(profile.scenarios().keySet());
                if (kinds.contains(ScenarioKind.LARGE_UPLOAD)) {
                    kinds.remove(ScenarioKind.DIRECT_S3);
                }
                kinds.remove(ScenarioKind.RESILIENCE);
                return kinds;
            }
            ScenarioKind kind = ScenarioKind.parse(arg);
            profile.settings(kind);
            return List.of(kind);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The {@code --load-fault}, checked before anything starts. */
    static void checkLoadFault(HarnessConfig config) {
        try {
            MetricRowFault.parse(config.get(Option.LOAD_FAULT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    @Override
    int run(HarnessConfig config) {
        Profile profile = profile(config);
        List<ScenarioKind> kinds = selection(scenario, profile);
        checkLoadFault(config);
        HarnessConfig pinned =
                config.with(Option.NGINX_VARIANT, profile.nginxVariant().id());
        RunSession run = session(config);
        run.stageValue("stack", () -> harness.start(pinned, run)).ifPresent(started -> {
            try {
                run.stack(started.stack());
                out().println(started.stack().description().summaryLines());
                run.onStack(
                        "load",
                        () -> record(
                                run,
                                harness.wiring()
                                        .load(
                                                pinned,
                                                started,
                                                profile,
                                                kinds,
                                                run.writer().gatlingDir(),
                                                Optional.empty())));
            } finally {
                run.stage("stop", started::close);
            }
        });
        out().println("Gatling HTML: " + run.writer().gatlingDir());
        return run.finish().exitCode();
    }

    /** Runs the scenarios against {@code started}'s stack; other nginx variants go through proxies its provider adds. */
    static LoadRunner.Result stage(
            HarnessConfig config,
            Harness.Started started,
            Profile profile,
            List<ScenarioKind> kinds,
            Path gatling,
            Optional<String> warmedBy) {
        LoadRunner runner = new LoadRunner(
                started.stack(),
                profile,
                config.flag(Option.KEEP_DATA),
                gatling,
                System.out::println,
                started.provider(),
                config.get(Option.LOAD_FAULT));
        warmedBy.ifPresent(runner::alreadyWarm);
        return runner.run(kinds);
    }

    /**
     * Hands the load stage's section and failed checks to the run; a scenario that could not complete then ends the
     * stage with its error (after its section was recorded).
     */
    static void record(RunSession run, LoadRunner.Result result) throws Exception {
        run.load(result.load(), result.failures());
        if (result.error() instanceof Exception e) {
            throw e;
        }
        if (result.error() instanceof Error e) {
            throw e;
        }
    }
}
