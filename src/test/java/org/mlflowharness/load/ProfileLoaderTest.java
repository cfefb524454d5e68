package org.mlflowharness.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.config.Sizes;
import org.mlflowharness.model.NginxVariant;

class ProfileLoaderTest {

    private final ProfileLoader project = new ProfileLoader(Path.of("scenarios"));

    @Test
    void theProjectProfilesParse() {
        assertThat(project.names()).as("profiles shipped in scenarios/").contains("smoke", "capacity", "soak");
        Profile smoke = project.load("smoke");
        assertThat(smoke.nginxVariant()).as("smoke uses the hardened variant").isEqualTo(NginxVariant.HARDENED);
        assertThat(smoke.stopOnBreach()).isFalse();
        assertThat(smoke.maxMinutes()).as("smoke stays under 2 minutes").isLessThanOrEqualTo(2);
        Profile capacity = project.load("capacity");
        assertThat(capacity.stopOnBreach()).isTrue();
        assertThat(capacity.settings(ScenarioKind.LARGE_UPLOAD).nginxVariants())
                .containsExactly(NginxVariant.ARTICLE, NginxVariant.HARDENED);
        assertThat(capacity.settings(ScenarioKind.LARGE_UPLOAD).sizes()).contains(2L << 30);
        assertThat(capacity.settings(ScenarioKind.DIRECT_S3))
                .as("direct-s3 falls back to large-upload's sizes")
                .isEqualTo(capacity.settings(ScenarioKind.LARGE_UPLOAD));
    }

    @Test
    void uploadScenariosNeedSizes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("nosizes.yaml"), "scenarios:\n  direct-s3: {}\n");
        assertThatThrownBy(() -> new ProfileLoader(dir).load("nosizes"))
                .hasMessageContaining("nosizes/direct-s3")
                .hasMessageContaining("'sizes' is required");
    }

    @Test
    void unknownProfileFailsFastListingTheValidOnes() {
        assertThatThrownBy(() -> project.load("smok"))
                .hasMessageContaining("unknown profile 'smok'")
                .hasMessageContaining("smoke")
                .hasMessageContaining("capacity");
    }

    @Test
    void unknownScenarioFailsFastListingTheValidOnes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.yaml"), "scenarios:\n  metric-loging: {users: 1}\n");
        assertThatThrownBy(() -> new ProfileLoader(dir).load("p"))
                .hasMessageContaining("unknown scenario 'metric-loging'")
                .hasMessageContaining("metric-logging, large-upload, direct-s3, mixed");
        assertThatThrownBy(() -> ScenarioKind.parseSelection("uploads")).hasMessageContaining("valid:");
    }

    @Test
    void unknownKeysVariantsAndBadValuesFail(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "scenarios:\n  mixed: {userz: 1}\n");
        Files.writeString(dir.resolve("b.yaml"), "nginxVariant: fancy\nscenarios:\n  mixed: {}\n");
        Files.writeString(dir.resolve("c.yaml"), "onBreach: maybe\nscenarios:\n  mixed: {}\n");
        Files.writeString(dir.resolve("d.yaml"), "scenarios:\n  large-upload: {sizes: [1MB]}\n");
        ProfileLoader loader = new ProfileLoader(dir);
        assertThatThrownBy(() -> loader.load("a")).hasMessageContaining("unknown key(s) [userz]");
        assertThatThrownBy(() -> loader.load("b")).hasMessageContaining("unknown nginx variant 'fancy'");
        assertThatThrownBy(() -> loader.load("c")).hasMessageContaining("onBreach 'maybe'");
        assertThatThrownBy(() -> loader.load("d")).hasMessageContaining("size '1MB'");
    }

    @Test
    void aWorkerSweepIsAscendingBoundedAndOnlyInCapacityMode(@TempDir Path dir) throws Exception {
        String target = "scenarios:\n  breakpoint: {target: {jobs: 5, pointsPerSecond: 10, sweep: %s}}\n";
        Files.writeString(dir.resolve("ok.yaml"), "onBreach: stop\n" + target.formatted("[1, 2, 4]"));
        Files.writeString(dir.resolve("down.yaml"), "onBreach: stop\n" + target.formatted("[4, 2]"));
        Files.writeString(dir.resolve("big.yaml"), "onBreach: stop\n" + target.formatted("[1, 64]"));
        Files.writeString(dir.resolve("fail.yaml"), target.formatted("[1, 2]"));
        ProfileLoader loader = new ProfileLoader(dir);
        assertThat(loader.load("ok").settings(ScenarioKind.BREAKPOINT).target().sweep())
                .containsExactly(1, 2, 4);
        assertThatThrownBy(() -> loader.load("down")).hasMessageContaining("ascending order");
        assertThatThrownBy(() -> loader.load("big")).hasMessageContaining("worker counts 1..16");
        assertThatThrownBy(() -> loader.load("fail")).hasMessageContaining("set onBreach: stop");
        assertThat(project.load("capacity")
                        .settings(ScenarioKind.BREAKPOINT)
                        .target()
                        .sweep())
                .as("the capacity profile sweeps MLflow's workers")
                .isNotEmpty();
    }

    @Test
    void resilienceFaultsAreDataAndChecked(@TempDir Path dir) throws Exception {
        Profile.Settings r = project.load("smoke").settings(ScenarioKind.RESILIENCE);
        assertThat(r.resilience().faults())
                .extracting(Profile.FaultPlan::label)
                .containsExactly(
                        "restart database",
                        "restart object-store",
                        "restart tracking",
                        "reload proxy",
                        "restart proxy");
        assertThat(r.sizes()).containsExactly(256L << 10);
        assertThat(project.load("capacity")
                        .settings(ScenarioKind.RESILIENCE)
                        .resilience()
                        .faults())
                .hasSize(5);
        assertThat(project.load("smoke").settings(ScenarioKind.METRIC_LOGGING).resilience())
                .isNull();

        String ok = "scenarios:\n  resilience:\n    sizes: [1MiB]\n    faults:\n";
        Files.writeString(dir.resolve("a.yaml"), ok + "      - {component: mlflow, atSeconds: 5}\n");
        Files.writeString(dir.resolve("b.yaml"), ok + "      - {component: database, action: reload, atSeconds: 5}\n");
        Files.writeString(
                dir.resolve("c.yaml"),
                ok + "      - {component: database, atSeconds: 9}\n      - {component: proxy, atSeconds: 5}\n");
        Files.writeString(dir.resolve("d.yaml"), "scenarios:\n  resilience: {sizes: [1MiB]}\n");
        Files.writeString(
                dir.resolve("e.yaml"), ok + "      - {component: proxy, atSeconds: 5}\n    slo: {p95Ms: 100}\n");
        Files.writeString(dir.resolve("f.yaml"), "scenarios:\n  mixed: {faults: []}\n");
        ProfileLoader loader = new ProfileLoader(dir);
        assertThatThrownBy(() -> loader.load("a"))
                .hasMessageContaining("fault component 'mlflow' is not one of database, object-store, tracking, proxy");
        assertThatThrownBy(() -> loader.load("b")).hasMessageContaining("reload (proxy only");
        assertThatThrownBy(() -> loader.load("c")).hasMessageContaining("ascending atSeconds");
        assertThatThrownBy(() -> loader.load("d")).hasMessageContaining("'faults' is required");
        assertThatThrownBy(() -> loader.load("e"))
                .hasMessageContaining("latency and errors are expected during outages");
        assertThatThrownBy(() -> loader.load("f")).hasMessageContaining("unknown key(s) [faults]");
    }

    @Test
    void aScenarioTheProfileLacksIsNamed() {
        Profile smoke = project.load("smoke");
        assertThat(smoke.settings(ScenarioKind.DIRECT_S3)).isEqualTo(smoke.settings(ScenarioKind.LARGE_UPLOAD));
        assertThat(Sizes.parse("2GiB")).isEqualTo(2L << 30);
        assertThat(Sizes.format(16L << 20)).isEqualTo("16MiB");
    }
}
