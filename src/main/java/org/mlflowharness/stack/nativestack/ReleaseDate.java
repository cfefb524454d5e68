package org.mlflowharness.stack.nativestack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.mlflowharness.model.StackException;

/**
 * When an MLflow release was published, from PyPI's JSON API ({@code /pypi/mlflow/json}: every file of every release
 * with its upload time), and the cutoff its dependencies are resolved at: the last upload of the release plus one day.
 * The day covers the packages the same release job uploads minutes apart (mlflow-skinny, mlflow-tracing, whose exact
 * version mlflow 3.x pins); a dependency released within that day is as likely as on the release day itself.
 */
public record ReleaseDate(String version, Instant uploaded, Instant cutoff) {

    static final URI PYPI_JSON = URI.create("https://pypi.org/pypi/mlflow/json");

    /** Asks PyPI. */
    public static ReleaseDate ofMlflow(String version) {
        String body;
        try {
            HttpResponse<String> r = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(20))
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build()
                    .send(
                            HttpRequest.newBuilder(PYPI_JSON)
                                    .timeout(Duration.ofSeconds(60))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("answered " + r.statusCode());
            }
            body = r.body();
        } catch (IOException e) {
            throw new StackException(
                    "mlflow",
                    "cannot read MLflow's release dates from " + PYPI_JSON + ": " + e.getMessage(),
                    "check that PyPI is reachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("mlflow", "interrupted while reading " + PYPI_JSON, "");
        }
        try {
            return of(new ObjectMapper().readTree(body), version);
        } catch (IOException e) {
            throw new StackException(
                    "mlflow", PYPI_JSON + " did not answer JSON: " + e.getMessage(), "check that PyPI is reachable");
        }
    }

    /** The release date of {@code version} in PyPI's project JSON; a version PyPI does not list is an error naming close ones. */
    static ReleaseDate of(JsonNode project, String version) {
        JsonNode files = project.path("releases").path(version);
        List<Instant> uploads = new ArrayList<>();
        files.forEach(f -> {
            if (!f.path("yanked").asBoolean(false) && f.hasNonNull("upload_time_iso_8601")) {
                uploads.add(Instant.parse(f.get("upload_time_iso_8601").asText()));
            }
        });
        if (uploads.isEmpty()) {
            String prefix = version.contains(".") ? version.substring(0, version.lastIndexOf('.') + 1) : version;
            List<String> near = StreamSupport.stream(
                            ((Iterable<String>) () -> project.path("releases").fieldNames()).spliterator(), false)
                    .filter(v -> v.startsWith(prefix)
                            && !project.path("releases").path(v).isEmpty())
                    .toList();
            throw new StackException(
                    "mlflow",
                    "MLflow " + version + " is not a release on PyPI",
                    near.isEmpty()
                            ? "pick a released version (pip index versions mlflow)"
                            : "pick a released version, e.g. " + String.join(", ", near));
        }
        Instant last = uploads.stream().max(Instant::compareTo).orElseThrow();
        return new ReleaseDate(version, last, last.plus(Duration.ofDays(1)));
    }
}
