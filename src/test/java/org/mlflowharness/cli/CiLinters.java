package org.mlflowharness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.Dirs;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The linters of the CI ecosystems, for the pipelines of {@code docs/ci/}: actionlint for GitHub Actions workflows
 * (built from the Go module proxy into the harness's cache, once per version), and GitLab's JSON schema of
 * {@code .gitlab-ci.yml} (vendored in src/test/resources/ci/, see its README) with a JSON-schema validator.
 */
final class CiLinters {

    static final String ACTIONLINT_VERSION = "v1.7.12";
    static final String ACTIONLINT_MODULE = "github.com/rhysd/actionlint/cmd/actionlint";
    /** Where Go's own installer puts it, when it is not on the PATH. */
    private static final Path GO_HOME_BIN = Path.of("/usr/local/go/bin/go");

    private CiLinters() {}

    /** The Go command, on the PATH or in its default install location; empty when Go is not installed. */
    static Optional<Path> go() {
        return Stream.concat(
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                                .filter(d -> !d.isEmpty())
                                .map(d -> Path.of(d, "go")),
                        Stream.of(GO_HOME_BIN))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * actionlint {@link #ACTIONLINT_VERSION} in {@code cacheDir/tools/}, built with {@code go} when it is not there yet
     * (into a directory of its own first, then moved, so that a concurrent build never leaves half a binary).
     */
    static Path actionlint(Path go, Path cacheDir, Path logDir) {
        Path bin = cacheDir.resolve("tools")
                .resolve("actionlint-" + ACTIONLINT_VERSION)
                .resolve("actionlint");
        if (Files.isExecutable(bin)) {
            return bin;
        }
        try {
            Files.createDirectories(bin.getParent());
            Path staging = Files.createTempDirectory(bin.getParent(), "install-");
            try {
                Command.run(
                        "actionlint",
                        List.of(go.toString(), "install", ACTIONLINT_MODULE + "@" + ACTIONLINT_VERSION),
                        Map.of("GOBIN", staging.toString()),
                        logDir.resolve("actionlint-install.log"),
                        Duration.ofMinutes(10),
                        "check that the Go module proxy answers: go install " + ACTIONLINT_MODULE + "@"
                                + ACTIONLINT_VERSION);
                Files.move(staging.resolve("actionlint"), bin, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Dirs.deleteRecursively(staging);
            }
            return bin;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install actionlint into " + bin.getParent(), e);
        }
    }

    /** actionlint's findings on {@code workflow}, one per line (its own format); empty when it found nothing. */
    static List<String> actionlintFindings(Path actionlint, Path workflow) {
        Command.Output o = Command.capture(
                "actionlint",
                List.of(actionlint.toString(), "-no-color", "-oneline", workflow.toString()),
                "run " + actionlint + " " + workflow + " by hand");
        if (o.exitCode() != 0 && o.exitCode() != 1) { // 1: problems found; 2, 3: actionlint itself failed
            throw new IllegalStateException("actionlint failed with exit code " + o.exitCode() + ": " + o.text());
        }
        return o.text().isEmpty() ? List.of() : o.text().lines().toList();
    }

    /**
     * The violations of GitLab's {@code .gitlab-ci.yml} schema in {@code yaml}, one per line: of the file as written (as
     * GitLab's editor validates it) and of its jobs with their {@code extends} merged in (as GitLab runs them: the
     * schema lets a hidden template such as {@code .harness} hold anything, so what a job takes from it is checked
     * there).
     */
    static List<String> gitlabSchemaErrors(String yaml) {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of("classpath:ci/gitlab-ci.schema.json"));
        Map<String, Object> doc = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml));
        Map<String, Object> merged = new LinkedHashMap<>();
        doc.forEach((key, value) -> merged.put(key, value instanceof Map<?, ?> ? extended(doc, key, 0) : value));
        return Stream.of(doc, merged)
                .flatMap(d -> validate(schema, d).stream())
                .distinct()
                .toList();
    }

    private static List<String> validate(Schema schema, Map<String, Object> doc) {
        try {
            return schema.validate(new ObjectMapper().writeValueAsString(doc), InputFormat.JSON).stream()
                    .map(Error::toString)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Job {@code name} with what it {@code extends} merged under it, as GitLab merges it (maps deeply, the rest replaced). */
    private static Map<String, Object> extended(Map<String, Object> doc, String name, int depth) {
        Map<String, Object> job = map(doc.get(name));
        Object parents = job.get("extends");
        if (parents == null || depth > 10) {
            return job;
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Object parent : parents instanceof List<?> l ? l : List.of(parents)) {
            merged = merge(merged, extended(doc, String.valueOf(parent), depth + 1));
        }
        return merge(merged, job);
    }

    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        over.forEach((key, value) -> merged.put(
                key,
                value instanceof Map<?, ?> && base.get(key) instanceof Map<?, ?>
                        ? merge(map(base.get(key)), map(value))
                        : value));
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
