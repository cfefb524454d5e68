package org.mlflowharness.stack;

import java.util.List;

/**
 * A component of the stack died or stopped answering while the harness used it (seen by the {@link Watchdog}), or the
 * stack stopped serving (seen by the {@link Breaker}): nothing after this point says anything about the stack, so the
 * run stops its remaining suites and steps and reports this as the cause.
 */
public final class ComponentDown extends StackException {

    public ComponentDown(String component, String problem, String fix, List<String> logTail) {
        super(component, problem, fix, logTail, null);
    }
}
