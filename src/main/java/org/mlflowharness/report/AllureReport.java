package org.mlflowharness.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.proc.Maven;

/**
 * Allure for the suites: the results directory the Allure JUnit listener writes to, the stack description as the
 * Allure environment, and the offline HTML report (allure-commandline from Maven Central, unpacked once into the cache;
 * the allure-maven plugin's own download does not work offline).
 */
public final class AllureReport {

    public static final String COMMANDLINE_VERSION = "2.34.1";
    /** The system property the Allure listener reads for its results directory. */
    public static final String RESULTS_PROPERTY = "allure.results.directory";

    private final Path cacheDir;

    public AllureReport(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** Points the Allure listener of this JVM at {@code results}. */
    public static void collectInto(Path results) {
        System.setProperty(RESULTS_PROPERTY, results.toString());
    }

    /** Writes {@code environment.properties}: what ran, as the Allure report's Environment panel. */
    public static void writeEnvironment(Path results, StackDescription stack) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("provider", stack.provider());
        env.put("nginx.variant", stack.nginxVariant().id());
        for (StackDescription.Component c : stack.components()) {
            env.put(
                    c.role(),
                    c.name() + " " + c.version()
                            + (c.standInFor() == null ? "" : " (stand-in for " + c.standInFor() + ")"));
            if (c.image() != null) {
                env.put(c.role() + ".image", c.image());
            }
        }
        try {
            Files.createDirectories(results);
            Files.writeString(
                    results.resolve("environment.properties"),
                    env.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                            .collect(Collectors.joining("\n", "", "\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The generator's JVM: a batch job of a few seconds, so the C1 compiler only and the serial collector (a gate's
     * report, measured: 4.1-4.9 CPU s instead of 7.0); a JAVA_OPTS of the user's comes after and wins.
     */
    static final String GENERATOR_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    /**
     * Generates the HTML report from {@code results} into {@code html}; returns {@code html}/index.html. An earlier
     * report's {@code history/} is copied into the results first, so that the Trend panel shows the runs before.
     */
    public Path generate(Path results, Path html, Optional<Path> previousHistory) {
        previousHistory.ifPresent(h -> Dirs.copyRecursively(h, results.resolve("history")));
        Path home = cacheDir.resolve("allure").resolve("allure-" + COMMANDLINE_VERSION);
        Path log = html.resolveSibling("allure-generate.log");
        if (!Files.isExecutable(home.resolve("bin/allure"))) {
            Maven.unpack(
                    "allure",
                    "io.qameta.allure:allure-commandline:" + COMMANDLINE_VERSION + ":zip",
                    home.getParent(),
                    log);
        }
        Command.run(
                "allure",
                List.of(
                        home.resolve("bin/allure").toString(),
                        "generate",
                        results.toString(),
                        "-o",
                        html.toString(),
                        "--clean"),
                Map.of("JAVA_OPTS", (GENERATOR_JVM + " " + System.getenv().getOrDefault("JAVA_OPTS", "")).strip()),
                log,
                java.time.Duration.ofMinutes(5),
                "see " + log);
        return html.resolve("index.html");
    }
}
