package org.mlflowharness.suites.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a conformance suite: one class per concern, run by {@code ./harness gate} against whichever stack is up.
 * Suites also carry a {@code @Tag} naming their concern, so that {@code --suites auth,health} selects them, and an
 * {@code @Order}: the gate runs suites side by side ({@code --suite-threads}) and starts the longest first.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(StackExtension.class)
public @interface StackSuite {}
