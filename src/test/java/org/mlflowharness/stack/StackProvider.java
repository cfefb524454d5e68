package org.mlflowharness.stack;

/**
 * How a stack under test is brought up and torn down. The compose, native and external providers implement it;
 * suites and scenarios only ever see the {@link RunningStack} it returns.
 *
 * <p>Contract (after testcontainers' {@code Startable}): {@link #start()} is idempotent and either returns a
 * healthy stack or throws a {@link StackException} naming the component that failed, having stopped everything it
 * started; {@link #stop()} is idempotent and never stops what the provider did not start.
 */
public interface StackProvider extends AutoCloseable {

    /** Brings the stack up (or attaches to it) and waits until every component is ready. */
    RunningStack start();

    /** Stops whatever {@link #start()} started. Safe to call at any time, any number of times. */
    void stop();

    /**
     * Puts another nginx with {@code variant}'s settings in front of the running stack's MLflow, so that proxy variants
     * are compared on one stack where nothing else differs (load: large uploads per variant).
     *
     * @throws UnsupportedOperationException with the reason, when this provider cannot add one
     */
    default ProxyFront addProxy(NginxVariant variant) {
        throw new UnsupportedOperationException("this provider cannot put a second nginx in front of the stack; "
                + "run once per --nginx-variant instead");
    }

    /**
     * CPU and memory of the stack's components, for the load report (what saturated first). By default there are none,
     * with the reason; a provider that runs the components itself overrides it.
     */
    default ResourceProbe resources() {
        return ResourceProbe.unavailable("this provider does not read its components' CPU and memory (the native provider does, from /proc)");
    }

    @Override
    default void close() {
        stop();
    }
}
