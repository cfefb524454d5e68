package org.mlflowharness.load;

import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Runs one simulation in this JVM (so it shares the harness's stack handles and ledgers) and finds its HTML report. */
public final class GatlingLauncher {

    /** Gatling's exit code (0 ok, 2 assertions failed) and where its HTML report went. */
    public record Outcome(int exitCode, Path reportDir) {
        public boolean assertionsFailed() {
            return exitCode == 2;
        }
    }

    private GatlingLauncher() {
    }

    public static Outcome run(Class<? extends Simulation> simulation, Path resultsFolder, String description) {
        System.setProperty("gatling.data.enableAnalytics", "false");
        System.setProperty("gatling.http.warmUpUrl", "");
        try {
            Files.createDirectories(resultsFolder);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int code = io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {"--simulation", simulation.getName(),
                "--results-folder", resultsFolder.toString(), "--run-description", description, "--launcher", "junit"});
        return new Outcome(code, newest(resultsFolder).orElse(resultsFolder));
    }

    private static Optional<Path> newest(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).max(Comparator.comparing(p -> p.toFile().lastModified()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
