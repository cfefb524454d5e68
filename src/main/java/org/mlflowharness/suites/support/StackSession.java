package org.mlflowharness.suites.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.providers.Stacks;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackProvider;

/**
 * The stack the suites run against. The gate brings one up and {@link #use}s it for the whole run; a suite run from
 * Maven or an IDE gets one from the configured provider instead, started once and closed when the run ends.
 */
public final class StackSession {

    private static volatile RunningStack current;

    private StackSession() {}

    /** Called by the gate before it launches the suites. */
    public static void use(RunningStack stack) {
        current = stack;
    }

    static RunningStack get(ExtensionContext context) {
        RunningStack stack = current;
        if (stack != null) {
            return stack;
        }
        ExtensionContext.Store store =
                context.getRoot().getStore(ExtensionContext.Namespace.create(StackSession.class));
        return store.getOrComputeIfAbsent("stack", k -> new Started(HarnessConfig.fromEnvironment()), Started.class)
                .stack;
    }

    /** A provider started for this JUnit run; JUnit closes it when the run ends. */
    private static final class Started implements AutoCloseable {
        final StackProvider provider;
        final RunningStack stack;

        Started(HarnessConfig config) {
            provider = Stacks.provider(config, System.out::println);
            stack = provider.start();
        }

        @Override
        public void close() {
            provider.stop();
        }
    }
}
