package org.mlflowharness.suites.support;

import io.qameta.allure.Allure;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.mlflowharness.client.GuardedHttp;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.guard.StackGuard;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.stack.RunningStack;

/**
 * Gives suites the stack under test as parameters ({@link Endpoints}, {@link StackDescription}, {@link MlflowClient}),
 * and each test its own {@link Scratch} (the same one in the test and its {@code @BeforeEach} methods, closed when the
 * test ends). Labels each test for Allure: epic "MLflow stack conformance", feature = the suite's concern (its tag);
 * every request and response is attached ({@link HttpAttachment}, credentials masked). Once a component of the stack
 * is down ({@link StackGuard}), the remaining suites and tests are not run, with that as the reason.
 */
public final class StackExtension implements ParameterResolver, BeforeEachCallback, ExecutionCondition {

    static {
        GuardedHttp.addGlobalFilter(new HttpAttachment());
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return StackGuard.down()
                .map(d -> ConditionEvaluationResult.disabled("not run: " + d.getMessage()))
                .orElse(ConditionEvaluationResult.enabled("the stack is up"));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // A test factory is no test for Allure: the dynamic tests it returns label themselves (labels).
        if (context.getTestMethod()
                .filter(m -> m.isAnnotationPresent(TestFactory.class))
                .isPresent()) {
            return;
        }
        context.getTags().stream().sorted().findFirst().ifPresent(StackExtension::labels);
    }

    /** Allure labels of a test of the suite tagged {@code tag}: epic "MLflow stack conformance", feature = the tag. */
    public static void labels(String tag) {
        Allure.epic("MLflow stack conformance");
        Allure.feature(tag);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        Class<?> t = p.getParameter().getType();
        return t == RunningStack.class
                || t == Endpoints.class
                || t == StackDescription.class
                || t == MlflowClient.class
                || t == Scratch.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        RunningStack stack = StackSession.get(c);
        Class<?> t = p.getParameter().getType();
        if (t == Endpoints.class) {
            return stack.endpoints();
        }
        if (t == StackDescription.class) {
            return stack.description();
        }
        if (t == MlflowClient.class) {
            return new MlflowClient(stack.endpoints());
        }
        if (t == Scratch.class) {
            // In the test's own store: JUnit closes it (AutoCloseable) when the test ends, passed or failed.
            return c.getStore(ExtensionContext.Namespace.create(Scratch.class))
                    .getOrComputeIfAbsent(
                            Scratch.class, k -> new Scratch(new MlflowClient(stack.endpoints())), Scratch.class);
        }
        return stack;
    }
}
