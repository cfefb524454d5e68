package org.mlflowharness.load;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

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
        int code;
        NoResponse.attach();
        try {
            code = io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {"--simulation", simulation.getName(),
                    "--results-folder", resultsFolder.toString(), "--run-description", description, "--launcher", "junit"});
        } finally {
            restoreLogging();
        }
        return new Outcome(code, newest(resultsFolder).orElse(resultsFolder));
    }

    /**
     * Gatling stops logback's context when a run ends, which leaves every logger at DEBUG with no appender: from then
     * on the JVM formats debug output nobody sees (the Apache client hex-dumps every byte it sends), which cut the
     * direct-S3 baseline to a third and loads the harness during later runs. Reconfigure from logback-test.xml.
     */
    static void restoreLogging() {
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        lc.reset();
        try {
            new ContextInitializer(lc).autoConfig();
        } catch (JoranException e) {
            lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
        lc.start();
    }

    private static Optional<Path> newest(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).max(Comparator.comparing(p -> p.toFile().lastModified()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
