package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Readiness;
import org.mlflowharness.stack.Htpasswd;

/**
 * One nginx of the native stack, the stack's own or an added front ({@code addProxy}): the {@link NginxConfig} of a
 * variant (and the stack's fault) with Basic auth in front of MLflow, in its own directory, reloadable with
 * {@code nginx -s reload}.
 */
final class NginxServer {

    static final String HTTP_USER = "mlflow";
    static final String VIRTUAL_HOST = "localhost";

    private final String component;
    private final NginxVariant variant;
    private final Fault fault;
    private final Path workDir;

    /** @param component the process's name ("nginx", or "nginx-&lt;variant&gt;" for an added front) */
    NginxServer(String component, NginxVariant variant, Fault fault, Path workDir) {
        this.component = component;
        this.variant = variant;
        this.fault = fault;
        this.workDir = workDir;
    }

    /** A ready nginx: the tracking URI it serves, its process and the version {@code nginx -v} reports. */
    record Started(URI trackingUri, ManagedProcess process, String version) {}

    /** nginx on {@code port} in front of MLflow on {@code mlflowPort}; user {@link #HTTP_USER}, {@code password}. */
    Started start(int port, int mlflowPort, URI objectStore, String password, NativeProcesses processes) {
        Path compose = NativeStack.composeDir();
        NginxConfig nginx =
                new NginxConfig(compose, workDir, variant, fault, port, mlflowPort, VIRTUAL_HOST, objectStore);
        Path conf = nginx.workDir().resolve("nginx.conf");
        try {
            Files.writeString(conf, nginx.render());
            Files.writeString(nginx.htpasswd(), Htpasswd.line(HTTP_USER, password));
        } catch (IOException e) {
            throw new StackException(
                    component, "cannot write its config: " + e.getMessage(), "check " + compose + " and --work-dir");
        }
        List<String> command = List.of(
                "nginx",
                "-c",
                conf.toString(),
                "-p",
                nginx.workDir().toString(),
                "-e",
                nginx.errorLog().toString());
        List<String> reload = new ArrayList<>(command);
        reload.addAll(List.of("-s", "reload"));
        URI trackingUri = URI.create("http://" + VIRTUAL_HOST + ":" + port);
        ManagedProcess p = processes.launchReady(
                "proxy",
                component,
                command,
                Map.of(),
                Readiness.http(trackingUri.resolve("/health"), 401),
                Duration.ofSeconds(30),
                "see " + nginx.errorLog(),
                reload);
        return new Started(trackingUri, p, version());
    }

    private static String version() {
        try {
            return Command.capture("nginx", List.of("nginx", "-v"), "")
                    .text()
                    .replaceFirst("^nginx version: nginx/", "");
        } catch (StackException e) {
            return "unknown (nginx -v failed: " + e.getMessage() + ")";
        }
    }
}
