package org.mlflowharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.model.StackException;
import org.mlflowharness.model.load.LoadFixtures;
import org.mlflowharness.report.ReportWriter;
import org.mlflowharness.report.RunReport;
import org.mlflowharness.report.SuiteResult;

/** Whatever a stage throws ends as a recorded error and a written report; the run goes on with the stages that make sense. */
class RunSessionTest {

    @TempDir
    Path reports;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private RunSession session() {
        return new RunSession(
                "./harness gate",
                new ReportWriter(reports, 5),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private JsonNode summary() throws Exception {
        return ReportWriter.JSON.readTree(reports.resolve("latest/summary.json").toFile());
    }

    @Test
    void anErrorThrownByAStageBecomesItsRecordedErrorAndTheReportIsWritten() throws Exception {
        RunSession run = session();
        assertThat(run.stage(
                        "suites",
                        () -> run.suites(List.of(new SuiteResult("AuthSuite", "auth", 3, 0, 0, 1, List.of())))))
                .isTrue();
        assertThat(run.stage("load", () -> {
                    throw new AssertionError("warm-up: 40 of 40 runs failed");
                }))
                .isFalse();
        assertThat(run.stage("stop", () -> {})).as("later stages still run").isTrue();
        RunReport report = run.finish();

        assertThat(report.verdict()).isEqualTo(RunReport.ERROR);
        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(report.reason())
                .startsWith("load stage: AssertionError: warm-up: 40 of 40 runs failed (at RunSessionTest.");
        JsonNode json = summary();
        assertThat(json.path("verdict").asText()).isEqualTo("ERROR");
        assertThat(json.path("stages").get(1).path("name").asText()).isEqualTo("load");
        assertThat(json.path("stages").get(1).path("error").asText()).contains("AssertionError");
        assertThat(json.path("stages").get(2).path("error").isNull()).isTrue();
        assertThat(json.path("totals").path("passed").asInt()).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error in the load stage: AssertionError");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("verdict: ERROR (load stage: AssertionError");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .as("where the time went, for a CI log")
                .containsPattern("stages: suites [0-9.]+ s, load [0-9.]+ s \\(ERROR\\), stop [0-9.]+ s; run [0-9.]+ s");
    }

    @Test
    void aStackFailureNamesTheComponentAndShowsItsLog() throws Exception {
        RunSession run = session();
        assertThat(run.stageValue("stack", () -> {
                    throw new StackException(
                            "mariadb",
                            "exited with code 1",
                            "see work/native/logs/mariadb.log",
                            List.of("[ERROR] Can't start server: Bind on TCP/IP port"),
                            null);
                }))
                .isEmpty();
        run.finish();
        assertThat(summary().path("reason").asText())
                .isEqualTo("stack stage: mariadb: exited with code 1 -> see work/native/logs/mariadb.log");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("last lines of the mariadb log:", "  | [ERROR] Can't start server");
    }

    @Test
    void anInterruptedRunSaysWhichStageWasCutAndFinishWritesOnce() throws Exception {
        RunSession run = session();
        run.stage("suites", () -> {
            run.interrupted();
            RunReport fromHook = run.finish();
            assertThat(fromHook.reason())
                    .isEqualTo("suites stage: interrupted (Ctrl-C or SIGTERM) during the suites stage");
        });
        run.load(LoadFixtures.verdict("PASSED"), List.of());
        RunReport again = run.finish();
        assertThat(again.verdict()).as("the report the hook wrote stands").isEqualTo(RunReport.ERROR);
        assertThat(summary().has("load")).isFalse();
    }

    @Test
    void whatAStageThrowsWhileTheStackStopsUnderAnInterruptIsNotTheCause() throws Exception {
        RunSession run = session();
        run.stage("load", () -> {
            run.interrupted(); // the hook: marks the run, then stops the stack under the running scenario
            throw new java.net.ConnectException("Connection refused");
        });
        assertThat(run.finish().reason())
                .isEqualTo("load stage: interrupted (Ctrl-C or SIGTERM) during the load stage");
        assertThat(summary().path("stages").toString())
                .doesNotContain("ConnectException")
                .doesNotContain("between stages");
    }

    @Test
    void anInterruptBetweenStagesIsARunStageOfItsOwn() throws Exception {
        RunSession run = session();
        run.stage("stack", () -> {});
        run.interrupted();
        assertThat(run.finish().reason()).isEqualTo("run stage: interrupted (Ctrl-C or SIGTERM) between stages");
    }

    @Test
    void aRunWithoutErrorsAndWithPassingChecksPasses() throws Exception {
        RunSession run = session();
        run.stage("load", () -> run.load(LoadFixtures.verdict("PASSED"), List.of()));
        assertThat(run.finish().verdict()).isEqualTo(RunReport.PASSED);
        assertThat(summary().path("reports").path("summary").asText()).endsWith("summary.md");
    }
}
