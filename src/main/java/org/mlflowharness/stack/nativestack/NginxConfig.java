package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.stack.ProxiedTransfers;

/**
 * The native stack's nginx.conf: {@code compose/nginx/native/nginx.conf.template} with the variant's proxy settings
 * (the same {@code compose/nginx/conf.d/proxy-<variant>.conf} the compose stack mounts), the shared proxy headers
 * ({@code compose/nginx/proxy-headers.conf}, at http level and in every location it adds), ports, the server-info
 * location that keeps artifact transfers on the proxied path, and fault locations. {@code objectStore} is the store's
 * S3 endpoint (only the nginx-open-store fault uses it).
 */
record NginxConfig(
        Path composeDir,
        Path workDir,
        NginxVariant variant,
        Fault fault,
        int port,
        int mlflowPort,
        String virtualHost,
        URI objectStore) {

    Path htpasswd() {
        return workDir.resolve("htpasswd");
    }

    Path errorLog() {
        return workDir.resolve("logs/error.log");
    }

    /** Creates the directories nginx writes to and returns the rendered configuration. */
    String render() throws IOException {
        for (String t : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            Files.createDirectories(workDir.resolve("tmp").resolve(t));
        }
        Files.createDirectories(workDir.resolve("logs"));
        String auth = "auth_basic \"Restricted " + virtualHost + "\"; auth_basic_user_file " + htpasswd() + ";";
        String headers = composeDir.resolve(ProxiedTransfers.PROXY_HEADERS).toString();
        return Files.readString(composeDir.resolve("nginx/native/nginx.conf.template"), StandardCharsets.UTF_8)
                .replace("${WORK}", workDir.toString())
                .replace(
                        "${PROXY_CONF}", composeDir.resolve(variant.proxyConf()).toString())
                .replace("${PROXY_HEADERS}", headers)
                .replace("${MLFLOW_PORT}", String.valueOf(mlflowPort))
                .replace("${PORT}", String.valueOf(port))
                .replace(
                        "${HARNESS_LOCATIONS}",
                        (fault == Fault.MLFLOW_PRESIGNED_URLS
                                        ? ""
                                        : ProxiedTransfers.location(composeDir, auth, headers))
                                + fault.nginxLocations(auth, headers, objectStore))
                .replace("${VIRTUAL_HOST}", virtualHost);
    }
}
