package org.mlflowharness.stack;

import java.util.List;
import java.util.Optional;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.proc.Readiness;

/**
 * One component of a stack the harness started, as its provider can watch it: alive means its process (or container)
 * runs AND its own health check answers. The {@link Watchdog} polls the first often and the second less often.
 */
public interface LiveComponent {

    /** proxy, tracking, database or object-store: the roles of {@link StackDescription.Component}. */
    String role();

    /** The process or container, e.g. "mariadb", "nginx". */
    String name();

    /** Empty while its process or container runs; else how it ended ("exited with code 137 (killed by signal 9, SIGKILL)"). */
    Optional<String> exited();

    /** Its own health check: the one its start waited for. */
    Readiness health();

    /** True while its provider restarts it on purpose ({@link StackProvider#restart}): then it is not dead. */
    boolean restarting();

    /** Where its log is, for messages. */
    String log();

    /** The last {@code lines} lines of its log. */
    List<String> logTail(int lines);
}
