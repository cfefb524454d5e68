package org.mlflowharness.client;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Seeded pseudo-random content of any size, generated as it is read: never held in memory, so a 2 GiB artifact
 * costs 8 KiB of heap. The same (size, seed) always gives the same bytes, and content of size N is the first N
 * bytes of the content of any larger size with the same seed (counter mode over SplitMix64).
 *
 * <p>{@link #open} returns a stream whose single-byte {@code read()} is a cheap array access (Gatling's body
 * wrapper calls only {@code read()} and {@code available()}), whose {@code available()} is the number of bytes
 * left (so that chunked senders do not fall back to 1-byte chunks), and which computes the SHA-256 of what it
 * delivered as it goes ({@link Stream#sha256Hex()} once fully read). {@link #sha256} gives the digest without
 * sending anything.
 */
public final class DeterministicContent {

    private static final int CHUNK = 8192;

    private DeterministicContent() {}

    /** A fresh stream of {@code size} bytes for {@code seed}. */
    public static Stream open(long size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        return new Stream(size, seed);
    }

    /** The SHA-256 (lowercase hex) of the content of {@code size} bytes for {@code seed}, computed streaming. */
    public static String sha256(long size, long seed) {
        try (Stream s = open(size, seed)) {
            byte[] buf = new byte[64 * 1024];
            while (s.read(buf, 0, buf.length) >= 0) {
                // the stream digests what it delivers
            }
            return s.sha256Hex();
        }
    }

    /** Hex encoding of a digest, as {@link #sha256} returns it. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** Size and SHA-256 of what is read from {@code in} to its end, streamed (the stream is not closed). */
    public record Digest(long size, String sha256) {}

    /** Reads {@code in} to its end through a SHA-256, 64 KiB at a time; never holds the content in memory. */
    public static Digest digest(InputStream in) throws IOException {
        MessageDigest sha = newSha256();
        long size = 0;
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            sha.update(buf, 0, n);
            size += n;
        }
        return new Digest(size, hex(sha.digest()));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** SplitMix64 of the block counter: 8 bytes of content for block {@code i}. */
    private static long block(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The generating stream. Not thread-safe (one reader, like any stream); {@code close()} is a no-op. */
    public static final class Stream extends InputStream {
        private final long size;
        private final long seed;
        private final byte[] chunk = new byte[CHUNK];
        private final MessageDigest digest = newSha256();
        private long generated; // bytes generated into chunks (and digested) so far
        private int pos; // next byte to deliver in chunk
        private int limit; // valid bytes in chunk
        private String sha256;

        private Stream(long size, long seed) {
            this.size = size;
            this.seed = seed;
        }

        public long size() {
            return size;
        }

        public long seed() {
            return seed;
        }

        @Override
        public int read() {
            if (pos == limit && !refill()) {
                return -1;
            }
            return chunk[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int copied = 0;
            while (copied < len) {
                if (pos == limit && !refill()) {
                    break;
                }
                int n = Math.min(len - copied, limit - pos);
                System.arraycopy(chunk, pos, b, off + copied, n);
                pos += n;
                copied += n;
            }
            return copied == 0 ? -1 : copied;
        }

        @Override
        public long skip(long n) {
            long skipped = 0;
            while (skipped < n) {
                if (pos == limit && !refill()) {
                    break;
                }
                int k = (int) Math.min(n - skipped, limit - pos);
                pos += k;
                skipped += k;
            }
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, size - generated + (limit - pos));
        }

        @Override
        public void close() {
            // nothing to release; closing is allowed so that callers can use try-with-resources
        }

        /** The SHA-256 (lowercase hex) of all the content; only once the stream has been read to its end. */
        public String sha256Hex() {
            if (available() != 0) {
                throw new IllegalStateException("read the stream to its end first: " + available() + " bytes left");
            }
            if (sha256 == null) {
                sha256 = hex(digest.digest()); // every generated byte has been delivered and digested
            }
            return sha256;
        }

        private boolean refill() {
            if (generated >= size) {
                return false;
            }
            int n = (int) Math.min(CHUNK, size - generated);
            long first = generated >>> 3; // CHUNK is a multiple of 8, so chunks start on block boundaries
            for (int i = 0; i < n; i += 8) {
                long v = block(seed, first + (i >>> 3));
                for (int j = 0; j < 8 && i + j < n; j++) {
                    chunk[i + j] = (byte) (v >>> (8 * j));
                }
            }
            digest.update(chunk, 0, n);
            generated += n;
            pos = 0;
            limit = n;
            return true;
        }
    }
}
