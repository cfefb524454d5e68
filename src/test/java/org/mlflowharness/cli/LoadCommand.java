package org.mlflowharness.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.Option;
import org.mlflowharness.load.LoadRunner;
import org.mlflowharness.load.MetricRowFault;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.ProfileLoader;
import org.mlflowharness.load.ScenarioKind;
import org.mlflowharness.report.ReportWriter;
import org.mlflowharness.report.RunReport;
import org.mlflowharness.stack.RunningStack;

/**
 * {@code ./harness load <scenario|all> --profile <name>}: runs load scenarios against the configured stack provider
 * (bringing a stack up when none runs, stopping it afterwards) and writes the {@code load} section of the report.
 * The gate uses {@link #stage} for its smoke load stage.
 */
public final class LoadCommand {

    private final PrintStream out;
    private final PrintStream err;
    private final Function<HarnessConfig, Harness.Started> starter;

    /** @param starter brings a stack up with the harness's Ctrl-C handling ({@link Harness#start}) */
    LoadCommand(PrintStream out, PrintStream err, Function<HarnessConfig, Harness.Started> starter) {
        this.out = out;
        this.err = err;
        this.starter = starter;
    }

    static Path scenariosDir() {
        return Path.of(System.getProperty("harness.home", ".")).resolve("scenarios");
    }

    /** Loads a profile, turning unknown names and bad files into a ConfigException that lists what is valid. */
    static Profile profile(HarnessConfig config) {
        try {
            return new ProfileLoader(scenariosDir()).load(config.get(Option.PROFILE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The scenarios to run: one by name, or every scenario the profile defines (direct-s3 is part of large-upload). */
    static List<ScenarioKind> selection(String arg, Profile profile) {
        try {
            if ("all".equals(arg)) {
                List<ScenarioKind> kinds = new ArrayList<>(profile.scenarios().keySet());
                if (kinds.contains(ScenarioKind.LARGE_UPLOAD)) {
                    kinds.remove(ScenarioKind.DIRECT_S3);
                }
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

    int run(HarnessConfig config, String scenarioArg, String command) {
        Profile profile = profile(config);
        List<ScenarioKind> kinds = selection(scenarioArg, profile);
        checkLoadFault(config);
        ReportWriter writer = new ReportWriter(Path.of("reports"));
        writer.startRun();
        HarnessConfig pinned = config.with(Option.NGINX_VARIANT, profile.nginxVariant().id());
        Instant begin = Instant.now();
        RunningStack stack = null;
        LoadRunner.Result result = null;
        String failure = null;
        try (Harness.Started started = starter.apply(pinned)) {
            stack = started.stack();
            out.println(stack.description().summaryLines());
            result = stage(pinned, started, profile, kinds);
        } catch (RuntimeException e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            err.println("error: " + failure);
        }
        if (result != null && failure == null) {
            failure = result.reason();
        }
        RunReport report = RunReport.of("./harness " + command, begin, Instant.now(),
                stack == null ? null : stack.endpoints().trackingUri().toString(), stack == null ? null : stack.description(),
                List.of(), result == null ? null : result.load(), failure);
        Path json = writer.write(report);
        out.println();
        out.println("report: " + json + " (Gatling HTML under " + writer.latestDir().resolve("gatling") + ")");
        out.println("verdict: " + report.verdict() + (report.reason() == null ? "" : " (" + report.reason() + ")"));
        return report.passed() ? Harness.OK : Harness.FAILED;
    }

    /** Runs the scenarios against {@code started}'s stack; other nginx variants go through proxies its provider adds. */
    static LoadRunner.Result stage(HarnessConfig config, Harness.Started started, Profile profile, List<ScenarioKind> kinds) {
        Path gatling = new ReportWriter(Path.of("reports")).gatlingDir();
        return new LoadRunner(started.stack(), profile, config.flag(Option.KEEP_DATA), gatling, System.out::println,
                started.provider()::addProxy, config.get(Option.LOAD_FAULT)).run(kinds);
    }

    /** The gate's load stage: the smoke profile (or --profile) on the gate's stack, through the profile's nginx variant. */
    static LoadRunner.Result gateStage(HarnessConfig config, Harness.Started started) {
        Profile profile = profile(config);
        checkLoadFault(config);
        return stage(config, started, profile, selection("all", profile));
    }
}
