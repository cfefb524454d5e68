package org.mlflowharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.HarnessConfig.StackKind;
import org.mlflowharness.config.Option;
import org.mlflowharness.model.NginxVariant;
import picocli.CommandLine.ParseResult;

/** The CLI's answers to bad input: one clear line and exit code 2, before anything starts. */
class HarnessTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path work;

    @AfterEach
    void clearExportedOptions() {
        for (Option o : Option.values()) {
            System.clearProperty(o.systemProperty());
        }
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--work-dir", work.toString()));
        return runAsTyped(all);
    }

    private int runAsTyped(List<String> all) {
        return new Harness(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Map.of())
                .run(all);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownCommand() {
        assertThat(run("deploy")).isEqualTo(2);
        assertThat(err())
                .isEqualTo(
                        "error: unknown command 'deploy'; use gate, up, load, status, down, upgrade, seed, compare, docker-setup, report, rustfs-build or test (./harness --help)\n");
    }

    @Test
    void unknownOption() {
        assertThat(run("gate", "--fast")).isEqualTo(2);
        assertThat(err())
                .isEqualTo("error: unknown option --fast (did you mean --fault?); see ./harness gate --help\n");
    }

    @Test
    void unknownStack() {
        assertThat(run("up", "--stack", "k8s")).isEqualTo(2);
        assertThat(err()).isEqualTo("error: --stack: unknown stack 'k8s'; known: auto, compose, native, external\n");
    }

    @Test
    void unknownProfileSuggestsTheNearestOne() {
        assertThat(run("gate", "--profile", "smok")).isEqualTo(2);
        assertThat(err())
                .startsWith("error: --profile: unknown profile 'smok' (did you mean 'smoke'?); known: capacity, ");
    }

    @Test
    void unknownSuiteTagNamesTheTagsTheSuitesCarry() {
        assertThat(run("gate", "--suites", "helth")).isEqualTo(2);
        assertThat(err())
                .isEqualTo(
                        "error: --suites: unknown tag 'helth' (did you mean 'health'?); known: artifacts, auth, client, "
                                + "database, health, proxy, registry, security, tracking\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing started").isEmpty();
    }

    @Test
    void externalWithoutUrl() {
        assertThat(run("up", "--stack", "external", "--tracking-uri", "")).isEqualTo(2);
        assertThat(err()).contains("external: no tracking URI given -> set MLFLOW_TRACKING_URI");
    }

    @Test
    void externalUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String reports = work.resolve("reports").toString();
        assertThat(runAsTyped(List.of("report", "--reports-dir", reports)))
                .as("no run kept yet")
                .isEqualTo(1);
        assertThat(err()).contains("no runs kept under " + reports + "/runs");
        assertThat(run(
                        "gate",
                        "--stack",
                        "external",
                        "--tracking-uri",
                        "http://127.0.0.1:" + port,
                        "--reports-dir",
                        reports))
                .isEqualTo(2);
        assertThat(err()).contains("external: nothing answers at http://127.0.0.1:" + port);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .as("the gate still writes its verdict")
                .contains("verdict: ERROR");
        out.reset();
        assertThat(runAsTyped(List.of("report", "--history", "--reports-dir", reports)))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsPattern("\\d{8}-\\d{6}-\\d{3}-gate +ERROR +\\./harness gate --stack external");
    }

    @Test
    void nativePortInUse() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            assertThat(run("up", "--stack", "native", "--port", String.valueOf(port), "--no-install"))
                    .isEqualTo(2);
            assertThat(err()).startsWith("error: nginx: port " + port + " on 127.0.0.1 is already in use -> ");
        }
    }

    @Test
    void statusWithoutARunningStack() {
        assertThat(run("status")).isEqualTo(1);
        assertThat(err()).contains("no stack is running from");
    }

    @Test
    void downWithoutARunningStackIsFine() {
        assertThat(run("down")).isZero();
    }

    @Test
    void helpListsCommandsAndOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("gate", "up", "load", "status", "down", "test", "./harness <command> --help");
    }

    private HarnessConfig parsed(String... args) {
        Harness h = new Harness(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("NGINX_VARIANT", "hardened"));
        ParseResult sub = h.commandLine().parseArgs(args).subcommand();
        return h.config(sub, Option.allExcept());
    }

    @Test
    void optionsInBothFormsBeatTheEnvironment() {
        HarnessConfig c = parsed("up", "--stack", "native", "--mlflow-version=3.16.1", "--detach");
        assertThat(c.stack()).isEqualTo(StackKind.NATIVE);
        assertThat(c.mlflowVersion()).isEqualTo("3.16.1");
        assertThat(c.nginxVariant()).as("from the environment").isEqualTo(NginxVariant.HARDENED);
        assertThat(c.flag(Option.DETACH)).isTrue();
    }

    @Test
    void lastOccurrenceWins() {
        assertThat(parsed("gate", "--stack", "native", "--stack", "external").stack())
                .isEqualTo(StackKind.EXTERNAL);
    }

    @Test
    void optionWithoutValue() {
        assertThat(run("gate", "--mlflow-version")).isEqualTo(2);
        assertThat(err())
                .startsWith("error: Expected parameter for option '--mlflow-version'")
                .contains("./harness gate --help");
    }

    @Test
    void loadNeedsAScenario() {
        assertThat(run("load", "--profile", "smoke")).isEqualTo(2);
        assertThat(err()).contains("<scenario>").contains("./harness load --help");
    }

    @Test
    void optionsACommandDoesNotTakeAreRefused() {
        assertThat(run("down", "--profile", "smoke")).isEqualTo(2);
        assertThat(err()).isEqualTo("error: unknown option --profile; see ./harness down --help\n");
    }

    @Test
    void commandHelpListsEveryOptionWithItsEnvironmentVariable() {
        assertThat(run("gate", "--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (Option o : Option.allExcept(Option.DETACH)) {
            assertThat(help).contains("--" + o.cliName()).contains(o.envName());
        }
    }
}
