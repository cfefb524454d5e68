package org.mlflowharness.stack;

import java.time.Duration;
import java.util.List;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.ResourceProbe;
import org.mlflowharness.model.StackException;

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
     * Stops at once, after a component of the stack went down: the run is over and nothing the stack still holds is
     * evidence, so components get a short grace to exit, not a clean shutdown. By default the same as {@link #stop()}.
     */
    default void stopNow() {
        stop();
    }

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
     * The components this provider started, each able to say whether it is alive (process or container running, own
     * health check answering); the {@link Watchdog} polls them while suites and scenarios run.
     *
     * @throws UnsupportedOperationException with the reason, when this provider cannot watch its components
     */
    default List<LiveComponent> liveComponents() {
        throw new UnsupportedOperationException("this provider cannot watch its components");
    }

    /**
     * Restarts the component with {@code role} (proxy, tracking, database, object-store): stops it, waits {@code outage},
     * starts it again with the same data, ports and settings and returns once it is ready. While it restarts, its
     * {@link LiveComponent#restarting()} is true.
     *
     * @throws UnsupportedOperationException with the reason, when this provider cannot restart components
     * @throws StackException when the component does not come back
     */
    default void restart(String role, Duration outage) {
        throw new UnsupportedOperationException("this provider cannot restart components");
    }

    /**
     * Restarts the tracking server with {@code workers} web workers ({@code mlflow server --workers}; null: as the
     * stack first started it) on the same port, database and store, and returns once it answers: a capacity run's
     * worker sweep.
     *
     * @throws UnsupportedOperationException with the reason, when this provider cannot
     * @throws StackException when the tracking server does not come back
     */
    default void restartTracking(Integer workers) {
        throw new UnsupportedOperationException("this provider cannot restart MLflow with another worker count; "
                + "the native stack can (--stack native)");
    }

    /**
     * Makes the component with {@code role} re-read its configuration without stopping (nginx: {@code nginx -s reload})
     * and returns once it answers again.
     *
     * @throws UnsupportedOperationException with the reason, when this provider or component cannot reload
     */
    default void reload(String role) {
        throw new UnsupportedOperationException("this provider cannot reload components");
    }

    /**
     * CPU and memory of the stack's components, for the load report (what saturated first). By default there are none,
     * with the reason; a provider that runs the components itself overrides it.
     */
    default ResourceProbe resources() {
        return ResourceProbe.unavailable(
                "this provider does not read its components' CPU and memory (the native and compose providers do, from /proc)");
    }

    @Override
    default void close() {
        stop();
    }
}
