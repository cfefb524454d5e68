package org.mlflowharness.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them in profiles and options: {@code 1048576}, {@code 512KiB}, {@code 16MiB}, {@code 2GiB}. */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

    /** {@code 1048576}, {@code 512KiB}, {@code 16MiB}, {@code 2GiB}. */
    public static long parse(String s) {
        Matcher m = SIZE.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("size '" + s + "' is not like 1048576, 512KiB, 16MiB or 2GiB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        return switch (unit) {
            case "KiB" -> n << 10;
            case "MiB" -> n << 20;
            case "GiB" -> n << 30;
            default -> n;
        };
    }

    /** The inverse of {@link #parse} for exact multiples, else bytes. */
    public static String format(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "KiB";
        }
        return bytes + "B";
    }

    private Sizes() {}
}
