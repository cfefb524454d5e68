package org.mlflowharness.load;

import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.mlflowharness.report.RunLog;

/**
 * Runs one simulation in this JVM (so it shares the harness's stack handles and ledgers) and finds its HTML report.
 * Gatling's console output (its per-step tables) goes to the run's log file ({@link RunLog}), not to the console.
 */
public final class GatlingLauncher {

    /** Exit code of a run in which no request completed (cut at its time bound): Gatling writes no report then. */
    public static final int NO_REQUESTS = 3;

    /** Gatling's exit code (0 ok, 2 assertions failed, {@value #NO_REQUESTS} no request completed) and where its HTML report went. */
    public record Outcome(int exitCode, Path reportDir) {
        public boolean assertionsFailed() {
            return exitCode == 2;
        }
    }

    private GatlingLauncher() {}

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
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (PrintStream log = RunLog.stream()) {
            log.println("---- Gatling: " + description + " (" + simulation.getSimpleName() + ") ----");
            System.setOut(log);
            System.setErr(log);
            String[] args = {
                "--simulation",
                simulation.getName(),
                "--results-folder",
                resultsFolder.toString(),
                "--run-description",
                description,
                "--launcher",
                "junit"
            };
            // Gatling prints through Scala's Console, whose stream is per thread (inherited by the threads it starts).
            try {
                code = scala.Console$.MODULE$.withOut(
                        log,
                        () -> scala.Console$.MODULE$.withErr(
                                log, () -> io.gatling.app.Gatling$.MODULE$.fromArgs(args)));
            } catch (UnsupportedOperationException e) {
                // "There were no requests sent during the simulation, reports won't be generated": a run cut at its
                // time bound before any request completed (a 4 GiB upload started at the end of the budget) is an
                // outcome the runner reports (uploads that did not end), not a crash of the load stage
                if (!String.valueOf(e.getMessage()).contains("no requests")) {
                    throw e;
                }
                log.println("Gatling: " + e.getMessage());
                code = NO_REQUESTS;
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            RunLog.reconfigure();
        }
        return new Outcome(code, newest(resultsFolder).orElse(resultsFolder));
    }

    private static Optional<Path> newest(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory)
                    .max(Comparator.comparing(p -> p.toFile().lastModified()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
