package org.mlflowharness.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.client.MlflowClient;

class VolumeFillTest {

    private static List<Map<String, Object>> metrics(int n) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(MlflowClient.metric("m", i, 0, i));
        }
        return l;
    }

    private static List<Map<String, String>> params(int n) {
        List<Map<String, String>> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(MlflowClient.keyValue("p" + i, "v"));
        }
        return l;
    }

    @Test
    void aRunIsLoggedInBatchesAtTheApisLimitsParamsFirst() {
        List<VolumeFill.Batch> b = VolumeFill.batches(metrics(1000), params(10));
        assertThat(b).hasSize(2);
        assertThat(b.get(0).params()).hasSize(10);
        assertThat(b.get(0).metrics())
                .as("1000 entities per request, params included")
                .hasSize(990);
        assertThat(b.get(1).metrics()).hasSize(10);
        assertThat(b.get(1).params()).isEmpty();

        List<VolumeFill.Batch> many = VolumeFill.batches(metrics(10), params(150));
        assertThat(many).as("at most 100 params per request").hasSize(2);
        assertThat(many.get(0).params()).hasSize(100);
        assertThat(many.get(0).metrics()).hasSize(10);
        assertThat(many.get(1).params()).hasSize(50);

        assertThat(VolumeFill.batches(metrics(2500), List.of()))
                .extracting(x -> x.metrics().size())
                .containsExactly(1000, 1000, 500);
        assertThat(VolumeFill.batches(List.of(), List.of())).isEmpty();
    }

    @Test
    void theFillIsNamedByItsShapeAndOnlyNumberedExperimentsBelongToIt(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("v.yaml"), "scenarios:\n  data-volume: {levels: [0, 200], runsPerExperiment: 100}\n");
        Volume v = new ProfileLoader(dir)
                .load("v")
                .settings(ScenarioKind.DATA_VOLUME)
                .volume();
        assertThat(v.fillId()).isEqualTo("volume-100r-10p-5t-10x100");
        assertThat(v.pointsPerRun()).isEqualTo(1000);
        assertThat(VolumeFill.indexOf("h-volume-x-0007", "h-volume-x-")).isEqualTo(7);
        assertThat(VolumeFill.indexOf("h-volume-x-0007-partial-1", "h-volume-x-"))
                .isNull();
    }

    @Test
    void levelsMustAscendInWholeExperiments(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("a.yaml"), "scenarios:\n  data-volume: {levels: [0, 150], runsPerExperiment: 100}\n");
        assertThatThrownBy(() -> new ProfileLoader(dir).load("a"))
                .hasMessageContaining("a/data-volume")
                .hasMessageContaining("multiples of runsPerExperiment (100)");
        Files.writeString(dir.resolve("b.yaml"), "scenarios:\n  data-volume: {runsPerExperiment: 100}\n");
        assertThatThrownBy(() -> new ProfileLoader(dir).load("b")).hasMessageContaining("'levels' is required");
        Files.writeString(dir.resolve("c.yaml"), "scenarios:\n  data-volume: {levels: [0], params: 200}\n");
        assertThatThrownBy(() -> new ProfileLoader(dir).load("c")).hasMessageContaining("params 1..100");
        Files.writeString(dir.resolve("d.yaml"), "scenarios:\n  data-volume: {levels: [0], sizes: [1MiB]}\n");
        assertThatThrownBy(() -> new ProfileLoader(dir).load("d")).hasMessageContaining("unknown key(s) [sizes]");
    }
}
