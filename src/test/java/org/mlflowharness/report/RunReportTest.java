package org.mlflowharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.model.StackDescription.Component;
import org.mlflowharness.model.load.LoadFixtures;
import org.mlflowharness.report.RunReport.Stage;
import org.mlflowharness.report.SuiteResult.Check;

class RunReportTest {

    static final Instant T0 = Instant.parse("2026-11-27T05:00:00Z");
    static final StackDescription STACK = new StackDescription(
            "native",
            NginxVariant.ARTICLE,
            List.of(
                    new Component("proxy", "nginx", "1.22.1", "nginx -v", null, "/w/nginx.log", 0.3),
                    new Component("object-store", "S3Proxy", "4.1.0", "jar", "RustFS", "/w/s3proxy.log", 1.2)));

    static SuiteResult suite(String name, int passed, int failed, int skipped) {
        return new SuiteResult(
                name,
                name.toLowerCase(),
                passed,
                failed,
                skipped,
                1.5,
                Stream.concat(
                                failed > 0 ? Stream.of(Check.failed("t", "AssertionError: boom")) : Stream.empty(),
                                skipped > 0 ? Stream.of(Check.skipped("s", "no S3 endpoint given")) : Stream.empty())
                        .toList());
    }

    @Test
    void passesOnlyWhenNothingFailedAndSomethingPassed() {
        assertThat(RunReport.of(
                                "gate",
                                T0,
                                T0.plusSeconds(3),
                                "u",
                                STACK,
                                List.of(),
                                List.of(suite("A", 2, 0, 1)),
                                null,
                                List.of(),
                                null)
                        .verdict())
                .isEqualTo(RunReport.PASSED);
        RunReport failed = RunReport.of(
                "gate",
                T0,
                T0,
                "u",
                STACK,
                List.of(),
                List.of(suite("A", 2, 0, 0), suite("B", 1, 2, 0)),
                null,
                List.of(),
                null);
        assertThat(failed.verdict()).isEqualTo(RunReport.FAILED);
        assertThat(failed.reason()).isEqualTo("functional: B [b]: 2 test(s) failed, first: AssertionError: boom");
        RunReport empty = RunReport.of(
                "gate", T0, T0, "u", STACK, List.of(), List.of(suite("A", 0, 0, 3)), null, List.of(), null);
        assertThat(empty.verdict()).as("all skipped is not a pass").isEqualTo(RunReport.FAILED);
        RunReport broken = RunReport.of(
                "gate",
                T0,
                T0,
                null,
                null,
                List.of(new Stage("stack", 0.4, "nginx: port 15000 in use -> pass another --port")),
                List.of(),
                null,
                List.of(),
                null);
        assertThat(broken.verdict()).isEqualTo(RunReport.ERROR);
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.reason()).isEqualTo("stack stage: nginx: port 15000 in use -> pass another --port");
    }

    @Test
    void failedChecksComeBeforeTheStageErrorTheyExplain() {
        RunReport r = RunReport.of(
                "gate",
                T0,
                T0,
                "u",
                STACK,
                List.of(new Stage("suites", 3, null), new Stage("load", 1, "AssertionError: warm-up failed")),
                List.of(suite("B", 1, 2, 0)),
                null,
                List.of(new Failure(Failure.Kind.INTEGRITY, "load metric-logging step 1: lost writes")),
                null);
        assertThat(r.verdict()).as("a stage that could not complete").isEqualTo(RunReport.ERROR);
        assertThat(r.reason())
                .isEqualTo(
                        "data integrity: load metric-logging step 1: lost writes; "
                                + "functional: B [b]: 2 test(s) failed, first: AssertionError: boom; load stage: AssertionError: warm-up failed");
        RunReport sloOnly = RunReport.of(
                "load",
                T0,
                T0,
                "u",
                STACK,
                List.of(new Stage("load", 1, null)),
                List.of(),
                LoadFixtures.verdict("FAILED"),
                List.of(new Failure(Failure.Kind.PERFORMANCE, "load: p95 over")),
                null);
        assertThat(sloOnly.verdict()).isEqualTo(RunReport.FAILED);
        assertThat(sloOnly.exitCode()).isEqualTo(1);
    }

    @Test
    void aBreachOnABusyMachineAloneIsInconclusiveExit3AndARealFailureBesideItStillFails() {
        Failure busy = new Failure(
                Failure.Kind.INCONCLUSIVE,
                "load mixed step 1: p95 latency: threshold <= 3000 ms, measured 3400.00 ms: inconclusive: "
                        + "machine busy (other processes 0.97 of 2 cores)");
        RunReport r = RunReport.of(
                "gate",
                T0,
                T0,
                "u",
                STACK,
                List.of(new Stage("load", 1, null)),
                List.of(suite("A", 2, 0, 0)),
                LoadFixtures.verdict("INCONCLUSIVE"),
                List.of(busy),
                null);
        assertThat(r.verdict()).isEqualTo(RunReport.INCONCLUSIVE);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.reason())
                .startsWith("inconclusive: load mixed step 1: p95")
                .contains("0.97 of 2 cores");
        RunReport real = RunReport.of(
                "gate",
                T0,
                T0,
                "u",
                STACK,
                List.of(new Stage("load", 1, null)),
                List.of(suite("A", 2, 0, 0)),
                LoadFixtures.verdict("FAILED"),
                List.of(busy, new Failure(Failure.Kind.PERFORMANCE, "load metric-logging step 1: p95 over")),
                null);
        assertThat(real.verdict()).isEqualTo(RunReport.FAILED);
        assertThat(real.reason()).startsWith("performance: load metric-logging step 1");
    }

    static SuiteResult failing(String name, String tag, String first) {
        return new SuiteResult(name, tag, 1, 2, 0, 1, List.of(Check.failed("t", first), Check.failed("u", "later")));
    }

    @Test
    void theReasonNamesTheMostSeriousClassFirstEachWithItsSuiteAndFirstMessage() {
        RunReport r = RunReport.of(
                "gate",
                T0,
                T0,
                "u",
                STACK,
                List.of(new Stage("load", 1, null)),
                List.of(
                        failing("TrackingSuite", "tracking", "GET non-ASCII answered 500"),
                        failing("ArtifactSuite", "artifacts", "SHA-256 differs"),
                        failing("SecuritySuite", "security", "path traversal answered 200")),
                LoadFixtures.verdict("FAILED"),
                List.of(new Failure(
                        Failure.Kind.PERFORMANCE, "load mixed step 1: error rate: threshold <= 1 %, measured 30 %")),
                null);
        assertThat(r.reason())
                .isEqualTo("security: SecuritySuite [security]: 2 test(s) failed, first: path traversal answered 200; "
                        + "data integrity: ArtifactSuite [artifacts]: 2 test(s) failed, first: SHA-256 differs; "
                        + "functional: TrackingSuite [tracking]: 2 test(s) failed, first: GET non-ASCII answered 500; "
                        + "performance: load mixed step 1: error rate: threshold <= 1 %, measured 30 %");
        assertThat(r.failures())
                .extracting(Failure::kind)
                .containsExactly(
                        Failure.Kind.SECURITY,
                        Failure.Kind.INTEGRITY,
                        Failure.Kind.FUNCTIONAL,
                        Failure.Kind.PERFORMANCE);
        assertThat(Failure.Kind.ofSuite("auth")).isEqualTo(Failure.Kind.SECURITY);
        assertThat(Failure.Kind.ofSuite("database")).isEqualTo(Failure.Kind.INTEGRITY);
        assertThat(Failure.Kind.ofSuite("registry,security"))
                .as("the most serious of its tags")
                .isEqualTo(Failure.Kind.SECURITY);
    }

    @Test
    void aComponentThatWentDownLeadsAndItsStageErrorIsNotRepeated() {
        String down =
                "database (mariadb): its process exited with code 137 (killed by signal 9, SIGKILL) while the harness used it -> see m.log";
        RunReport r = RunReport.of(
                "gate",
                T0,
                T0,
                "u",
                STACK,
                List.of(
                        new Stage("suites", 12, down),
                        new Stage("load", 0, null, "database (mariadb) is down"),
                        new Stage("stop", 3, null)),
                List.of(failing("SecuritySuite", "security", "boom")),
                null,
                List.of(new Failure(Failure.Kind.STACK_DOWN, down + " (during the suites stage)")),
                new RunReport.Guard(
                        "watchdog",
                        new RunReport.Down(
                                "database (mariadb)", "its process exited", "see m.log", "suites", List.of("x"))));
        assertThat(r.verdict()).isEqualTo(RunReport.ERROR);
        assertThat(r.reason())
                .startsWith("stack down: database (mariadb): its process exited with code 137")
                .endsWith(
                        "(during the suites stage); security: SecuritySuite [security]: 2 test(s) failed, first: boom");
        assertThat(r.stages().get(1).completed())
                .as("a stage not run is not an error")
                .isTrue();
    }

    @Test
    void stagesLineSaysWhereTheTimeWentAndWhichStagesDidNotComplete() {
        RunReport r = RunReport.of(
                "gate",
                T0,
                T0.plusMillis(120_340),
                "u",
                STACK,
                List.of(
                        new Stage("stack", 20.4, null),
                        new Stage("suites", 70.0, "AssertionError: boom"),
                        new Stage("load", 0, null, "tracking is down"),
                        new Stage("stop", 5.1, null)),
                List.of(suite("A", 2, 0, 1)),
                null,
                List.of(),
                null);
        assertThat(r.stagesLine())
                .isEqualTo(
                        "stages: stack 20.4 s, suites 70.0 s (ERROR), load 0.0 s (not run), stop 5.1 s; run 120.3 s");
    }

    @Test
    void closingLineCountsAllSuites() {
        RunReport r = RunReport.of(
                "gate",
                T0,
                T0,
                "u",
                STACK,
                List.of(),
                List.of(suite("A", 2, 0, 1), suite("B", 3, 1, 0)),
                null,
                List.of(),
                null);
        assertThat(r.closingLine()).isEqualTo("gate: 5 passed, 1 failed, 1 skipped");
        RunReport upgrade = RunReport.of(
                "./harness upgrade --from mlflow=2.9.2",
                T0,
                T0,
                "u",
                STACK,
                List.of(),
                List.of(suite("A", 2, 0, 0)),
                null,
                List.of(),
                null);
        assertThat(upgrade.closingLine())
                .as("named after the command")
                .isEqualTo("upgrade: 2 passed, 0 failed, 0 skipped");
    }

    @Test
    void writerWritesJsonAndMarkdownWithStandInsFlagged(@TempDir Path dir) throws Exception {
        RunReport r = RunReport.of(
                "./harness gate",
                T0,
                T0.plusSeconds(42),
                "http://localhost:1",
                STACK,
                List.of(new Stage("suites", 12.5, null)),
                List.of(suite("AuthSuite", 5, 0, 1)),
                null,
                List.of(),
                null);
        ReportWriter writer = new ReportWriter(dir, 3);
        writer.startRun("gate");
        Path json = writer.write(r);
        assertThat(json.getParent().getParent()).isEqualTo(dir.resolve("runs"));
        assertThat(dir.resolve("latest/summary.json"))
                .as("latest is the newest run")
                .hasSameTextualContentAs(json);
        JsonNode tree = ReportWriter.JSON.readTree(json.toFile());
        assertThat(tree.path("verdict").asText()).isEqualTo("PASSED");
        assertThat(tree.path("durationSeconds").asDouble()).isEqualTo(42.0);
        assertThat(tree.path("stack")
                        .path("components")
                        .get(1)
                        .path("standInFor")
                        .asText())
                .isEqualTo("RustFS");
        assertThat(tree.path("suites").get(0).path("skipped").asInt()).isEqualTo(1);
        assertThat(tree.has("load")).as("no load section when no load ran").isFalse();
        String md = Files.readString(json.resolveSibling("summary.md"));
        assertThat(md)
                .contains("S3Proxy (stand-in for RustFS, not evidence about it)")
                .contains("| AuthSuite | 5 | 0 | 1 |")
                .contains("skipped AuthSuite / s: no S3 endpoint given");
    }

    @Test
    void findingsAboutComponentsAreInEveryReport(@TempDir Path dir) throws Exception {
        StackDescription rustfs = new StackDescription(
                "native",
                NginxVariant.ARTICLE,
                List.of(new Component("object-store", "RustFS", "1.0.1", "GET /health", null, "/w/rustfs.log", 2.0)),
                null,
                List.of("RustFS 1.0.1 ignored part of the article's settings: X"));
        assertThat(rustfs.summaryLines())
                .containsPattern("object-store +RustFS 1.0.1\n")
                .contains("  finding: RustFS 1.0.1 ignored part of the article's settings: X");
        assertThat(rustfs.withProxy(
                                NginxVariant.HARDENED,
                                new Component("proxy", "nginx", "1", "nginx -v", null, null, null))
                        .findings())
                .as("kept behind another proxy")
                .hasSize(1);
        ReportWriter writer = new ReportWriter(dir, 3);
        writer.startRun("gate");
        Path json = writer.write(RunReport.of(
                "./harness gate", T0, T0, "u", rustfs, List.of(), List.of(suite("A", 1, 0, 0)), null, List.of(), null));
        assertThat(ReportWriter.JSON
                        .readTree(json.toFile())
                        .path("stack")
                        .path("findings")
                        .get(0)
                        .asText())
                .isEqualTo("RustFS 1.0.1 ignored part of the article's settings: X");
        assertThat(Files.readString(json.resolveSibling("summary.md")))
                .contains("- finding: RustFS 1.0.1 ignored part of the article's settings: X");
    }
}
