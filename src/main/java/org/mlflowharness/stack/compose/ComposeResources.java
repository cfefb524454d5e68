package org.mlflowharness.stack.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.mlflowharness.model.ResourceProbe;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.proc.ProcStat;

/**
 * CPU and memory of a compose stack's services, read where the Docker engine runs them: on this machine's kernel each
 * service's container is a process tree, rooted at the PID the engine gives for it ({@code State.Pid}), read from
 * /proc as the native stack's are (CPU time, VmRSS, the scheduler's run and wait times). An engine elsewhere (a remote
 * DOCKER_HOST, a VM) runs its containers outside this /proc: then the probe says so and gives no figures.
 * Components are named by the product that ran (mysql, s3proxy, mlflow, nginx), as in the native stack; MLflow's
 * temporary directory is read inside its container.
 */
final class ComposeResources implements ResourceProbe {

    /** The long-running services, by the role the stack description gives each. */
    private static final Map<String, String> ROLES = Map.of(
            ComposeStack.DB, "database",
            ComposeStack.STORE, "object-store",
            ComposeStack.TRACKING, "tracking",
            ComposeStack.PROXY, "proxy");

    /** A service's container and the host PID of its first process. */
    record Root(String containerId, long pid) {}

    private final Map<String, String> names;
    private final Function<String, Optional<Root>> engine;
    private final Map<String, Root> roots = new ConcurrentHashMap<>();
    private final String unavailable;

    /** The long-running services of {@code project}, as the Docker engine reports their containers. */
    static ComposeResources of(String project, StackDescription description) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String service : ComposeProject.SERVICES) {
            String role = ROLES.get(service);
            if (role != null) {
                names.put(service, description.component(role).name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return new ComposeResources(names, service -> {
            var c = ComposeProject.inspect(project, service);
            Long pid = c.getState().getPidLong();
            return pid == null || pid <= 0 ? Optional.empty() : Optional.of(new Root(c.getId(), pid));
        });
    }

    /**
     * @param names  service -> the component name readings carry
     * @param engine service -> its running container as the engine reports it (empty, or throwing, when none runs)
     */
    ComposeResources(Map<String, String> names, Function<String, Optional<Root>> engine) {
        this.names = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(names)); // in start order
        this.engine = engine;
        this.unavailable = root(ComposeStack.TRACKING).isPresent()
                ? null
                : "the Docker engine's containers are not processes of this machine (a remote or VM engine: its PIDs"
                        + " are not in this /proc); CPU and memory per service are not read";
    }

    @Override
    public String source() {
        return unavailable != null
                ? unavailable
                : "/proc of each compose service's container (the process tree under the PID the Docker engine gives;"
                        + " CPU time, VmRSS summed over its processes)";
    }

    @Override
    public boolean available() {
        return unavailable == null;
    }

    @Override
    public Map<String, Reading> read() {
        ProcStat.Snapshot now = ProcStat.snapshot();
        Map<String, Reading> m = new LinkedHashMap<>();
        names.forEach(
                (service, name) -> root(service).flatMap(r -> now.tree(r.pid())).ifPresent(r -> m.put(name, r)));
        return m;
    }

    /**
     * MLflow's temporary directory inside its container, read through the kernel's view of the container's files
     * ({@code /proc/<pid>/root}): what MLflow buffers on disk while it passes an upload on; none when not read.
     */
    @Override
    public Map<String, Double> gauges() {
        return root(ComposeStack.TRACKING)
                .map(r -> Map.of(MLFLOW_TEMP_DIR_MIB, Dirs.bytesUnder(tempDir(r.pid())) / 1048576.0))
                .orElse(Map.of());
    }

    /** Process {@code pid}'s temporary directory ({@code TMPDIR} in its environment, else /tmp) as this machine sees it. */
    static Path tempDir(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        String tmp = "/tmp";
        try {
            for (String entry : Files.readString(proc.resolve("environ")).split("\0")) {
                if (entry.startsWith("TMPDIR=/")) {
                    tmp = entry.substring("TMPDIR=".length());
                }
            }
        } catch (IOException e) { // gone, or not ours to read: the default
        }
        return proc.resolve("root").resolve(tmp.substring(1));
    }

    /**
     * The service's container's first process on this machine: the one found before while it is still that
     * container's (a restart gives it another PID), else asked of the engine; empty when the container does not run
     * or its PID is not a process of this machine's.
     */
    private Optional<Root> root(String service) {
        Root known = roots.get(service);
        if (known != null && inContainer(known)) {
            return Optional.of(known);
        }
        try {
            Optional<Root> r = engine.apply(service).filter(ComposeResources::inContainer);
            r.ifPresent(found -> roots.put(service, found));
            return r;
        } catch (RuntimeException e) { // the engine did not answer or the container is gone: no reading this time
            return Optional.empty();
        }
    }

    /** True when process {@code r.pid} of this machine is in container {@code r.containerId}'s control group. */
    private static boolean inContainer(Root r) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(r.pid()), "cgroup"))
                    .contains(r.containerId());
        } catch (IOException e) {
            return false;
        }
    }
}
