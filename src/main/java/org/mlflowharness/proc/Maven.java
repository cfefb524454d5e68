package org.mlflowharness.proc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Fetches a Maven Central artifact the harness runs (not a build dependency) with the dependency plugin. */
public final class Maven {

    private static final String PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";

    private Maven() {}

    /** Copies {@code coords} (group:artifact:version:type[:classifier]) into {@code dir}. */
    public static void copy(String component, String coords, Path dir, Path log) {
        run(component, "copy", coords, dir, log);
    }

    /** Unpacks the archive {@code coords} into {@code dir}. */
    public static void unpack(String component, String coords, Path dir, Path log) {
        run(component, "unpack", coords, dir, log);
    }

    private static void run(String component, String goal, String coords, Path dir, Path log) {
        Command.run(
                component,
                List.of("mvn", "-q", "-B", PLUGIN + ":" + goal, "-Dartifact=" + coords, "-DoutputDirectory=" + dir),
                log,
                Duration.ofMinutes(10),
                "check that Maven Central is reachable (log: " + log + ")");
    }
}
