package org.mlflowharness.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.model.load.UploadResult.FirstFailure;

class ThroughputTest {

    @Test
    void megabytesPerSecondAndRatio() {
        assertThat(Throughput.mbps(100_000_000, 2_000_000_000L)).isCloseTo(50.0, within(1e-9));
        assertThat(Throughput.mbps(1, 0)).isZero();
        assertThat(Throughput.aggregateMbps(300_000_000, 1_000_000_000L, 4_000_000_000L))
                .isCloseTo(100.0, within(1e-9));
        assertThat(Throughput.ratio(40, 80)).isEqualTo(0.5);
        assertThat(Throughput.ratio(40, 0)).isNaN();
    }

    @Test
    void uploadResultsFindTheLargestSizeAndHowTheNextFailed() {
        UploadResults r = new UploadResults();
        long mib = 1 << 20;
        r.add(new UploadResults.Transfer(mib, "200", null, true, 0, 1_000_000_000L));
        r.add(new UploadResults.Transfer(mib, "200", null, true, 500_000_000L, 2_000_000_000L));
        r.add(new UploadResults.Transfer(16 * mib, "200", null, true, 0, 1_000_000_000L));
        r.add(new UploadResults.Transfer(64 * mib, "504", "504 Gateway Time-out", false, 0, 60_000_000_000L));
        r.add(new UploadResults.Transfer(64 * mib, "200", null, false, 0, 10_000_000_000L));
        assertThat(r.largestOk()).isEqualTo(16 * mib);
        assertThat(r.allOk(16 * mib)).isTrue();
        assertThat(r.allOk(64 * mib)).isFalse();
        assertThat(r.allOk(128 * mib)).as("no transfer of that size").isFalse();
        assertThat(r.firstFailure())
                .isEqualTo(new FirstFailure(
                        "64MiB", Map.of("504", 1, "200 but content differs", 1), "504 Gateway Time-out", 60.0));
        assertThat(r.corrupted()).as("acknowledged but wrong content").isEqualTo(1);
        assertThat(r.failedPct())
                .as("2 of 5 transfers failed or did not verify")
                .isEqualTo(40.0);
        assertThat(r.aggregateMbps(mib)).as("2 MiB over 2 s").isCloseTo(2 * mib / 1e6 / 2, within(1e-9));
    }

    @Test
    void noResponseReasonsAreClassed() {
        assertThat(RequestRecorder.noResponse("Request timeout to localhost/127.0.0.1:15000 after 300000 ms"))
                .isEqualTo("no response (timeout)");
        assertThat(NoResponse.kind("j.n.SocketException: Connection reset")).isEqualTo("connection reset");
        assertThat(NoResponse.kind("i.n.c.StacklessClosedChannelException")).isEqualTo("connection closed");
        assertThat(NoResponse.kind("PrematureCloseException: Connection prematurely closed"))
                .isEqualTo("connection closed");
        assertThat(NoResponse.kind("Connection refused: localhost/127.0.0.1:1")).isEqualTo("connection refused");
        assertThat(NoResponse.kind("SdkClientException: Unable to execute HTTP request: Broken pipe"))
                .isEqualTo("connection closed");
        assertThat(NoResponse.kind("something else")).isEqualTo("something else");
    }

    @Test
    void percentilesAndPeakMemoryParsing() {
        assertThat(RequestRecorder.percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 95))
                .isEqualTo(10);
        assertThat(RequestRecorder.percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 50))
                .isEqualTo(5);
        assertThat(MemoryProbe.parse("Name:\tjava\nVmHWM:\t  524288 kB\nVmRSS:\t 1024 kB\n", "VmHWM"))
                .isEqualTo(512.0);
    }
}
