package org.mlflowharness.stack;

/**
 * Another nginx in front of a running stack's MLflow, with its own proxy settings and the same credentials: the stack
 * seen through it differs from the original only in the proxy ({@code stack().description().nginxVariant()}).
 * Closing it stops that nginx only; the provider stops it too, with the stack.
 */
public record ProxyFront(RunningStack stack, Runnable stopper) implements AutoCloseable {

    @Override
    public void close() {
        stopper.run();
    }
}
