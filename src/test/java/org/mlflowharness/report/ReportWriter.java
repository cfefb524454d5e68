package org.mlflowharness.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.mlflowharness.stack.StackDescription;
import org.mlflowharness.stack.proc.Dirs;

/**
 * The one place that writes reports: {@code <reports>/latest/summary.json} and a human-readable
 * {@code summary.md} beside it (next to the Allure and Gatling HTML reports of the same run).
 */
public final class ReportWriter {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path latest;

    public ReportWriter(Path reportsDir) {
        this.latest = reportsDir.resolve("latest");
    }

    public Path latestDir() {
        return latest;
    }

    /** Starts a run: empties {@code latest/} so that nothing of an earlier run is mistaken for this one's. */
    public void startRun() {
        Dirs.deleteRecursively(latest);
        try {
            Files.createDirectories(latest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + latest, e);
        }
    }

    /** Raw Allure results of the suites. */
    public Path allureResults() {
        return latest.resolve("allure-results");
    }

    /** The Allure HTML report. */
    public Path allureHtml() {
        return latest.resolve("allure-report");
    }

    /** Gatling's HTML reports of the load stage. */
    public Path gatlingDir() {
        return latest.resolve("gatling");
    }

    /** Where a report section's own HTML page goes. */
    public Path htmlOf(String section) {
        return latest.resolve(section + ".html");
    }

    /** Writes summary.json and summary.md (and each section's HTML page); returns the JSON file. */
    public Path write(RunReport report) {
        try {
            Files.createDirectories(latest);
            Path json = latest.resolve("summary.json");
            JSON.writeValue(json.toFile(), report);
            Files.writeString(latest.resolve("summary.md"), markdown(report));
            if (report.sections() != null) {
                for (Map.Entry<String, ReportSection> e : report.sections().entrySet()) {
                    String html = e.getValue().html();
                    if (html != null) {
                        Files.writeString(htmlOf(e.getKey()), html);
                    }
                }
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write reports to " + latest, e);
        }
    }

    static String markdown(RunReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(r.command()).append(": ").append(r.verdict()).append("\n\n");
        if (r.reason() != null) {
            md.append("Reason: ").append(r.reason()).append("\n\n");
        }
        md.append("Started ").append(r.started()).append(", finished ").append(r.finished())
                .append(" (").append(r.durationSeconds()).append(" s)\n\n");
        if (r.stack() != null) {
            md.append("## Stack (").append(r.stack().provider()).append(", nginx ").append(r.stack().nginxVariant().id()).append(")\n\n");
            md.append("| role | component | version | reported by | image |\n|---|---|---|---|---|\n");
            for (StackDescription.Component c : r.stack().components()) {
                md.append("| ").append(c.role()).append(" | ").append(c.name())
                        .append(c.standInFor() == null ? "" : " (stand-in for " + c.standInFor() + ", not evidence about it)")
                        .append(" | ").append(c.version()).append(" | ").append(c.versionSource())
                        .append(" | ").append(c.image() == null ? "" : c.image()).append(" |\n");
            }
            md.append('\n');
            r.stack().findings().forEach(f -> md.append("- finding: ").append(f).append('\n'));
            if (!r.stack().findings().isEmpty()) {
                md.append('\n');
            }
        }
        if (r.stages() != null && !r.stages().isEmpty()) {
            md.append("## Stages\n\n| stage | seconds | outcome |\n|---|---|---|\n");
            for (RunReport.Stage st : r.stages()) {
                md.append("| ").append(st.name()).append(" | ").append(st.seconds()).append(" | ")
                        .append(st.completed() ? "completed" : "ERROR: " + st.error().replace("|", "\\|")).append(" |\n");
            }
            md.append('\n');
        }
        md.append("## Suites\n\n| suite | passed | failed | skipped | seconds |\n|---|---|---|---|---|\n");
        for (SuiteResult s : r.suites()) {
            md.append(String.format("| %s | %d | %d | %d | %.1f |%n", s.suite(), s.passed(), s.failed(), s.skipped(), s.seconds()));
        }
        for (SuiteResult s : r.suites()) {
            for (SuiteResult.Problem p : s.failures()) {
                md.append("\n- FAILED ").append(s.suite()).append(" / ").append(p.test()).append(": ").append(p.reason());
            }
            for (SuiteResult.Problem p : s.skips()) {
                md.append("\n- skipped ").append(s.suite()).append(" / ").append(p.test()).append(": ").append(p.reason());
            }
        }
        md.append('\n');
        if (r.load() != null) {
            md.append("\n## Load\n\n").append(r.load().entrySet().stream()
                    .map(e -> "- " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n"))).append('\n');
        }
        if (r.sections() != null) {
            r.sections().values().forEach(s -> md.append('\n').append(s.markdown()));
        }
        return md.toString();
    }
}
