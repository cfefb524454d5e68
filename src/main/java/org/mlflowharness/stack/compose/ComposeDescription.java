package org.mlflowharness.stack.compose;

import static org.mlflowharness.stack.compose.ComposeStack.BUCKET_JOB;
import static org.mlflowharness.stack.compose.ComposeStack.DB;
import static org.mlflowharness.stack.compose.ComposeStack.PERMISSION_JOB;
import static org.mlflowharness.stack.compose.ComposeStack.PROXY;
import static org.mlflowharness.stack.compose.ComposeStack.STORE;
import static org.mlflowharness.stack.compose.ComposeStack.TRACKING;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflowharness.http.BasicAuth;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.DatabaseAccess;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.model.StackDescription.Component;
import org.mlflowharness.model.StackException;

/**
 * What a compose run ran, for the report: each service's own version (asked of the running component), the image
 * that ran (name, tag, id) and, for a stand-in of the offline set, what it stands in for.
 */
final class ComposeDescription {

    private ComposeDescription() {}

    /**
     * For each service: the component's own version, the image that ran (name, tag, id) and what a stand-in replaces.
     *
     * @param env the run's .env values (the versions the article's images would have had)
     * @param logsCommand how to show a service's log (the run's compose command with {@code logs})
     */
    static StackDescription describe(
            String project,
            Endpoints e,
            Map<String, String> env,
            List<String> logsCommand,
            NginxVariant variant,
            Fault fault) {
        String logs = String.join(" ", logsCommand) + " ";
        List<Component> components = new ArrayList<>();
        Image proxy =
                image(project, PROXY, "nginx-proxy (nginxproxy/nginx-proxy:" + env.get("NGINX_PROXY_VERSION") + ")");
        components.add(new Component(
                "proxy",
                "nginx",
                nginxVersion(project),
                "nginx -v in " + PROXY,
                proxy.standInFor(),
                logs + PROXY,
                null,
                proxy.ref()));
        Image tracking = image(project, TRACKING, null);
        components.add(new Component(
                "tracking",
                "MLflow",
                mlflowVersion(e),
                "GET /version through nginx",
                null,
                logs + TRACKING,
                null,
                tracking.ref()));
        Image db = image(project, DB, "MySQL (mysql:" + env.get("MYSQL_VERSION") + ")");
        String dbVersion = databaseVersion(e.database());
        components.add(new Component(
                "database",
                dbVersion.contains("MariaDB") ? "MariaDB" : "MySQL",
                dbVersion,
                "SELECT VERSION()" + pinNote(dbVersion, env.get("MYSQL_VERSION")),
                db.standInFor(),
                logs + DB,
                null,
                db.ref()));
        Image store = image(project, STORE, "RustFS (rustfs/rustfs:" + env.get("RUSTFS_VERSION") + ")");
        components.add(new Component(
                "object-store",
                store.standInFor() == null ? "RustFS" : "S3Proxy",
                storeVersion(e.s3().endpoint()),
                "GET /health version",
                store.standInFor(),
                logs + STORE,
                null,
                store.ref()));
        Image bucketJob = image(project, BUCKET_JOB, "aws-cli (amazon/aws-cli:" + env.get("AWS_CLI_VERSION") + ")");
        components.add(job("bucket-init", BUCKET_JOB, bucketJob, logs));
        Image permissions = image(project, PERMISSION_JOB, "alpine (alpine:" + env.get("ALPINE_VERSION") + ")");
        components.add(job("volume-permissions", PERMISSION_JOB, permissions, logs));
        return new StackDescription(
                "compose", variant, components, fault == Fault.NONE ? null : fault.id() + ": " + fault.description());
    }

    /** When the server's version is not the tag the Compose file pins (the offline image is Debian's MySQL). */
    static String pinNote(String version, String pinned) {
        return pinned == null || version.startsWith(pinned + ".") || version.equals(pinned)
                ? ""
                : "; the Compose file pins mysql:" + pinned + ", this server is " + version;
    }

    /** An image that ran: its name:tag and id, and for a stand-in of the offline set what it replaces. */
    private record Image(String ref, String product, String standInFor) {}

    private static Image image(String project, String service, String article) {
        InspectContainerResponse c = ComposeProject.inspect(project, service);
        var labels = Optional.ofNullable(ComposeProject.docker()
                        .inspectImageCmd(c.getImageId())
                        .exec()
                        .getConfig()
                        .getLabels())
                .orElse(Map.of());
        String product = labels.get(OfflineImages.LABEL_PRODUCT);
        String ref = c.getConfig().getImage() + " (" + c.getImageId().substring(0, 19) + ")"
                + (product == null ? "" : ": " + product);
        return new Image(
                ref,
                product,
                labels.getOrDefault(OfflineImages.LABEL_STANDS_IN_FOR, "").isEmpty() ? null : article);
    }

    /** A one-shot job (exited 0): the image is what it ran; its tag is the only version there is. */
    private static Component job(String role, String service, Image image, String logs) {
        String name = image.ref().substring(0, image.ref().indexOf(' '));
        String tag = name.substring(name.lastIndexOf(':') + 1);
        return new Component(
                role,
                name.substring(0, name.lastIndexOf(':')),
                tag,
                "image tag (one-shot job " + service + ", exited 0)",
                image.standInFor(),
                logs + service,
                null,
                image.ref());
    }

    private static String nginxVersion(String project) {
        String id = ComposeProject.inspect(project, PROXY).getId();
        try {
            var exec = ComposeProject.docker()
                    .execCreateCmd(id)
                    .withCmd("nginx", "-v")
                    .withAttachStderr(true)
                    .withAttachStdout(true)
                    .exec();
            StringBuilder text = new StringBuilder();
            ComposeProject.docker()
                    .execStartCmd(exec.getId())
                    .exec(
                            new com.github.dockerjava.api.async.ResultCallback.Adapter<
                                    com.github.dockerjava.api.model.Frame>() {
                                @Override
                                public void onNext(com.github.dockerjava.api.model.Frame frame) {
                                    text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                                }
                            })
                    .awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
            String s = text.toString().strip(); // "nginx version: nginx/1.22.1"
            return s.substring(s.lastIndexOf('/') + 1).strip();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StackException(PROXY, "interrupted during nginx -v", "");
        }
    }

    private static String mlflowVersion(Endpoints e) {
        HttpResponse<String> r = get(
                e.trackingUri().resolve("/version"),
                Map.of("Authorization", BasicAuth.header(e.username(), e.password())),
                TRACKING);
        if (r.statusCode() != 200) {
            throw new StackException(
                    TRACKING, "GET /version through nginx answered " + r.statusCode(), "see the mlflow log");
        }
        return r.body().strip();
    }

    private static String databaseVersion(DatabaseAccess db) {
        try (Connection c = db.connect();
                ResultSet rs = c.createStatement().executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException ex) {
            throw new StackException(
                    DB, "SELECT VERSION() failed: " + ex.getMessage(), "see the db log", List.of(), ex);
        }
    }

    private static String storeVersion(URI s3) {
        HttpResponse<String> r = get(s3.resolve("/health"), Map.of(), STORE);
        try {
            String version =
                    new ObjectMapper().readTree(r.body()).path("version").asText("");
            if (r.statusCode() != 200 || version.isBlank()) {
                throw new StackException(
                        STORE,
                        "GET /health answered " + r.statusCode() + " without a version: " + r.body(),
                        "see the rustfs log");
            }
            return version;
        } catch (IOException ex) {
            throw new StackException(
                    STORE, "GET /health is not JSON: " + r.body(), "see the rustfs log", List.of(), ex);
        }
    }

    private static HttpResponse<String> get(URI uri, Map<String, String> headers, String component) {
        HttpRequest.Builder req =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(req::header);
        try {
            return HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new StackException(
                    component, "GET " + uri + " failed: " + ex, "see the " + component + " log", List.of(), ex);
        }
    }
}
