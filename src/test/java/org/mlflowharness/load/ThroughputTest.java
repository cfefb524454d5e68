package org.mlflowharness.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThroughputTest {

    @Test
    void megabytesPerSecondAndRatio() {
        assertThat(Throughput.mbps(100_000_000, 2_000_000_000L)).isCloseTo(50.0, within(1e-9));
        assertThat(Throughput.mbps(1, 0)).isZero();
        assertThat(Throughput.aggregateMbps(300_000_000, 1_000_000_000L, 4_000_000_000L)).isCloseTo(100.0, within(1e-9));
        assertThat(Throughput.ratio(40, 80)).isEqualTo(0.5);
        assertThat(Throughput.ratio(40, 0)).isNaN();
    }

    @Test
    void uploadResultsFindTheLargestSizeAndHowTheNextFailed() {
        UploadResults r = new UploadResults();
        long mib = 1 << 20;
        r.add(new UploadResults.Transfer(mib, "200", true, 0, 1_000_000_000L));
        r.add(new UploadResults.Transfer(mib, "200", true, 500_000_000L, 2_000_000_000L));
        r.add(new UploadResults.Transfer(16 * mib, "200", true, 0, 1_000_000_000L));
        r.add(new UploadResults.Transfer(64 * mib, "504", false, 0, 60_000_000_000L));
        r.add(new UploadResults.Transfer(64 * mib, "200", false, 0, 10_000_000_000L));
        assertThat(r.largestOk()).isEqualTo(16 * mib);
        assertThat(r.firstFailure()).containsEntry("size", "64MiB").containsEntry("afterSeconds", 60.0);
        assertThat(r.firstFailure().get("outcomes").toString()).contains("504=1").contains("200 but content differs=1");
        assertThat(r.corrupted()).as("acknowledged but wrong content").isEqualTo(1);
        assertThat(r.aggregateMbps(mib)).as("2 MiB over 2 s").isCloseTo(2 * mib / 1e6 / 2, within(1e-9));
    }

    @Test
    void percentilesAndPeakMemoryParsing() {
        assertThat(RequestRecorder.percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 95)).isEqualTo(10);
        assertThat(RequestRecorder.percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 50)).isEqualTo(5);
        assertThat(MemoryProbe.parse("Name:\tjava\nVmHWM:\t  524288 kB\nVmRSS:\t 1024 kB\n", "VmHWM")).isEqualTo(512.0);
    }
}
