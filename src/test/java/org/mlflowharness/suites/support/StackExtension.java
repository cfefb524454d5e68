package org.mlflowharness.suites.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.stack.Endpoints;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackDescription;

/** Gives suites the stack under test as parameters: {@link Endpoints}, {@link StackDescription}, {@link MlflowClient}. */
public final class StackExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        Class<?> t = p.getParameter().getType();
        return t == RunningStack.class || t == Endpoints.class || t == StackDescription.class || t == MlflowClient.class;
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
        return stack;
    }
}
