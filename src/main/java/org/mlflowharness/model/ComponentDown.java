package org.mlflowharness.model;

import java.util.List;

/**
 * A component of the stack died or stopped answering while the harness used it (seen by the {@code Watchdog}), or the
 * stack stopped serving (seen by the {@code Breaker}): nothing after this point says anything about the stack, so the
 * run stops its remaining suites and steps and reports this as the cause.
 */
public final class ComponentDown extends StackException {

    public ComponentDown(String component, String problem, String fix, List<String> logTail) {
        super(component, problem, fix, logTail, null);
    }
}
