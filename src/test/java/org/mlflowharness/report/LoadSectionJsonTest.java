package org.mlflowharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.model.load.ScenarioResult;

/**
 * summary.json keeps the load section's keys as the reports and {@code compare} of earlier runs read them: the records
 * serialise to the same names, and read back to equal records.
 */
class LoadSectionJsonTest {

    private static Set<String> keys(JsonNode n) {
        Set<String> k = new HashSet<>();
        n.fieldNames().forEachRemaining(k::add);
        return k;
    }

    @Test
    void theCapacityRunKeepsItsKeyNames() {
        JsonNode load = SummaryFixtures.capacity().path("load");
        assertThat(keys(load))
                .containsExactlyInAnyOrder(
                        "profile",
                        "description",
                        "onBreach",
                        "scenarios",
                        "resources",
                        "harnessPeakRssMiB",
                        "notRun",
                        "failures",
                        "verdict");
        assertThat(keys(load.path("resources"))).containsExactlyInAnyOrder("source", "sampledEverySeconds");
        JsonNode ml = load.path("scenarios").path("metric-logging");
        assertThat(keys(ml))
                .containsExactlyInAnyOrder(
                        "slo", "stack", "warmUp", "steps", "highestStepMeetingSlo", "harnessPeakRssMiB");
        assertThat(keys(ml.path("highestStepMeetingSlo")))
                .containsExactlyInAnyOrder("users", "rate", "offeredPointsPerSecond", "throughputRps");
        JsonNode step = ml.path("steps").get(0);
        assertThat(keys(step))
                .containsExactlyInAnyOrder(
                        "users",
                        "rate",
                        "offeredPointsPerSecond",
                        "resources",
                        "gatlingExitCode",
                        "gatlingReport",
                        "requests",
                        "acknowledgedPointsPerSecond",
                        "integrity",
                        "breaches",
                        "metSlo");
        assertThat(keys(step.path("requests")))
                .containsExactlyInAnyOrder(
                        "requests",
                        "ok",
                        "errors",
                        "errorPct",
                        "errorsByStatus",
                        "p50Ms",
                        "p95Ms",
                        "p99Ms",
                        "maxMs",
                        "wallSeconds",
                        "throughputRps",
                        "byRequest");
        assertThat(keys(step.path("integrity")))
                .containsExactlyInAnyOrder(
                        "runs",
                        "acknowledged",
                        "stored",
                        "lost",
                        "duplicated",
                        "unacknowledgedStored",
                        "dbRows",
                        "unavailable503Requests",
                        "ok");
        assertThat(keys(step.path("resources")))
                .containsExactlyInAnyOrder("seconds", "samples", "machine", "source", "components", "harness");
        assertThat(keys(step.path("resources").path("machine")))
                .containsExactlyInAnyOrder("cores", "busyCores", "busyPct", "otherProcessesCores");
        assertThat(keys(step.path("resources").path("harness")))
                .containsExactlyInAnyOrder("cpuCores", "peakRssMiB", "processes");
        assertThat(keys(load.path("scenarios").path("mixed").path("steps").get(0)))
                .doesNotContain("offeredPointsPerSecond");
        assertThat(load.path("scenarios")
                        .path("mixed")
                        .path("highestStepMeetingSlo")
                        .path("offeredPointsPerSecond")
                        .asText())
                .isEqualTo("n/a");
        JsonNode upload = load.path("scenarios").path("large-upload");
        assertThat(keys(upload)).containsExactlyInAnyOrder("users", "sizes", "order", "slo", "direct", "proxied");
        JsonNode article = upload.path("proxied").path("article");
        assertThat(keys(article))
                .containsExactlyInAnyOrder(
                        "bySize",
                        "largestOk",
                        "firstFailure",
                        "corrupted",
                        "harnessPeakRssMiBBySize",
                        "resourcesBySize",
                        "proxiedToDirectRatioBySize",
                        "proxiedToDirectRatio",
                        "breaches");
        assertThat(keys(article.path("firstFailure")))
                .containsExactlyInAnyOrder("size", "outcomes", "example", "afterSeconds");
        assertThat(keys(article.path("bySize").path("1MiB")))
                .containsExactlyInAnyOrder("transfers", "ok", "perTransferMBps", "aggregateMBps", "outcomes");
        assertThat(upload.path("direct").path("firstFailure").asText()).isEqualTo("none");
    }

    @Test
    void theResilienceRunKeepsItsKeyNames() {
        JsonNode r = SummaryFixtures.resilience().path("load").path("scenarios").path("resilience");
        assertThat(keys(r))
                .containsExactlyInAnyOrder(
                        "load",
                        "plan",
                        "recoverySeconds",
                        "stack",
                        "warmUp",
                        "gatlingReport",
                        "requests",
                        "faults",
                        "failedBeforeTheFirstFault",
                        "integrity",
                        "harnessPeakRssMiB");
        assertThat(keys(r.path("load")))
                .containsExactlyInAnyOrder(
                        "trainingJobs",
                        "iterationsPerSecond",
                        "batchSize",
                        "uploadUsers",
                        "uploadsPerSecond",
                        "uploadSize");
        JsonNode fault = r.path("faults").get(0);
        assertThat(keys(fault))
                .containsExactlyInAnyOrder(
                        "fault",
                        "plannedAtSeconds",
                        "startedAtSeconds",
                        "outageSeconds",
                        "componentReadyAfterSeconds",
                        "servesAgainAfterSeconds",
                        "requests",
                        "failedRequests",
                        "errorWindow",
                        "failuresByClass",
                        "timeline");
        assertThat(keys(fault.path("errorWindow")))
                .containsExactlyInAnyOrder("firstFailedAfterSeconds", "lastFailedAfterSeconds");
        assertThat(keys(fault.path("timeline")))
                .containsExactlyInAnyOrder("bucketSeconds", "secondsRelativeTo", "points", "marks");
        assertThat(keys(fault.path("timeline").path("marks")))
                .containsExactlyInAnyOrder("faultAt", "outageEndsAt", "readyAt", "servesAgainAt");
        assertThat(keys(fault.path("timeline").path("points").get(0)))
                .containsExactlyInAnyOrder("second", "requests", "errors");
        assertThat(r.path("faults")
                        .get(3)
                        .path("errorWindow")
                        .path("firstFailedAfterSeconds")
                        .asText())
                .isEqualTo("none");
        assertThat(keys(r.path("integrity"))).containsExactlyInAnyOrder("metricPoints", "uploads");
        assertThat(keys(r.path("integrity").path("uploads")))
                .containsExactlyInAnyOrder("sent", "acknowledged", "acknowledgedButNotStoredIntact", "bySize");
    }

    @Test
    void aSectionReadsBackAsTheSameRecords() {
        for (JsonNode summary : List.of(SummaryFixtures.capacity(), SummaryFixtures.resilience())) {
            LoadSection load = LoadSection.of(summary.path("load"));
            assertThat(LoadSection.of(ReportWriter.JSON.valueToTree(load))).isEqualTo(load);
            assertThat((JsonNode) ReportWriter.JSON.valueToTree(load)).isEqualTo(summary.path("load"));
        }
    }

    @Test
    void aScenarioThatCouldNotCompleteIsItsErrorAlone() {
        JsonNode load = ReportWriter.JSON
                .createObjectNode()
                .set(
                        "scenarios",
                        ReportWriter.JSON
                                .createObjectNode()
                                .set(
                                        "mixed",
                                        ReportWriter.JSON.createObjectNode().put("error", "AssertionError: 403")));
        LoadSection section = LoadSection.of(load);
        assertThat(section.scenarios().get("mixed")).isEqualTo(new ScenarioResult.NotCompleted("AssertionError: 403"));
        assertThat(ReportWriter.JSON.valueToTree(section).toString())
                .isEqualTo("{\"scenarios\":{\"mixed\":{\"error\":\"AssertionError: 403\"}}}");
    }
}
