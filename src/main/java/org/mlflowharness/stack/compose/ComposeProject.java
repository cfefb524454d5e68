package org.mlflowharness.stack.compose;

import static org.mlflowharness.stack.compose.ComposeStack.BUCKET_JOB;
import static org.mlflowharness.stack.compose.ComposeStack.DB;
import static org.mlflowharness.stack.compose.ComposeStack.INTERNAL_NET;
import static org.mlflowharness.stack.compose.ComposeStack.PERMISSION_JOB;
import static org.mlflowharness.stack.compose.ComposeStack.PROXY;
import static org.mlflowharness.stack.compose.ComposeStack.STORE;
import static org.mlflowharness.stack.compose.ComposeStack.TRACKING;
import static org.mlflowharness.stack.compose.ComposeStack.USER;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.Endpoints.InternalService;
import org.mlflowharness.model.Endpoints.S3Access;
import org.mlflowharness.model.StackException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.LogUtils;

/**
 * Queries about a Compose project as Docker sees it (its containers, networks and volumes by label): which projects
 * exist, a service's container and address, where the stack answers, its log tail, and why a project did not come up.
 */
final class ComposeProject {

    static final String PROJECT_LABEL = "com.docker.compose.project";
    /** Start order; a failure is blamed on the first service here that is broken. */
    static final List<String> SERVICES = List.of(PERMISSION_JOB, DB, STORE, BUCKET_JOB, TRACKING, PROXY);
    /** The services that run once and exit. */
    static final List<String> ONE_SHOT = List.of(PERMISSION_JOB, BUCKET_JOB);

    private static final String SERVICE_LABEL = "com.docker.compose.service";
    private static final int LOG_TAIL_LINES = 40;

    private ComposeProject() {}

    static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    /** The project's containers, stopped ones included; none when Docker does not answer. */
    static List<Container> containers(String project) {
        try {
            return docker().listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(PROJECT_LABEL, project))
                    .exec();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The Compose projects whose name starts with {@code prefix}, as their containers, networks and volumes say. */
    static Set<String> named(String prefix) {
        Set<String> projects = new TreeSet<>();
        DockerClient d = docker();
        d.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(List.of(PROJECT_LABEL))
                .exec()
                .forEach(c -> projects.add(c.getLabels().get(PROJECT_LABEL)));
        d.listNetworksCmd()
                .exec()
                .forEach(n ->
                        projects.add(n.getLabels() == null ? "" : n.getLabels().getOrDefault(PROJECT_LABEL, "")));
        Optional.ofNullable(d.listVolumesCmd().exec().getVolumes())
                .orElse(List.of())
                .forEach(v ->
                        projects.add(v.getLabels() == null ? "" : v.getLabels().getOrDefault(PROJECT_LABEL, "")));
        projects.removeIf(p -> p == null || !p.startsWith(prefix));
        return projects;
    }

    /** The project Testcontainers made of {@code identifier} (it appends a random suffix). */
    static String of(String identifier) {
        return docker().listContainersCmd().withShowAll(true).withLabelFilter(List.of(PROJECT_LABEL)).exec().stream()
                .map(c -> c.getLabels().get(PROJECT_LABEL))
                .filter(p -> p.startsWith(identifier))
                .findFirst()
                .orElseThrow(() -> new StackException(
                        "compose", "no container of project " + identifier + "* after up", "see docker ps -a"));
    }

    /** The container of {@code service} in {@code project}, inspected. */
    static InspectContainerResponse inspect(String project, String service) {
        Container c = containers(project).stream()
                .filter(x -> service.equals(x.getLabels().get(SERVICE_LABEL)))
                .findFirst()
                .orElseThrow(
                        () -> new StackException(service, "no container of project " + project, "see docker ps -a"));
        return docker().inspectContainerCmd(c.getId()).exec();
    }

    /** The service's address on the network whose name ends with {@code network} (the host routes to Docker bridges). */
    static String address(String project, String service, String network) {
        return inspect(project, service).getNetworkSettings().getNetworks().entrySet().stream()
                .filter(e -> e.getKey().endsWith(network))
                .map(Map.Entry::getValue)
                .map(ContainerNetwork::getIpAddress)
                .filter(ip -> ip != null && !ip.isBlank())
                .findFirst()
                .orElseThrow(() -> new StackException(service, "has no address on " + network, "see docker inspect"));
    }

    // --- failure diagnosis: which service, why, and its log tail ---

    /** One compose container as Docker sees it. */
    private record ServiceState(String service, String containerId, String summary, boolean broken, boolean notReady) {}

    /** Where the stack answers: nginx's published port, the stores at their addresses on the internal network. */
    static Endpoints endpoints(String project, Map<String, String> env, String password) {
        Ports.Binding[] bindings = inspect(project, PROXY)
                .getNetworkSettings()
                .getPorts()
                .getBindings()
                .get(ExposedPort.tcp(80));
        if (bindings == null || bindings.length == 0) {
            throw new StackException(PROXY, "port 80 is not published", "see docker-compose port " + PROXY + " 80");
        }
        // "localhost", not 127.0.0.1: nginx-proxy routes on the Host header, which must be VIRTUAL_HOST.
        URI tracking = URI.create("http://" + env.get("VIRTUAL_HOST") + ":" + bindings[0].getHostPortSpec());
        String db = address(project, DB, INTERNAL_NET);
        String s3 = address(project, STORE, INTERNAL_NET);
        String mlflow = address(project, TRACKING, "mlflow-net");
        return new Endpoints(
                tracking,
                USER,
                password,
                new S3Access(
                        URI.create("http://" + s3 + ":9000"),
                        env.get("S3_ACCESS_KEY"),
                        env.get("S3_SECRET_KEY"),
                        env.get("S3_BUCKET"),
                        "artifacts",
                        "us-east-1"),
                new DatabaseAccess(
                        "jdbc:mysql://" + db + ":3306/mlflow?useSSL=false&allowPublicKeyRetrieval=true",
                        "mlflow",
                        env.get("MLFLOW_DB_PASSWORD")),
                List.of(
                        new InternalService("database", db, 3306),
                        new InternalService("object-store", s3, 9000),
                        new InternalService("mlflow", mlflow, 80)));
    }

    /**
     * Why the project {@code identifier}* did not come up: the first broken service in start order (else the first not
     * ready, else one the error names) with its state and log tail, or the root of {@code cause} when none stands out.
     */
    static StackException diagnose(String identifier, Path runDir, RuntimeException cause) {
        List<ServiceState> states;
        try {
            states = serviceStates(identifier);
        } catch (RuntimeException listingFailed) {
            states = List.of();
        }
        Optional<ServiceState> culprit =
                states.stream().filter(ServiceState::broken).findFirst();
        if (culprit.isEmpty()) {
            culprit = states.stream().filter(ServiceState::notReady).findFirst();
        }
        if (culprit.isEmpty()) {
            String message = String.valueOf(cause.getMessage());
            culprit = states.stream().filter(s -> message.contains(s.service())).findFirst();
        }
        String fix = "see the log tail; the run's compose files and .env are in " + runDir;
        if (culprit.isEmpty()) {
            return new StackException("compose", "did not come up: " + rootMessage(cause), fix, List.of(), cause);
        }
        ServiceState s = culprit.get();
        return new StackException(s.service(), s.summary(), fix, logTail(s.containerId()), cause);
    }

    /** The project's containers in start order. */
    private static List<ServiceState> serviceStates(String identifier) {
        List<Container> all =
                docker().listContainersCmd().withShowAll(true).withLabelFilter(List.of(PROJECT_LABEL)).exec().stream()
                        .filter(c ->
                                c.getLabels().getOrDefault(PROJECT_LABEL, "").startsWith(identifier))
                        .toList();
        List<ServiceState> states = new ArrayList<>();
        for (String service : SERVICES) {
            for (Container c : all) {
                if (!service.equals(c.getLabels().get(SERVICE_LABEL))) {
                    continue;
                }
                InspectContainerResponse.ContainerState st =
                        docker().inspectContainerCmd(c.getId()).exec().getState();
                String health = st.getHealth() == null ? null : st.getHealth().getStatus();
                long exit = st.getExitCodeLong() == null ? 0 : st.getExitCodeLong();
                boolean runningNow = Boolean.TRUE.equals(st.getRunning());
                boolean broken = Boolean.TRUE.equals(st.getRestarting())
                        || "unhealthy".equals(health)
                        || (!runningNow && exit != 0);
                boolean notReady = "starting".equals(health) || (!runningNow && !ONE_SHOT.contains(service));
                String summary = "container " + st.getStatus() + (health == null ? "" : ", health " + health)
                        + (runningNow ? "" : ", exit code " + exit);
                if ("unhealthy".equals(health)
                        && st.getHealth().getLog() != null
                        && !st.getHealth().getLog().isEmpty()) {
                    var probe =
                            st.getHealth().getLog().get(st.getHealth().getLog().size() - 1);
                    summary += " (last healthcheck: exit " + probe.getExitCodeLong() + ", "
                            + String.valueOf(probe.getOutput()).strip() + ")";
                }
                states.add(new ServiceState(service, c.getId(), summary, broken, notReady));
            }
        }
        return states;
    }

    /** The last lines of a container's log, or a line saying why there is none. */
    static List<String> logTail(String containerId) {
        List<String> lines = log(containerId);
        return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
    }

    /** The container's whole log (of every start, when it restarted). */
    static List<String> log(String containerId) {
        try {
            return LogUtils.getOutput(docker(), containerId).lines().toList();
        } catch (RuntimeException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (cause: " + root.getMessage() + ")";
    }
}
