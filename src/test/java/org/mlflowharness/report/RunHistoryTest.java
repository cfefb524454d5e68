package org.mlflowharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.report.RunReport.Stage;

/** Runs kept under reports/runs/, latest pointing at the newest, bounded, listed, compared. */
class RunHistoryTest {

    @TempDir
    Path reports;

    private static RunReport load(String profile) throws Exception {
        return load(profile, RunReportTest.STACK);
    }

    private static RunReport load(String profile, StackDescription stack) throws Exception {
        return load(profile, stack, true);
    }

    /** The capacity fixture's run as profile {@code profile} on {@code stack}, without its scenarios unless {@code scenarios}. */
    private static RunReport load(String profile, StackDescription stack, boolean scenarios) throws Exception {
        LoadSection l = LoadSection.of(CapacityReportTest.fixture().path("load"));
        LoadSection section = new LoadSection(
                profile,
                l.description(),
                l.onBreach(),
                scenarios ? l.scenarios() : null,
                l.resources(),
                l.harnessPeakRssMiB(),
                l.notRun(),
                l.failures(),
                l.verdict());
        return RunReport.of(
                "./harness load all --profile " + profile,
                Instant.parse("2026-11-27T10:00:00Z"),
                Instant.parse("2026-11-27T10:20:00Z"),
                "u",
                stack,
                List.of(new Stage("load", 1, null)),
                List.of(),
                section,
                List.of(),
                null);
    }

    private Path run(ReportWriter w, String command, RunReport r) {
        w.startRun(command);
        w.write(r);
        return w.runDir();
    }

    @Test
    void eachRunKeepsItsOwnDirectoryLatestIsTheNewestAndOnlyTheLastNAreKept() throws Exception {
        ReportWriter w = new ReportWriter(reports, 3);
        Path first = run(w, "load", load("capacity"));
        Path second = run(w, "load", load("capacity"));
        assertThat(first).isNotEqualTo(second);
        assertThat(Files.isSymbolicLink(reports.resolve("latest"))).isTrue();
        assertThat(reports.resolve("latest").toRealPath()).isEqualTo(second.toRealPath());
        run(w, "gate", load("smoke"));
        run(w, "gate", load("smoke"));
        assertThat(new RunHistory(reports).runs()).hasSize(3);
        assertThat(first).as("the oldest is deleted").doesNotExist();
    }

    @Test
    void thePreviousComparableRunHasTheSameProfileAndProvider() throws Exception {
        ReportWriter w = new ReportWriter(reports, 10);
        String capacity = run(w, "load", load("capacity")).getFileName().toString();
        run(w, "load", load("smoke"));
        w.startRun("load");
        RunHistory h = new RunHistory(reports);
        CapacityReport.Run now = new CapacityReport.Run(
                w.runDir().getFileName().toString(), ReportWriter.JSON.valueToTree(load("capacity")));
        assertThat(h.previousComparable(now))
                .get()
                .extracting(CapacityReport.Run::name)
                .isEqualTo(capacity);
        RunReport faulted =
                load("capacity", new StackDescription("native", NginxVariant.ARTICLE, List.of(), "nginx-wrong-host"));
        run(w, "load", faulted);
        RunReport otherScenarios = load("capacity", RunReportTest.STACK, false);
        run(w, "load", otherScenarios);
        w.startRun("load");
        now = new CapacityReport.Run(
                w.runDir().getFileName().toString(), ReportWriter.JSON.valueToTree(load("capacity")));
        assertThat(new RunHistory(reports).previousComparable(now))
                .as("not a run with a --fault, nor one of other scenarios")
                .get()
                .extracting(CapacityReport.Run::name)
                .isEqualTo(capacity);
        Map<String, String> files = w.writeCapacity(load("capacity"));
        assertThat(Files.readString(Path.of(files.get("capacity (Markdown)"))))
                .contains("Previous comparable run: " + capacity);
    }

    @Test
    void theListingGivesVerdictCommandAndHeadlines() throws Exception {
        ReportWriter w = new ReportWriter(reports, 10);
        run(w, "load", load("capacity"));
        w.startRun("gate"); // killed before it wrote a summary
        List<String> lines = new RunHistory(reports).listing();
        assertThat(lines.get(0))
                .matches(
                        "\\d{8}-\\d{6}-\\d{3}-load +PASSED +\\./harness load all --profile capacity \\(1200 s\\), load profile capacity");
        assertThat(lines)
                .contains("    metric-logging broke at: 8 concurrent training jobs (672 points/s offered)")
                .anyMatch(
                        l -> l.matches(
                                "\\d{8}-\\d{6}-\\d{3}-gate +- +\\(no summary.json: still running, or killed before it finished\\)"));
    }
}
