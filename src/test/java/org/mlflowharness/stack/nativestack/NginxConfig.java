package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mlflowharness.stack.Fault;
import org.mlflowharness.stack.NginxVariant;

/**
 * The native stack's nginx.conf: {@code compose/nginx/native/nginx.conf.template} with the variant's proxy settings
 * (the same {@code compose/nginx/conf.d/proxy-<variant>.conf} the compose stack mounts), ports, the server-info
 * location that keeps artifact transfers on the proxied path, and fault locations. {@code objectStore} is the store's
 * S3 endpoint (only the nginx-open-store fault uses it).
 */
record NginxConfig(Path composeDir, Path workDir, NginxVariant variant, Fault fault, int port, int mlflowPort, String virtualHost,
                   URI objectStore) {

    /**
     * MLflow (3.17.2) advertises presigned multipart uploads and downloads in {@code server-info} whenever it proxies an
     * S3 store, and has no server setting to stop it; its Python client then transfers straight to the store's own
     * address (MLFLOW_S3_ENDPOINT_URL), which clients of an internal store cannot reach. nginx answers server-info with
     * both capabilities false, so clients keep every transfer on the proxied path; everything else in it is MLflow's.
     * The mlflow-presigned-urls fault leaves it out.
     */
    static String proxiedTransfersOnly(String authLines) {
        return """
                location ~ ^/(ajax-)?api/3\\.0/mlflow/server-info$ {
                    %s
                    proxy_pass http://mlflow;
                    sub_filter_types application/json;
                    sub_filter_once off;
                    sub_filter '"multipart_uploads_enabled":true' '"multipart_uploads_enabled":false';
                    sub_filter '"multipart_downloads_enabled":true' '"multipart_downloads_enabled":false';
                }
                """.formatted(authLines);
    }

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
        return Files.readString(composeDir.resolve("nginx/native/nginx.conf.template"), StandardCharsets.UTF_8)
                .replace("${WORK}", workDir.toString())
                .replace("${PROXY_CONF}", composeDir.resolve(variant.proxyConf()).toString())
                .replace("${MLFLOW_PORT}", String.valueOf(mlflowPort))
                .replace("${PORT}", String.valueOf(port))
                .replace("${HARNESS_LOCATIONS}", (fault == Fault.MLFLOW_PRESIGNED_URLS ? "" : proxiedTransfersOnly(auth))
                        + fault.nginxLocations(auth, objectStore))
                .replace("${VIRTUAL_HOST}", virtualHost);
    }
}
