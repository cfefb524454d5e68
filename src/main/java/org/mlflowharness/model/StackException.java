package org.mlflowharness.model;

import java.util.List;

/**
 * A stack could not be brought up or reached. Carries the component at fault, what to do about it, and the last
 * lines of that component's log, so that the CLI can print one clear line and the evidence under it.
 */
public class StackException extends RuntimeException {

    private final String component;
    private final String fix;
    private final List<String> logTail;

    public StackException(String component, String problem, String fix, List<String> logTail, Throwable cause) {
        super(component + ": " + problem, cause);
        this.component = component;
        this.fix = fix;
        this.logTail = logTail == null ? List.of() : List.copyOf(logTail);
    }

    public StackException(String component, String problem, String fix) {
        this(component, problem, fix, List.of(), null);
    }

    public String component() {
        return component;
    }

    public String fix() {
        return fix;
    }

    public List<String> logTail() {
        return logTail;
    }

    /** The one line a user sees: component, problem and the fix. */
    public String oneLine() {
        return getMessage() + (fix == null || fix.isBlank() ? "" : " -> " + fix);
    }
}
