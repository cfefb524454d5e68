package org.mlflowharness.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class DeterministicContentTest {

    private static byte[] bulk(long size, long seed, int bufSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeterministicContent.Stream s = DeterministicContent.open(size, seed)) {
            byte[] buf = new byte[bufSize];
            int n;
            while ((n = s.read(buf, 0, buf.length)) >= 0) {
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    @Test
    void singleByteAndBulkReadsGiveTheSameBytesAndDigest() throws Exception {
        long size = 3 * 8192 + 5;
        byte[] viaBulk = bulk(size, 42, 1000);
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        DeterministicContent.Stream s = DeterministicContent.open(size, 42);
        assertThat(s.available()).as("available() before reading").isEqualTo((int) size);
        int b;
        while ((b = s.read()) >= 0) {
            single.write(b);
        }
        assertThat(s.available()).as("available() at the end").isZero();
        assertThat(single.toByteArray()).as("read() vs read(byte[])").isEqualTo(viaBulk);
        String expected =
                DeterministicContent.hex(MessageDigest.getInstance("SHA-256").digest(viaBulk));
        assertThat(s.sha256Hex()).as("digest computed while generating").isEqualTo(expected);
        assertThat(DeterministicContent.sha256(size, 42))
                .as("sha256(size, seed)")
                .isEqualTo(expected);
    }

    @Test
    void sameSeedIsAPrefixAndOtherSeedsDiffer() {
        byte[] small = bulk(1001, 7, 333);
        byte[] large = bulk(20_000, 7, 4096);
        byte[] other = bulk(1001, 8, 333);
        assertThat(java.util.Arrays.copyOf(large, 1001)).as("prefix property").isEqualTo(small);
        assertThat(other).as("another seed").isNotEqualTo(small);
    }

    @Test
    void emptyAndOneByteContent() throws Exception {
        assertThat(DeterministicContent.sha256(0, 1))
                .as("SHA-256 of nothing")
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        byte[] one = bulk(1, 1, 16);
        assertThat(one).hasSize(1);
        assertThat(DeterministicContent.sha256(1, 1))
                .isEqualTo(DeterministicContent.hex(
                        MessageDigest.getInstance("SHA-256").digest(one)));
    }
}
