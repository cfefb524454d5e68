package org.mlflowharness.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.proc.Dirs;

/**
 * The runs kept under {@code <reports>/runs/<time>-<command>/}, newest last by name: listing them with their verdict
 * and headline figures ({@code ./harness report --history}), finding the previous comparable run, bounding how many
 * are kept.
 */
public final class RunHistory {

    public static final String RUNS = "runs";

    private final Path runsDir;

    public RunHistory(Path reportsDir) {
        this.runsDir = reportsDir.resolve(RUNS);
    }

    /** Every run directory, oldest first (names start with the UTC start time). */
    List<Path> dirs() {
        if (!Files.isDirectory(runsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runsDir)) {
            return s.filter(Files::isDirectory)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + runsDir + ": " + e.getMessage(), e);
        }
    }

    /** The runs that wrote a summary, oldest first. */
    public List<CapacityReport.Run> runs() {
        List<CapacityReport.Run> runs = new ArrayList<>();
        for (Path d : dirs()) {
            read(d).ifPresent(runs::add);
        }
        return runs;
    }

    private static Optional<CapacityReport.Run> read(Path dir) {
        Path summary = dir.resolve("summary.json");
        if (!Files.isRegularFile(summary)) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new CapacityReport.Run(dir.getFileName().toString(), ReportWriter.JSON.readTree(summary.toFile())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The newest run before {@code current} that is comparable with it: a load run of the same profile and the same
     * scenarios on the same provider, started with the same deliberate fault (or none) (versions may differ: that is
     * what a pre-upgrade comparison is for, and the report shows them).
     */
    public Optional<CapacityReport.Run> previousComparable(CapacityReport.Run current) {
        if (profile(current.summary()).isEmpty()) {
            return Optional.empty();
        }
        String kind = comparableKind(current.summary());
        return runs().stream()
                .filter(r -> r.name().compareTo(current.name()) < 0)
                .filter(r -> kind.equals(comparableKind(r.summary())))
                .reduce((a, b) -> b);
    }

    /** What two runs must share to be compared: profile, scenarios run, provider, deliberate fault. */
    private static String comparableKind(JsonNode summary) {
        LoadSection load = LoadSection.of(summary.path("load"));
        List<String> scenarios = load == null || load.scenarios() == null
                ? List.of()
                : load.scenarios().keySet().stream().sorted().toList();
        return String.join(
                "|",
                profile(summary),
                String.join(",", scenarios),
                summary.path("stack").path("provider").asText(""),
                summary.path("stack").path("fault").asText(""));
    }

    /** The run's load profile, empty for a run without a load stage. */
    private static String profile(JsonNode summary) {
        LoadSection load = LoadSection.of(summary.path("load"));
        return load == null || load.profile() == null ? "" : load.profile();
    }

    /** The newest earlier run with an Allure report whose history Allure's Trend panel can carry on. */
    public Optional<Path> previousAllureHistory(String current) {
        return dirs().stream()
                .filter(d -> d.getFileName().toString().compareTo(current) < 0)
                .map(d -> d.resolve("allure-report").resolve("history"))
                .filter(Files::isDirectory)
                .reduce((a, b) -> b);
    }

    /** Deletes the oldest runs so that at most {@code keep} remain (the current one always stays). */
    public List<String> prune(int keep, String current) {
        List<Path> all = dirs();
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < all.size() - keep; i++) {
            if (!all.get(i).getFileName().toString().equals(current)) {
                Dirs.deleteRecursively(all.get(i));
                deleted.add(all.get(i).getFileName().toString());
            }
        }
        return deleted;
    }

    /** One line per run, oldest first: name, verdict, command, duration, headline figures. */
    public List<String> listing() {
        List<String> lines = new ArrayList<>();
        for (Path d : dirs()) {
            Optional<CapacityReport.Run> run = read(d);
            if (run.isEmpty()) {
                lines.add(String.format(
                        "%-26s %-7s (no summary.json: still running, or killed before it finished)",
                        d.getFileName(), "-"));
                continue;
            }
            JsonNode s = run.get().summary();
            Map<String, String> h = CapacityReport.headlines(s);
            String profile = profile(s);
            lines.add(String.format(
                    "%-26s %-7s %s (%s s)%s",
                    d.getFileName(),
                    s.path("verdict").asText(),
                    s.path("command").asText(),
                    Figures.fmt(s.path("durationSeconds").asDouble()),
                    profile.isEmpty() ? "" : ", load profile " + profile));
            h.forEach((k, v) -> lines.add("    " + k + ": " + v));
        }
        return lines;
    }
}
