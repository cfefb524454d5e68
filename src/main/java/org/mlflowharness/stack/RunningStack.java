package org.mlflowharness.stack;

/** A stack that is up: where to reach it, and what exactly is running. */
public record RunningStack(Endpoints endpoints, StackDescription description) {
}
