package org.mlflowharness.stack;

import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.StackDescription;

/** A stack that is up: where to reach it, and what exactly is running. */
public record RunningStack(Endpoints endpoints, StackDescription description) {}
