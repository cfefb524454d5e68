package org.mlflowharness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.ScenarioKind;
import org.mlflowharness.load.run.LoadRunner;
import org.mlflowharness.providers.Stacks;
import org.mlflowharness.report.AllureReport;
import org.mlflowharness.report.SuiteResult;
import org.mlflowharness.stack.StackProvider;

/**
 * What the commands' stages call to get their work done: the stack provider for a configuration, the suites, the load
 * scenarios, the Allure report. {@link #REAL} is the harness itself; the commands' unit tests pass fakes to prove that
 * whatever one stage throws still ends in a verdict, a written report and everything stopped.
 */
interface Wiring {

    StackProvider provider(HarnessConfig config, Consumer<String> out);

    /** The suites with {@code tags} (every one when empty), {@code threads} side by side. */
    List<SuiteResult> suites(List<String> tags, int threads, Consumer<String> out);

    /** The tags the suites carry: what {@code --suites} takes. */
    List<String> suiteTags();

    /**
     * Runs {@code kinds} of {@code profile} on the started stack, Gatling's reports under {@code gatling}; with
     * {@code warmedBy} (what warmed the stack up just before) the load skips its own warm-up.
     */
    LoadRunner.Result load(
            HarnessConfig config,
            Harness.Started started,
            Profile profile,
            List<ScenarioKind> kinds,
            Path gatling,
            Optional<String> warmedBy);

    /** Generates the Allure HTML from {@code results} into {@code html}, carrying a previous run's history; returns its index.html. */
    Path allure(HarnessConfig config, Path results, Path html, Optional<Path> previousHistory);

    Wiring REAL = new Wiring() {
        @Override
        public StackProvider provider(HarnessConfig config, Consumer<String> out) {
            return Stacks.provider(config, out);
        }

        @Override
        public List<SuiteResult> suites(List<String> tags, int threads, Consumer<String> out) {
            return new SuiteRunner(out, threads).run(tags);
        }

        @Override
        public List<String> suiteTags() {
            return new SuiteRunner(line -> {}, 1).tags();
        }

        @Override
        public LoadRunner.Result load(
                HarnessConfig config,
                Harness.Started started,
                Profile profile,
                List<ScenarioKind> kinds,
                Path gatling,
                Optional<String> warmedBy) {
            return LoadCommand.stage(config, started, profile, kinds, gatling, warmedBy);
        }

        @Override
        public Path allure(HarnessConfig config, Path results, Path html, Optional<Path> previousHistory) {
            return new AllureReport(config.cacheDir()).generate(results, html, previousHistory);
        }
    };
}
