package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.Endpoints.S3Access;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Readiness;

/** The stand-in for RustFS: S3Proxy (filesystem backend) from Maven Central. Reports flag it as not being RustFS. */
final class S3ProxyServer extends ObjectStoreServer {

    private final Path jar;

    S3ProxyServer(Path jar) {
        this.jar = jar;
    }

    @Override
    Started start(S3Access s3, Path dir, Launcher launcher) {
        Path props = dir.resolve("s3proxy/s3proxy.properties");
        try {
            Files.createDirectories(dir.resolve("s3proxy/data"));
            Files.writeString(
                    props,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=" + s3.endpoint(),
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + s3.accessKey(),
                            "s3proxy.credential=" + s3.secretKey(),
                            "jclouds.provider=filesystem",
                            "jclouds.filesystem.basedir=" + dir.resolve("s3proxy/data"),
                            ""));
        } catch (IOException e) {
            throw new StackException(
                    "s3proxy", "cannot write its properties: " + e.getMessage(), "pass a writable --work-dir");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ManagedProcess p = launcher.launch(
                "s3proxy",
                List.of(java, "-Xmx512m", "-jar", jar.toString(), "--properties", props.toString()),
                Map.of(),
                Readiness.http(URI.create(s3.endpoint() + "/"), 200, 403),
                Duration.ofSeconds(60));
        return new Started(
                p, "S3Proxy", Toolchain.S3PROXY_VERSION, "the S3Proxy jar the harness ran", "RustFS", List.of());
    }
}
