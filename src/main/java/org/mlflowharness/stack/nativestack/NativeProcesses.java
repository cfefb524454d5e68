package org.mlflowharness.stack.nativestack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Poll;
import org.mlflowharness.proc.Readiness;
import org.mlflowharness.stack.LiveComponent;

/**
 * The processes a native stack started, in start order, each with how to start it again and how to tell it is ready:
 * the servers launch through it, the stack stops, restarts and reloads them through it. Once stopped, it starts
 * nothing more until {@link #open()}.
 */
final class NativeProcesses {

    private final Path dir;
    private final Consumer<String> out;
    private final Runnable changed;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private boolean stopped;

    /**
     * @param dir the stack's work directory: each process runs there, its log is {@code logs/<component>.log}
     * @param changed told when a restart has replaced a process (to record the new one in the state file)
     */
    NativeProcesses(Path dir, Consumer<String> out, Runnable changed) {
        this.dir = dir;
        this.out = out;
        this.changed = changed;
    }

    /** Lets processes start again after a {@link #stopAll}. */
    void open() {
        synchronized (processes) {
            stopped = false;
        }
    }

    /**
     * Starts a component and waits until {@code ready} holds; the component is then watched with that same check and
     * can be restarted with the same command line ({@link #liveComponents}, {@link #restart}).
     *
     * @param reload the command that makes it re-read its configuration, or null when it has none
     */
    ManagedProcess launchReady(
            String role,
            String component,
            List<String> command,
            Map<String, String> env,
            Readiness ready,
            Duration timeout,
            String fix,
            List<String> reload) {
        ManagedProcess p;
        synchronized (processes) {
            if (stopped) {
                throw new StackException(component, "not started: the stack is being stopped", "");
            }
            p = ManagedProcess.start(
                    component, command, env, dir, dir.resolve("logs").resolve(component + ".log"));
            processes.add(p);
        }
        p.awaitReady(ready, timeout, fix);
        members.add(new Member(role, component, command, env, ready, timeout, fix, reload, p));
        return p;
    }

    /**
     * Stops every process in reverse start order, each with {@code grace} (or its own shorter one) from SIGTERM to
     * SIGKILL, and prints how long
     * each took (a component slow to stop shows, as one slow to start does).
     */
    void stopAll(Duration grace) {
        List<ManagedProcess> toStop;
        synchronized (processes) {
            stopped = true;
            toStop = new ArrayList<>(processes);
            processes.clear();
            members.clear();
        }
        List<String> took = new ArrayList<>();
        for (int i = toStop.size() - 1; i >= 0; i--) {
            long t0 = System.nanoTime();
            ManagedProcess p = toStop.get(i);
            p.stop(grace.compareTo(p.stopGrace()) < 0 ? grace : p.stopGrace());
            took.add(String.format("%s %.1f s", p.component(), (System.nanoTime() - t0) / 1e9));
        }
        if (!took.isEmpty()) {
            out.accept("  stopped: " + String.join(", ", took));
        }
    }

    /** Takes {@code p} out of the stack, unwatched first (its stop is not a death), and stops it. */
    void remove(ManagedProcess p) {
        synchronized (processes) {
            members.removeIf(m -> m.process == p);
            processes.remove(p);
        }
        p.stop();
    }

    /** The first process of {@code component}, if it runs. */
    Optional<ManagedProcess> find(String component) {
        synchronized (processes) {
            return processes.stream()
                    .filter(p -> p.component().equals(component))
                    .findFirst();
        }
    }

    /** The running processes in start order. */
    List<ManagedProcess> snapshot() {
        synchronized (processes) {
            return new ArrayList<>(processes);
        }
    }

    List<LiveComponent> liveComponents() {
        return List.copyOf(members);
    }

    /**
     * Stops the component's process, waits {@code outage}, starts it again with the same command line and waits for
     * the same readiness check as at the first start; {@code whenReady} runs before the component counts as restarted.
     */
    void restart(String role, Duration outage, Runnable whenReady) {
        Member m = member(role);
        m.restarting = true;
        try {
            out.accept(String.format(
                    "  restarting %s (%s): stop, %.1f s outage, start again ...",
                    role, m.name, outage.toMillis() / 1000.0));
            m.process.stop();
            Poll.sleep(outage.toMillis());
            ManagedProcess fresh;
            synchronized (processes) {
                if (stopped) {
                    throw new StackException(m.name, "not restarted: the stack is being stopped", "");
                }
                fresh = ManagedProcess.start(m.name, m.command, m.env, dir, m.process.log())
                        .withStopGrace(m.process.stopGrace());
                int at = processes.indexOf(m.process);
                processes.set(at, fresh);
                m.process = fresh;
            }
            changed.run();
            fresh.awaitReady(m.ready, m.timeout, m.fix);
            whenReady.run();
        } finally {
            m.restarting = false;
        }
    }

    /** Runs the component's reload command and waits for its readiness check. */
    void reload(String role) {
        Member m = member(role);
        if (m.reload == null) {
            throw new UnsupportedOperationException(role + " (" + m.name + ") has no reload; restart it instead");
        }
        out.accept("  reloading " + role + " (" + m.name + ") ...");
        Command.run(m.name, m.reload, m.process.log(), Duration.ofSeconds(30), "see " + m.process.log());
        m.process.awaitReady(m.ready, m.timeout, m.fix);
    }

    /** The first component started with {@code role}: for proxy, the stack's own nginx, not an added one. */
    private Member member(String role) {
        return members.stream()
                .filter(m -> m.role.equals(role))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no component with role " + role
                        + "; the native stack has "
                        + String.join(
                                ", ",
                                members.stream().map(m -> m.role).distinct().toList())));
    }

    /** A component the stack started: how to start it again and how to tell it is ready, and its current process. */
    private static final class Member implements LiveComponent {
        final String role;
        final String name;
        final List<String> command;
        final Map<String, String> env;
        final Readiness ready;
        final Duration timeout;
        final String fix;
        final List<String> reload;
        volatile ManagedProcess process;
        volatile boolean restarting;

        Member(
                String role,
                String name,
                List<String> command,
                Map<String, String> env,
                Readiness ready,
                Duration timeout,
                String fix,
                List<String> reload,
                ManagedProcess process) {
            this.role = role;
            this.name = name;
            this.command = command;
            this.env = env;
            this.ready = ready;
            this.timeout = timeout;
            this.fix = fix;
            this.reload = reload;
            this.process = process;
        }

        public String role() {
            return role;
        }

        public String name() {
            return name;
        }

        public Optional<String> exited() {
            return process.exited();
        }

        public Readiness health() {
            return ready;
        }

        public boolean restarting() {
            return restarting;
        }

        public String log() {
            return process.log().toString();
        }

        public List<String> logTail(int lines) {
            return ManagedProcess.tail(process.log(), lines);
        }
    }
}
