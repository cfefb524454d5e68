package org.mlflowharness.stack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine check that --stack auto relies on: an answer, or a one-line reason within the time limit. */
class DockerEngineTest {

    @Test
    void aMissingSocketIsAReasonNamingIt() {
        DockerEngine.Status s = DockerEngine.ping("unix:///nonexistent/docker.sock", Duration.ofSeconds(2));
        assertThat(s.answers()).isFalse();
        assertThat(s.describe())
                .isEqualTo(
                        "no Docker engine answers at unix:///nonexistent/docker.sock: "
                                + "/nonexistent/docker.sock does not exist (no engine started; ./harness docker-setup starts one)");
    }

    @Test
    void anEngineThatNeverAnswersIsGivenUpOnInTime(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("hung.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            long t0 = System.nanoTime();
            DockerEngine.Status s = DockerEngine.ping("unix://" + socket, Duration.ofSeconds(1));
            assertThat((System.nanoTime() - t0) / 1e9)
                    .as("seconds until it gave up")
                    .isLessThan(3);
            assertThat(s.answers()).isFalse();
            assertThat(s.reason()).isEqualTo("no answer within 1 s");
        }
    }

    @Test
    void anEngineThatAnswersGivesItsVersion(@TempDir Path dir) throws Exception {
        String body = "{\"Version\":\"20.10.24+dfsg1\",\"ApiVersion\":\"1.41\"}";
        DockerEngine.Status s = answering(dir, "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body);
        assertThat(s.answers()).isTrue();
        assertThat(s.describe()).startsWith("Docker 20.10.24+dfsg1 (API 1.41) answers at unix://");
    }

    @Test
    void somethingElseOnTheSocketIsNotTakenForAnEngine(@TempDir Path dir) throws Exception {
        DockerEngine.Status s = answering(dir, "HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"page not found\"}");
        assertThat(s.answers()).isFalse();
        assertThat(s.reason()).startsWith("not a Docker engine's answer: HTTP 404");
    }

    /** Pings a fake engine on a unix socket that answers one request with {@code response}. */
    private static DockerEngine.Status answering(Path dir, String response) throws IOException, InterruptedException {
        Path socket = dir.resolve("fake.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread t = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    c.read(ByteBuffer.allocate(4096));
                    c.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException ignored) {
                    // the test's assertion reports it
                }
            });
            t.start();
            DockerEngine.Status s = DockerEngine.ping("unix://" + socket, Duration.ofSeconds(5));
            t.join(5000);
            return s;
        }
    }
}
