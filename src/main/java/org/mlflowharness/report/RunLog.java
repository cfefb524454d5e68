package org.mlflowharness.report;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The run's log file: library logs (logback.xml sends every logger there, nothing to the console; java.util.logging
 * is bridged into it) and Gatling's
 * console output (its per-step tables), so that the console shows the harness's own progress and findings only.
 * {@link #to} points it at a run's report directory; without a run it is {@value #DEFAULT}.
 */
public final class RunLog {

    /** The system property logback.xml reads for the file. */
    static final String PROPERTY = "harness.log";

    static final String DEFAULT = "target/harness.log";

    private RunLog() {}

    /** Sends library logs to {@code file} from now on ({@code null}: back to the default). */
    public static synchronized void to(Path file) {
        if (file == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, file.toAbsolutePath().toString());
        }
        reconfigure();
    }

    /** The current log file. */
    public static Path file() {
        return Path.of(System.getProperty(PROPERTY, DEFAULT));
    }

    /** An appending stream to the log file, for output that does not go through a logger (Gatling's console tables). */
    public static PrintStream stream() {
        Path f = file();
        try {
            if (f.getParent() != null) {
                Files.createDirectories(f.getParent());
            }
            return new PrintStream(new FileOutputStream(f.toFile(), true), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the run log " + f, e);
        }
    }

    /**
     * Configures logback afresh from logback.xml. Also needed after each Gatling run: Gatling stops logback's
     * context when a run ends, which leaves every logger at DEBUG with no appender, so the JVM would format debug output
     * nobody sees (the Apache client hex-dumps every byte it sends: that cut the direct-S3 baseline to a third).
     */
    public static synchronized void reconfigure() {
        if (!SLF4JBridgeHandler
                .isInstalled()) { // java.util.logging too (Apache HttpClient 4's retries printed to the console)
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        lc.reset();
        try {
            new ContextInitializer(lc).autoConfig();
        } catch (JoranException e) {
            lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
        lc.start();
    }
}
