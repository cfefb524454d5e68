package org.mlflowharness.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlflowharness.model.StackException;

/**
 * A Linux network namespace from which exactly one TCP address of this host can be reached: how a client sees a stack
 * whose stores are internal. It has a veth pair to the host on a link-local /30 and no other route; on the host end a
 * {@link TcpForwarder} passes connections to the one target (nginx) and to nothing else. Inside, {@code hostName}
 * (the tracking URI's host) resolves to the host end through {@code /etc/netns/<name>/hosts}, which
 * {@code ip netns exec} mounts over {@code /etc/hosts}, so the client uses the very URL the harness uses.
 *
 * <p>Needs root and iproute2. Named after the harness process ({@code harness-client-<pid>-<hex>}, veth
 * {@code hc<hex>h}/{@code hc<hex>c}) so that leftovers are recognisable; those of harness processes that no longer run
 * are removed when a new one is made. Removed on {@link #close()}, and by a shutdown hook on interrupt.
 */
public final class NetworkNamespace implements AutoCloseable {

    static final String PREFIX = "harness-client-";
    private static final Pattern OURS = Pattern.compile("^" + PREFIX + "(\\d+)-([0-9a-f]{6})\\b");
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final String hostAddress;
    private final String clientAddress;
    private final InetSocketAddress target;
    private final Path log;
    private final TcpForwarder forwarder;
    private final Thread hook;
    private boolean closed;

    private NetworkNamespace(
            String name,
            String hostAddress,
            String clientAddress,
            InetSocketAddress target,
            Path log,
            TcpForwarder forwarder) {
        this.name = name;
        this.hostAddress = hostAddress;
        this.clientAddress = clientAddress;
        this.target = target;
        this.log = log;
        this.forwarder = forwarder;
        this.hook = new Thread(this::remove, "remove-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Why a namespace cannot be made here (not root, no iproute2), if it cannot. */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(Path.of("/usr/sbin/ip"))
                && !Files.isExecutable(Path.of("/sbin/ip"))
                && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
            return Optional.of("iproute2's ip is not installed (apt-get install iproute2)");
        }
        if (new com.sun.security.auth.module.UnixSystem().getUid() != 0) {
            return Optional.of("making a network namespace needs root (ip netns add)");
        }
        return Optional.empty();
    }

    /**
     * Makes the namespace: only {@code target} (forwarded from the host end at the same port) is reachable from it,
     * under {@code hostName}. Commands and their output go to {@code log}.
     */
    public static NetworkNamespace create(String hostName, InetSocketAddress target, Path log) {
        removeLeftovers(log);
        String hex = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        String name = PREFIX + ProcessHandle.current().pid() + "-" + hex;
        String hostVeth = "hc" + hex + "h";
        String clientVeth = "hc" + hex + "c";
        String[] subnet = freeSubnet(log);
        String host = subnet[0];
        String client = subnet[1];
        Path etc = Path.of("/etc/netns", name);
        try {
            ip(log, "netns", "add", name);
            ip(log, "link", "add", hostVeth, "type", "veth", "peer", "name", clientVeth);
            ip(log, "link", "set", clientVeth, "netns", name);
            ip(log, "addr", "add", host + "/30", "dev", hostVeth);
            ip(log, "link", "set", hostVeth, "up");
            ip(log, "netns", "exec", name, "ip", "addr", "add", client + "/30", "dev", clientVeth);
            ip(log, "netns", "exec", name, "ip", "link", "set", clientVeth, "up");
            ip(log, "netns", "exec", name, "ip", "link", "set", "lo", "up");
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("hosts"), host + " " + hostName + "\n", StandardCharsets.UTF_8);
            TcpForwarder forwarder = TcpForwarder.start(new InetSocketAddress(host, target.getPort()), target);
            return new NetworkNamespace(name, host, client, target, log, forwarder);
        } catch (RuntimeException | IOException e) {
            delete(name, log);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot write " + etc, io);
            }
            throw (RuntimeException) e;
        }
    }

    /** {@code command} run inside the namespace ({@code ip netns exec <name> ...}). */
    public List<String> wrap(List<String> command) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
        out.addAll(command);
        return out;
    }

    public String name() {
        return name;
    }

    /** The host end of the veth pair: the only address the namespace reaches. */
    public String hostAddress() {
        return hostAddress;
    }

    public String describe() {
        return "network namespace " + name + " (" + clientAddress + "/30, no other route), whose only way out is "
                + hostAddress + ":" + target.getPort() + " forwarded to " + target.getHostString() + ":"
                + target.getPort();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook removes it
        }
        remove();
    }

    private void remove() {
        forwarder.close();
        delete(name, log);
    }

    /** Deletes a namespace (its veth pair goes with it) and its /etc/netns directory. */
    private static void delete(String name, Path log) {
        try {
            ip(log, "netns", "del", name);
        } catch (StackException e) {
            // already gone, or never made: nothing to delete
        }
        Dirs.deleteRecursively(Path.of("/etc/netns", name));
    }

    /** Namespaces of harness processes that are no longer running (a killed run leaves them). */
    private static void removeLeftovers(Path log) {
        for (String line : output(List.of("ip", "netns", "list"))) {
            Matcher m = OURS.matcher(line.trim());
            if (m.find()
                    && ProcessHandle.of(Long.parseLong(m.group(1)))
                            .filter(ProcessHandle::isAlive)
                            .isEmpty()) {
                delete(line.trim().split("\\s+")[0], log);
            }
        }
    }

    /** A link-local /30 no interface of this host uses: {host end, namespace end}. */
    private static String[] freeSubnet(Path log) {
        String used = String.join("\n", output(List.of("ip", "-4", "-o", "addr")));
        for (int attempt = 0; attempt < 50; attempt++) {
            int third = ThreadLocalRandom.current().nextInt(100, 200);
            int base = ThreadLocalRandom.current().nextInt(0, 64) * 4;
            String prefix = "169.254." + third + ".";
            if (!used.contains(prefix + (base + 1) + "/") && !used.contains(prefix + (base + 2) + "/")) {
                return new String[] {prefix + (base + 1), prefix + (base + 2)};
            }
        }
        throw new StackException(
                "client-netns",
                "no free link-local /30 found in 169.254.100-199.x",
                "remove leftover interfaces (ip -4 addr)");
    }

    private static void ip(Path log, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Command.run("client-netns", cmd, log, IP_TIMEOUT, "run as root with iproute2 installed; see " + log);
    }

    /** What {@code command} printed, whatever its exit code; nothing when it cannot be run. */
    private static List<String> output(List<String> command) {
        try {
            return Command.capture("client-netns", command, "").text().lines().toList();
        } catch (StackException e) {
            return List.of();
        }
    }
}
