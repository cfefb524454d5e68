package org.mlflowharness.load.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mlflowharness.load.UploadResults;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.model.load.ResourceWindow.Machine;
import org.mlflowharness.model.load.ResourceWindow.Usage;

/** The console's per-size lines are a few words with the key figures, not map dumps. */
class LoadConsoleTest {

    @Test
    void anUploadSizeInAFewWords() {
        UploadResults r = new UploadResults();
        r.add(new UploadResults.Transfer(1 << 20, "200", null, true, 0, 100_000_000));
        r.add(new UploadResults.Transfer(1 << 20, "200", null, true, 0, 200_000_000));
        r.add(new UploadResults.Transfer(16 << 20, "413", "413 Request Entity Too Large", false, 0, 400_000_000));
        assertThat(LoadConsole.describeSize(r.bySize().get("1MiB")))
                .isEqualTo("2/2 ok, 10.49 MB/s aggregate (per upload 5.24 to 10.49 MB/s)");
        assertThat(LoadConsole.describeSize(r.bySize().get("16MiB"))).isEqualTo("0/1 ok, 413 x1");
        assertThat(LoadConsole.describeFailure(r.firstFailure()))
                .isEqualTo("16MiB failed (413 x1, after 0.4 s: 413 Request Entity Too Large)");
        assertThat(LoadConsole.describeFailure(null)).isEqualTo("none");
    }

    @Test
    void resourceUseInOneLine() {
        ResourceWindow usage = new ResourceWindow(
                10,
                10,
                new Machine(2, 1.9, 95.0, 0.4),
                "docker stats",
                new TreeMap<>(Map.of("mlflow", new Usage(1.1, 300, 5), "mariadb", new Usage(0.2, 200, 1))),
                null,
                new Usage(0.2, 250, 1),
                null);
        assertThat(LoadConsole.describeUsage(usage))
                .isEqualTo(
                        "CPU cores used: machine 1.9 of 2 busy: mariadb 0.2, mlflow 1.1, harness 0.2, other processes 0.4");
    }

    @Test
    void resourceUseWithoutComponentsInOneLine() {
        ResourceWindow usage = new ResourceWindow(
                10,
                10,
                new Machine(2, 1.0, 50.0, null),
                null,
                null,
                "an external stack's processes run where the harness cannot see them",
                new Usage(0.2, 250, 1),
                null);
        assertThat(LoadConsole.describeUsage(usage)).isEqualTo("CPU cores used: machine 1.0 of 2 busy: harness 0.2");
    }
}
