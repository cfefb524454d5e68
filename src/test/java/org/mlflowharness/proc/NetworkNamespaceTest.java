package org.mlflowharness.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From inside the namespace, the target answers under the given host name, and nothing else of this host answers. */
class NetworkNamespaceTest {

    @TempDir
    Path dir;

    @Test
    void onlyTheTargetIsReachableAndNothingIsLeftBehind() throws Exception {
        assumeTrue(
                NetworkNamespace.unavailable().isEmpty(),
                () -> "cannot make a network namespace here: "
                        + NetworkNamespace.unavailable().orElse(""));
        try (ServerSocket target = banner("target");
                ServerSocket other = banner("other")) {
            String name;
            try (NetworkNamespace ns = NetworkNamespace.create(
                    "harness-target.test",
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getLocalPort()),
                    dir.resolve("netns.log"))) {
                name = ns.name();
                assertThat(connect(ns, "harness-target.test", target.getLocalPort()))
                        .as("the target by its host name")
                        .isEqualTo("target");
                assertThat(connect(ns, "127.0.0.1", other.getLocalPort()))
                        .as("another loopback service")
                        .startsWith("refused");
                assertThat(connect(ns, ns.hostAddress(), other.getLocalPort()))
                        .as("another port at the host end")
                        .startsWith("refused");
                assertThat(connect(ns, "127.0.0.1", target.getLocalPort()))
                        .as("the target's own address")
                        .startsWith("refused");
            }
            assertThat(Files.exists(Path.of("/etc/netns", name)))
                    .as("/etc/netns/%s after close", name)
                    .isFalse();
            assertThat(Command.capture("test", List.of("ip", "netns", "list"), "")
                            .text())
                    .as("ip netns list after close")
                    .doesNotContain(name);
        }
    }

    /** A loopback server that writes {@code text} to each connection. */
    private static ServerSocket banner(String text) throws Exception {
        ServerSocket s = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept();
                        OutputStream out = c.getOutputStream()) {
                    out.write(text.getBytes(StandardCharsets.UTF_8));
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return s;
    }

    /** What a client inside the namespace reads from host:port, or "refused ..." when it cannot connect. */
    private String connect(NetworkNamespace ns, String host, int port) throws Exception {
        String script =
                "import socket,sys\ntry:\n    s=socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=3)\n"
                        + "    print(s.recv(100).decode())\nexcept OSError as e:\n    print('refused', e)\n";
        return Command.capture("test", ns.wrap(List.of("python3", "-c", script, host, String.valueOf(port))), "")
                .text();
    }
}
