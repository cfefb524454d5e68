package org.mlflowharness.upgrade;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import org.mlflowharness.proc.ManagedProcess;
import org.mlflowharness.proc.Poll;
import org.mlflowharness.stack.MigrationFailure;

/**
 * One run of TO's {@code mlflow db upgrade}, watched as it writes: each migration's start is alembic's line "Running
 * upgrade A -> B", timestamped when it appears (every 20 ms), so the run yields each migration's time. With an
 * {@link Interrupt}, the process is stopped as soon as the chosen migration starts, with no grace: SIGTERM, then
 * SIGKILL for whatever still runs (Python ends on the SIGTERM at once: exit 143), as a crash, an OOM kill or an evicted
 * pod would end it.
 */
final class MigrationRun {

    private static final Duration WATCH = Duration.ofMillis(20);

    /** Where to kill the migration: when the migration to {@code revision} starts, or the {@code ordinal}-th one. */
    record Interrupt(String revision, int ordinal) {

        /** {@code --interrupt-migration}: a revision id (hex, as alembic names them) or a count from 1. */
        static Optional<Interrupt> parse(String value) {
            if (value == null || value.isBlank()) {
                return Optional.empty();
            }
            String v = value.trim();
            if (v.matches("[0-9]{1,3}") && Integer.parseInt(v) > 0) {
                return Optional.of(new Interrupt(null, Integer.parseInt(v)));
            }
            if (v.matches("[0-9a-f]{6,40}")) {
                return Optional.of(new Interrupt(v, 0));
            }
            throw new IllegalArgumentException("--interrupt-migration " + value + " is neither a revision (e.g."
                    + " 400f98739977, as in MLflow's db_migrations/versions) nor a count of migrations (1, 2, ...)");
        }

        boolean hits(int ordinal, String to) {
            return revision == null ? ordinal == this.ordinal : revision.equals(to);
        }

        @Override
        public String toString() {
            return revision == null
                    ? "at the start of migration number " + ordinal
                    : "as migration -> " + revision + " starts";
        }
    }

    /** One migration as the run saw it: from, to, alembic's description, its time until the next one or the end. */
    record Step(String from, String to, String description, double seconds) {
        String name() {
            return from + " -> " + to + (description == null ? "" : " (" + description + ")");
        }
    }

    /**
     * How the run ended.
     *
     * @param ended "exited with code 0", "exited with code 1", "killed ...", "did not finish in N s"
     * @param killedAt the migration that had started when the run was killed, or null
     */
    record Outcome(boolean succeeded, String ended, double seconds, List<Step> steps, String killedAt) {}

    private MigrationRun() {}

    static Outcome run(List<String> command, Path log, Duration timeout, Optional<Interrupt> interrupt, Path workDir) {
        long t0 = System.nanoTime();
        ManagedProcess p = ManagedProcess.start("mlflow db upgrade", command, Map.of(), workDir, log);
        List<Long> starts = new ArrayList<>(); // nanos of each migration's start, in step order
        List<String[]> migrations = new ArrayList<>();
        int[] seen = {0};
        String[] killed = {null};
        boolean exited = Poll.until(timeout, WATCH, () -> {
                    boolean alive = p.isAlive(); // read before the log: what it wrote before exiting is complete
                    List<String> lines = lines(log);
                    for (int i = seen[0]; i < lines.size(); i++) {
                        Matcher m = MigrationFailure.UPGRADE.matcher(lines.get(i));
                        if (m.find()) {
                            starts.add(System.nanoTime());
                            migrations.add(new String[] {m.group(1), m.group(2), m.group(3)});
                            if (killed[0] == null
                                    && interrupt.isPresent()
                                    && interrupt.get().hits(migrations.size(), m.group(2))) {
                                p.stop(Duration.ZERO);
                                killed[0] = m.group(1) + " -> " + m.group(2)
                                        + (m.group(3) == null ? "" : " (" + m.group(3) + ")");
                            }
                        }
                    }
                    seen[0] = lines.size();
                    return alive && killed[0] == null ? Poll.Attempt.notYet(null) : Poll.Attempt.done(true);
                })
                .isPresent();
        if (!exited) {
            p.stop(Duration.ZERO);
        }
        p.awaitExit(Duration.ofSeconds(10));
        long end = System.nanoTime();
        List<Step> steps = steps(migrations, starts, end);
        double seconds = round((end - t0) / 1e9);
        if (!exited) {
            return new Outcome(false, "did not finish in " + timeout.toSeconds() + " s", seconds, steps, null);
        }
        String how = p.exited().orElse("exited");
        if (killed[0] != null) {
            return new Outcome(false, "killed (" + how + ")", seconds, steps, killed[0]);
        }
        return new Outcome(how.equals("exited with code 0"), how, seconds, steps, null);
    }

    static List<Step> steps(List<String[]> migrations, List<Long> starts, long end) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < migrations.size(); i++) {
            long until = i + 1 < starts.size() ? starts.get(i + 1) : end;
            String[] m = migrations.get(i);
            steps.add(new Step(m[0], m[1], m[2], round((until - starts.get(i)) / 1e9)));
        }
        return steps;
    }

    /** The complete lines written so far (a last line without its newline is still being written). */
    static List<String> lines(Path log) {
        try {
            if (!Files.exists(log)) {
                return List.of();
            }
            String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            List<String> all = new ArrayList<>(List.of(text.split("\n", -1)));
            all.remove(all.size() - 1);
            return all;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
