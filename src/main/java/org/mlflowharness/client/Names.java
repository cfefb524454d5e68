package org.mlflowharness.client;

import java.util.concurrent.ThreadLocalRandom;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;

/** Unique names for what a test creates, under the configured prefix, so that tests never touch others' data. */
public final class Names {

    private static final String PREFIX = HarnessConfig.fromEnvironment().get(Option.EXPERIMENT_PREFIX);

    private Names() {}

    /** The configured prefix of every name the harness creates ({@code --experiment-prefix}). */
    public static String prefix() {
        return PREFIX;
    }

    /** {@code <prefix><what>-<millis>-<random>}, e.g. {@code harness-auth-1764220000000-3f9a}. */
    public static String unique(String what) {
        return PREFIX + what + "-" + System.currentTimeMillis() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    }
}
