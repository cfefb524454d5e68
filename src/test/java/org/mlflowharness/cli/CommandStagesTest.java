package org.mlflowharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.ScenarioKind;
import org.mlflowharness.load.run.LoadRunner;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.model.StackException;
import org.mlflowharness.model.load.LoadFixtures;
import org.mlflowharness.proc.Poll;
import org.mlflowharness.proc.Readiness;
import org.mlflowharness.report.ReportWriter;
import org.mlflowharness.report.SuiteResult;
import org.mlflowharness.stack.LiveComponent;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackProvider;

/**
 * Every stage of {@code gate} and {@code load}, made to throw in turn through a fake provider and fake stage work:
 * the command still ends in a verdict and a written summary.json, and everything it started is stopped. A component
 * that dies while the suites run ends the suites, skips the load and leads the verdict.
 */
class CommandStagesTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void clearExportedOptions() {
        for (Option o : Option.values()) {
            System.clearProperty(o.systemProperty());
        }
        StackGuard.reset();
    }

    /** A stack that is nothing but its description; it counts how often it was stopped and can fail where told to. */
    static class FakeProvider implements StackProvider {
        final String failIn;
        final FakeComponent database = new FakeComponent();
        int stops;

        FakeProvider(String failIn) {
            this.failIn = failIn;
        }

        @Override
        public RunningStack start() {
            if (failIn.equals("stack")) {
                throw new StackException(
                        "mariadb",
                        "exited with code 1 during start",
                        "see mariadb.log",
                        List.of("[ERROR] Aborting"),
                        null);
            }
            return new RunningStack(
                    new Endpoints(URI.create("http://localhost:1"), "u", "p", null, null, List.of()),
                    new StackDescription("fake", NginxVariant.HARDENED, List.of()));
        }

        @Override
        public void stop() {
            stops++;
            if (failIn.equals("stop")) {
                throw new IllegalStateException("nginx would not stop");
            }
        }

        @Override
        public List<LiveComponent> liveComponents() {
            return List.of(database);
        }
    }

    /** A database process that runs until {@link #kill} is called. */
    static final class FakeComponent implements LiveComponent {
        volatile String exited;

        void kill() {
            exited = "exited with code 137 (killed by signal 9, SIGKILL)";
        }

        public String role() {
            return "database";
        }

        public String name() {
            return "mariadb";
        }

        public Optional<String> exited() {
            return Optional.ofNullable(exited);
        }

        public Readiness health() {
            return new Readiness() {
                public boolean isReady() {
                    return exited == null;
                }

                public String describe() {
                    return "the fake's health";
                }
            };
        }

        public boolean restarting() {
            return false;
        }

        public String log() {
            return "mariadb.log";
        }

        public List<String> logTail(int lines) {
            return List.of("[Note] mariadbd: ready for connections.");
        }
    }

    /** Stage work that throws in the stage named {@code failIn}; "die" kills the fake database during the suites. */
    static Wiring wiring(FakeProvider provider, String failIn, List<String> calls) {
        return new Wiring() {
            public StackProvider provider(HarnessConfig config, Consumer<String> out) {
                return provider;
            }

            public List<SuiteResult> suites(List<String> tags, int threads, Consumer<String> out) {
                calls.add("suites");
                if (failIn.equals("suites")) {
                    throw new IllegalStateException("the JUnit launcher broke");
                }
                if (failIn.equals("nothing")) {
                    return List.of();
                }
                if (failIn.equals("die")) {
                    provider.database.kill();
                    for (int i = 0; i < 100 && StackGuard.down().isEmpty(); i++) {
                        Poll.sleep(50);
                    }
                    return List.of(new SuiteResult(
                            "TrackingSuite",
                            "tracking",
                            3,
                            1,
                            40,
                            2,
                            List.of(SuiteResult.Check.failed("t", "Aborted: not run"))));
                }
                return List.of(new SuiteResult("HealthSuite", "health", 2, 0, 0, 1, List.of()));
            }

            public List<String> suiteTags() {
                return List.of("auth", "health", "tracking");
            }

            public LoadRunner.Result load(
                    HarnessConfig config,
                    Harness.Started started,
                    Profile profile,
                    List<ScenarioKind> kinds,
                    Path gatling,
                    Optional<String> warmedBy) {
                calls.add("load");
                if (failIn.equals("load")) {
                    throw new AssertionError("POST /experiments/create answered 403 instead of 200");
                }
                return new LoadRunner.Result(LoadFixtures.verdict("PASSED"), List.of(), null);
            }

            public Path allure(HarnessConfig config, Path results, Path html, Optional<Path> previousHistory) {
                calls.add("allure");
                if (failIn.equals("allure")) {
                    throw new IllegalStateException("allure generate failed");
                }
                return html.resolve("index.html");
            }
        };
    }

    private int run(Wiring wiring, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--stack",
                "native",
                "--work-dir",
                dir.resolve("work").toString(),
                "--reports-dir",
                dir.resolve("reports").toString()));
        return new Harness(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Map.of(),
                        wiring)
                .run(all);
    }

    private JsonNode summary() throws Exception {
        Path json = dir.resolve("reports/latest/summary.json");
        assertThat(json).as("summary.json is written whatever failed").exists();
        return ReportWriter.JSON.readTree(json.toFile());
    }

    private static JsonNode stage(JsonNode summary, String name) {
        for (JsonNode s : summary.path("stages")) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no stage " + name + " in " + summary.path("stages"));
    }

    @ParameterizedTest(name = "gate: the {0} stage throws")
    @ValueSource(strings = {"stack", "suites", "load", "stop", "allure"})
    void gateEndsInAVerdictAReportAndEverythingStoppedWhicheverStageThrows(String failing) throws Exception {
        FakeProvider provider = new FakeProvider(failing);
        List<String> calls = new ArrayList<>();
        int exit = run(wiring(provider, failing, calls), "gate");

        assertThat(exit).as("a stage that could not complete").isEqualTo(2);
        JsonNode summary = summary();
        assertThat(summary.path("verdict").asText()).isEqualTo("ERROR");
        assertThat(stage(summary, failing).path("error").asText())
                .as("the %s stage's error", failing)
                .isNotEmpty();
        assertThat(summary.path("reason").asText()).contains(failing + " stage: ");
        assertThat(provider.stops).as("the provider was stopped").isGreaterThanOrEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("verdict: ERROR")
                .contains("gate: ");
        if (!failing.equals("stack")) {
            assertThat(calls).as("the stages after the failing one still ran").contains("allure");
        }
    }

    @ParameterizedTest(name = "load: the {0} stage throws")
    @ValueSource(strings = {"stack", "load", "stop"})
    void loadEndsInAVerdictAReportAndEverythingStoppedWhicheverStageThrows(String failing) throws Exception {
        FakeProvider provider = new FakeProvider(failing);
        int exit = run(wiring(provider, failing, new ArrayList<>()), "load", "metric-logging", "--profile", "smoke");

        assertThat(exit).isEqualTo(2);
        JsonNode summary = summary();
        assertThat(summary.path("verdict").asText()).isEqualTo("ERROR");
        assertThat(stage(summary, failing).path("error").asText()).isNotEmpty();
        assertThat(provider.stops).isGreaterThanOrEqualTo(1);
    }

    @Test
    void allureIsGeneratedWhileTheStackStops() throws Exception {
        java.util.concurrent.CountDownLatch generating = new java.util.concurrent.CountDownLatch(1);
        boolean[] duringStop = {false};
        FakeProvider provider = new FakeProvider("none") {
            @Override
            public void stop() {
                super.stop();
                try {
                    duringStop[0] |= generating.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        Wiring fake = wiring(provider, "none", calls);
        Wiring counting = new Wiring() {
            public StackProvider provider(HarnessConfig config, Consumer<String> out) {
                return fake.provider(config, out);
            }

            public List<SuiteResult> suites(List<String> tags, int threads, Consumer<String> out) {
                return fake.suites(tags, threads, out);
            }

            public List<String> suiteTags() {
                return fake.suiteTags();
            }

            public LoadRunner.Result load(
                    HarnessConfig config,
                    Harness.Started started,
                    Profile profile,
                    List<ScenarioKind> kinds,
                    Path gatling,
                    Optional<String> warmedBy) {
                return fake.load(config, started, profile, kinds, gatling, warmedBy);
            }

            public Path allure(HarnessConfig config, Path results, Path html, Optional<Path> previousHistory) {
                generating.countDown();
                return fake.allure(config, results, html, previousHistory);
            }
        };

        assertThat(run(counting, "gate")).isZero();
        assertThat(duringStop[0])
                .as("Allure's generation began before the stack had stopped")
                .isTrue();
        assertThat(calls).containsOnlyOnce("allure");
        assertThat(summary().path("reports").path("allure").asText()).endsWith("index.html");
    }

    @Test
    void withOutputJsonStandardOutputIsTheSummaryAndTheTextGoesToStandardError() throws Exception {
        int exit = run(wiring(new FakeProvider("load"), "load", new ArrayList<>()), "gate", "--output", "json");

        assertThat(exit).isEqualTo(2);
        JsonNode printed = ReportWriter.JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(printed).as("standard output is summary.json, nothing else").isEqualTo(summary());
        assertThat(printed.path("verdict").asText()).isEqualTo("ERROR");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("starting the stack")
                .contains("verdict: ERROR");
    }

    @Test
    void anUnknownOutputFailsBeforeAnythingStarts() {
        int exit = run(wiring(new FakeProvider("none"), "none", new ArrayList<>()), "gate", "--output", "xml");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: --output: unknown output 'xml'");
        assertThat(dir.resolve("reports")).as("no run started").doesNotExist();
    }

    @Test
    void anUnknownSuiteTagFailsBeforeAnythingStarts() {
        List<String> calls = new ArrayList<>();
        int exit = run(wiring(new FakeProvider("none"), "none", calls), "gate", "--suites", "auth,helth");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "error: --suites: unknown tag 'helth' (did you mean 'health'?); known: auth, health, tracking\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("no stack started").doesNotContain("starting the stack");
        assertThat(calls).isEmpty();
        assertThat(dir.resolve("reports")).as("no run started").doesNotExist();
    }

    @Test
    void aGateInWhichNoSuiteTestRanIsNotPassedThoughTheLoadPassed() throws Exception {
        List<String> calls = new ArrayList<>();
        int exit = run(wiring(new FakeProvider("none"), "nothing", calls), "gate");

        assertThat(calls).as("the load stage ran and passed").contains("suites", "load");
        assertThat(exit).isEqualTo(2);
        JsonNode summary = summary();
        assertThat(summary.path("verdict").asText()).isEqualTo("ERROR");
        assertThat(stage(summary, "suites").path("error").asText()).startsWith("no check ran: ");
        assertThat(stage(summary, "load").path("error").isMissingNode()
                        || stage(summary, "load").path("error").isNull())
                .isTrue();
    }

    @Test
    void aComponentThatDiesDuringTheSuitesLeadsTheVerdictAndTheLoadIsNotRun() throws Exception {
        FakeProvider provider = new FakeProvider("die");
        List<String> calls = new ArrayList<>();
        int exit = run(wiring(provider, "die", calls), "gate");

        assertThat(exit).isEqualTo(2);
        JsonNode summary = summary();
        assertThat(summary.path("reason").asText())
                .startsWith(
                        "stack down: database (mariadb): its process exited with code 137 "
                                + "(killed by signal 9, SIGKILL) while the harness used it -> see mariadb.log (during the suites stage)");
        assertThat(stage(summary, "load").path("skipped").asText()).isEqualTo("database (mariadb) is down");
        assertThat(calls).as("no load against a dead stack").doesNotContain("load");
        assertThat(summary.path("guard").path("down").path("logTail").get(0).asText())
                .contains("ready for connections");
        assertThat(summary.path("guard").path("watchedBy").asText()).startsWith("watchdog: ");
        assertThat(provider.stops)
                .as("stopped at once by the watchdog, then by the stop stage")
                .isGreaterThanOrEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("last lines of the database (mariadb) log:");
        assertThat(Files.readString(dir.resolve("reports/latest/summary.md"))).contains("Down during the suites stage");
    }

    @Test
    void theGatesLoadSkipsItsWarmUpOnlyAfterTrackingChecksPassedThroughTheStack() {
        assertThat(GateCommand.warmedBy(List.of(
                        new SuiteResult("HealthSuite", "health", 2, 0, 0, 1, List.of()),
                        new SuiteResult("TrackingSuite", "tracking", 12, 1, 0, 3, List.of()))))
                .hasValueSatisfying(why -> assertThat(why).contains("tracking suite: 12 checks passed"));
        assertThat(GateCommand.warmedBy(List.of(new SuiteResult("HealthSuite", "health", 2, 0, 0, 1, List.of()))))
                .as("--suites health warms nothing up")
                .isEmpty();
        assertThat(GateCommand.warmedBy(List.of(new SuiteResult("TrackingSuite", "tracking", 0, 5, 0, 1, List.of()))))
                .as("a tracking suite that failed every check did not warm the stack")
                .isEmpty();
    }
}
