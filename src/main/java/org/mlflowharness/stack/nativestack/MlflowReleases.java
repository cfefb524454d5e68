package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.mlflowharness.model.StackException;

/**
 * What the harness knows about MLflow releases and their installs without running anything: which release is the
 * previous minor's newest, and what an installed virtualenv's uvicorn supports. {@link Toolchain} does the installing.
 */
final class MlflowReleases {

    private MlflowReleases() {}

    /** The newest final release in {@code available} whose major.minor is below {@code version}'s. */
    static Optional<String> previousMinor(String version, List<String> available) {
        int[] v = majorMinor(version);
        return available.stream()
                .filter(a -> a.matches("\\d+\\.\\d+\\.\\d+"))
                .filter(a -> {
                    int[] x = majorMinor(a);
                    return x[0] < v[0] || (x[0] == v[0] && x[1] < v[1]);
                })
                .max(Comparator.comparingInt((String a) -> Integer.parseInt(a.split("\\.")[0]))
                        .thenComparingInt(a -> Integer.parseInt(a.split("\\.")[1]))
                        .thenComparingInt(a -> Integer.parseInt(a.split("\\.")[2])));
    }

    private static int[] majorMinor(String version) {
        String[] p = version.split("[.+-]");
        try {
            return new int[] {Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0};
        } catch (NumberFormatException e) {
            throw new StackException(
                    "mlflow", "'" + version + "' is not an MLflow version", "use a version like 3.17.2");
        }
    }

    /**
     * True when the uvicorn next to {@code mlflow} (a venv's bin/mlflow) has a worker health check, and so the
     * {@code --timeout-worker-healthcheck} option (uvicorn 0.30 and later).
     */
    static boolean uvicornHasWorkerHealthcheck(Path mlflow) {
        Path lib = mlflow.getParent().getParent().resolve("lib");
        try (Stream<Path> pythons = Files.list(lib)) {
            return pythons.map(p -> p.resolve("site-packages/uvicorn/config.py"))
                    .filter(Files::isRegularFile)
                    .findFirst()
                    .map(f -> {
                        try {
                            return Files.readString(f).contains("timeout_worker_healthcheck");
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .orElse(false);
        } catch (IOException e) {
            return false;
        }
    }
}
