package org.mlflowharness.config;

import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import org.mlflowharness.config.HarnessConfig.ConfigException;

/**
 * The one way a bad option value fails, wherever the value came from (command line, {@code -Dharness.<name>},
 * environment): a {@link ConfigException} of one line naming the option and the value, a close match when there is
 * one, and what it takes, e.g.
 * {@code --suites: unknown tag 'helth' (did you mean 'health'?); known: auth, health, ...}.
 */
public final class OptionValues {

    private OptionValues() {}

    /** The one of {@code values} whose id is {@code value}, ignoring case; else the error of {@link #unknown}. */
    public static <T> T pick(Option option, String what, String value, T[] values, Function<T, String> id) {
        return Arrays.stream(values)
                .filter(v -> id.apply(v).equalsIgnoreCase(value))
                .findFirst()
                .orElseThrow(() -> unknown(
                        option, what, value, Arrays.stream(values).map(id).toList()));
    }

    /** Fails as {@link #unknown} unless {@code value} is one of {@code known}. */
    public static void requireKnown(Option option, String what, String value, Collection<String> known) {
        if (!known.contains(value)) {
            throw unknown(option, what, value, known);
        }
    }

    /** {@code --<option>: unknown <what> '<value>' (did you mean '<close>'?); known: <known, ...>}. */
    public static ConfigException unknown(Option option, String what, String value, Collection<String> known) {
        return new ConfigException("--" + option.cliName() + ": unknown " + what + " '" + value + "'"
                + closest(value, known).map(c -> " (did you mean '" + c + "'?)").orElse("")
                + "; known: " + String.join(", ", known));
    }

    /** An integer from {@code min} to {@code max}; else {@code --<option>: '<value>' is not <meaning>}. */
    public static int number(Option option, String value, int min, int max, String meaning) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the same error as a number out of range
        }
        throw new ConfigException("--" + option.cliName() + ": '" + value + "' is not " + meaning);
    }

    /**
     * The known value a typo of {@code value} most likely meant: the nearest by edit distance (ignoring case), when
     * it is at most 2 edits away, or a third of the value's length for longer ones.
     */
    static Optional<String> closest(String value, Collection<String> known) {
        String v = value.toLowerCase();
        int limit = Math.max(2, v.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(v, k.toLowerCase());
            if (d <= limit && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions that turn {@code a} into {@code b}. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
