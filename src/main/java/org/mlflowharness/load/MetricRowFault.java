package org.mlflowharness.load;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --load-fault delete-metric-rows=N}: after each metric-logging or mixed step, N acknowledged metric rows are
 * deleted through JDBC before verification, so the run must fail on lost writes. Proves the integrity check bites.
 */
public record MetricRowFault(int rows) {

    private static final Pattern FORM = Pattern.compile("delete-metric-rows=(\\d{1,6})");

    /** Empty for no fault; an IllegalArgumentException naming the accepted form for anything else. */
    public static Optional<MetricRowFault> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "unknown --load-fault '" + value + "'; use delete-metric-rows=N (N >= 1)");
        }
        int n = Integer.parseInt(m.group(1));
        if (n < 1) {
            throw new IllegalArgumentException("--load-fault delete-metric-rows=" + n + " deletes nothing; use N >= 1");
        }
        return Optional.of(new MetricRowFault(n));
    }
}
