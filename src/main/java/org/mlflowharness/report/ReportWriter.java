package org.mlflowharness.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.model.StackDescription;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.proc.Poll;

/**
 * The one place that writes reports. Each run gets its own directory, {@code <reports>/runs/<UTC time>-<command>/}
 * (the last {@code keepRuns} are kept), and {@code <reports>/latest} points at the newest (a symbolic link, or a copy
 * made when the run's report is written where links cannot be made). In it: {@code summary.json} and
 * {@code summary.md}; for a run with a load stage {@code capacity.html} and {@code capacity.md} (with its PNG charts);
 * the Allure and Gatling HTML reports; {@code harness.log} (library logs and Gatling's console output).
 */
public final class ReportWriter {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final Path reportsDir;
    private final Path latest;
    private final int keepRuns;
    private final RunHistory history;
    private Path run;
    private boolean copyLatest;

    /** @param keepRuns how many run directories to keep under {@code reportsDir/runs/} (at least 1) */
    public ReportWriter(Path reportsDir, int keepRuns) {
        this.reportsDir = reportsDir;
        this.latest = reportsDir.resolve("latest");
        this.keepRuns = Math.max(1, keepRuns);
        this.history = new RunHistory(reportsDir);
    }

    /** The report directories as configured ({@code --reports-dir}, {@code --keep-runs}). */
    public static ReportWriter of(HarnessConfig config) {
        return new ReportWriter(config.reportsDir(), config.keepRuns());
    }

    public Path latestDir() {
        return latest;
    }

    /** This run's directory (after {@link #startRun}). */
    public Path runDir() {
        if (run == null) {
            throw new IllegalStateException("startRun first");
        }
        return run;
    }

    public RunHistory history() {
        return history;
    }

    /**
     * Starts a run: creates its directory, points {@code latest} at it (so nothing of an earlier run is mistaken for
     * this one's) and deletes the oldest runs beyond the bound.
     */
    public void startRun(String command) {
        String name = STAMP.format(Instant.now()) + "-" + command.replaceAll("[^A-Za-z0-9_.-]", "_");
        Path dir = reportsDir.resolve(RunHistory.RUNS).resolve(name);
        for (int i = 2; Files.exists(dir); i++) {
            dir = reportsDir.resolve(RunHistory.RUNS).resolve(name + "-" + i);
        }
        try {
            Files.createDirectories(dir);
            if (Files.isSymbolicLink(latest)) {
                Files.delete(latest);
            } else {
                Dirs.deleteRecursively(latest); // a copy, or the single directory of older versions
            }
            try {
                Files.createSymbolicLink(latest, latest.getParent().relativize(dir));
                copyLatest = false;
            } catch (IOException | UnsupportedOperationException noLinks) {
                copyLatest = true;
                Files.createDirectories(latest);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        run = dir;
        history.prune(keepRuns, dir.getFileName().toString());
    }

    /** Raw Allure results of the suites. */
    public Path allureResults() {
        return runDir().resolve("allure-results");
    }

    /** The Allure HTML report. */
    public Path allureHtml() {
        return runDir().resolve("allure-report");
    }

    /** Gatling's HTML reports of the load stage. */
    public Path gatlingDir() {
        return runDir().resolve("gatling");
    }

    /** Where a report section's own HTML page goes. */
    public Path htmlOf(String section) {
        return runDir().resolve(section + ".html");
    }

    /** The JUnit XML files of the run's checks ({@link JunitXml}). */
    public Path junitDir() {
        return runDir().resolve(JunitXml.DIR);
    }

    /** Library logs and Gatling's console output ({@link RunLog}). */
    public Path logFile() {
        return runDir().resolve("harness.log");
    }

    /** The Allure history of the newest earlier run that has one (for the Trend panel). */
    public Optional<Path> previousAllureHistory() {
        return history.previousAllureHistory(runDir().getFileName().toString());
    }

    /**
     * Writes summary.json, summary.md and the JUnit XML files (and each section's HTML page; refreshes {@code latest}
     * when it is a copy);
     * returns the JSON file.
     */
    public Path write(RunReport report) {
        try {
            Path json = runDir().resolve("summary.json");
            JSON.writeValue(json.toFile(), report);
            Files.writeString(runDir().resolve("summary.md"), markdown(report));
            JunitXml.write(report, junitDir());
            if (report.sections() != null) {
                for (Map.Entry<String, ReportSection> e : report.sections().entrySet()) {
                    String html = e.getValue().html();
                    if (html != null) {
                        Files.writeString(htmlOf(e.getKey()), html);
                    }
                }
            }
            if (copyLatest) {
                Dirs.deleteRecursively(latest);
                Dirs.copyRecursively(runDir(), latest);
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write reports to " + runDir(), e);
        }
    }

    /**
     * Writes capacity.html and capacity.md (charts as PNG beside it) for a run with a load section, with the previous
     * comparable run's headline figures beside this run's, and a screenshot of the HTML in headless Chromium when it is
     * installed; returns the files by name (nothing without a load section).
     */
    public Map<String, String> writeCapacity(RunReport report) {
        if (report.load() == null) {
            return Map.of();
        }
        CapacityReport.Run current =
                new CapacityReport.Run(runDir().getFileName().toString(), JSON.valueToTree(report));
        Document doc = CapacityReport.document(
                current, history.previousComparable(current).orElse(null));
        Map<String, String> files = new LinkedHashMap<>();
        Path html = HtmlWriter.write(doc, runDir().resolve("capacity.html"));
        files.put("capacity", html.toString());
        // Chromium draws the HTML while the Markdown's PNG charts are drawn here: seconds each, independent
        CompletableFuture<String> screenshot = CompletableFuture.supplyAsync(() -> screenshot(html, doc));
        files.put(
                "capacity (Markdown)",
                MarkdownWriter.write(doc, runDir().resolve("capacity.md")).toString());
        files.put("capacity screenshot", Poll.join(screenshot));
        return files;
    }

    /**
     * Opens capacity.html in headless Chromium when it is installed and keeps a screenshot beside it: where it is and
     * how many charts the browser drew, or why there is none (a report is written either way).
     */
    private static String screenshot(Path html, Document doc) {
        if (BrowserCheck.chromium().isEmpty()) {
            return "none: chromium is not installed (apt-get install chromium), capacity.html was not opened in a browser";
        }
        int height = 1600
                + 470 * doc.charts().size()
                + 30
                        * doc.blocks().stream()
                                .filter(Document.Table.class::isInstance)
                                .mapToInt(b -> ((Document.Table) b).rows().size() + 2)
                                .sum();
        try {
            BrowserCheck.Result r = BrowserCheck.check(html, html.resolveSibling("capacity.png"), 1280, height);
            long withData = r.charts().stream()
                    .filter(c -> c.points() > 0 && c.svgShapes() > 0)
                    .count();
            return r.screenshot() + " (Chromium drew " + withData + " of "
                    + doc.charts().size() + " charts with data)";
        } catch (RuntimeException e) {
            return "none: Chromium could not open capacity.html: " + e.getMessage();
        }
    }

    static String markdown(RunReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(r.command()).append(": ").append(r.verdict()).append("\n\n");
        if (r.reason() != null) {
            md.append("Reason: ").append(r.reason()).append("\n\n");
        }
        md.append("Started ")
                .append(r.started())
                .append(", finished ")
                .append(r.finished())
                .append(" (")
                .append(r.durationSeconds())
                .append(" s)\n\n");
        if (r.stack() != null) {
            md.append("## Stack (")
                    .append(r.stack().provider())
                    .append(", nginx ")
                    .append(r.stack().nginxVariant().id())
                    .append(")\n\n");
            md.append("| role | component | version | reported by | image |\n|---|---|---|---|---|\n");
            for (StackDescription.Component c : r.stack().components()) {
                md.append("| ")
                        .append(c.role())
                        .append(" | ")
                        .append(c.name())
                        .append(
                                c.standInFor() == null
                                        ? ""
                                        : " (stand-in for " + c.standInFor() + ", not evidence about it)")
                        .append(" | ")
                        .append(c.version())
                        .append(" | ")
                        .append(c.versionSource())
                        .append(" | ")
                        .append(c.image() == null ? "" : c.image())
                        .append(" |\n");
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
                md.append("| ")
                        .append(st.name())
                        .append(" | ")
                        .append(st.seconds())
                        .append(" | ")
                        .append(
                                st.skipped() != null
                                        ? "not run: " + st.skipped().replace("|", "\\|")
                                        : st.completed()
                                                ? "completed"
                                                : "ERROR: " + st.error().replace("|", "\\|"))
                        .append(" |\n");
            }
            md.append('\n');
        }
        if (r.guard() != null) {
            md.append("## Watching the stack\n\n").append(r.guard().watchedBy()).append("\n\n");
            RunReport.Down down = r.guard().down();
            if (down != null) {
                md.append("**Down during the ")
                        .append(down.stage())
                        .append(" stage: ")
                        .append(down.component())
                        .append("**: ")
                        .append(down.problem())
                        .append(down.fix() == null || down.fix().isEmpty() ? "" : " -> " + down.fix())
                        .append("\n\n");
                if (!down.logTail().isEmpty()) {
                    md.append("Last lines of its log:\n\n```\n")
                            .append(String.join("\n", down.logTail()))
                            .append("\n```\n\n");
                }
            }
        }
        md.append("## Suites\n\n| suite | passed | failed | skipped | seconds |\n|---|---|---|---|---|\n");
        for (SuiteResult s : r.suites()) {
            md.append(String.format(
                    "| %s | %d | %d | %d | %.1f |%n", s.suite(), s.passed(), s.failed(), s.skipped(), s.seconds()));
        }
        for (SuiteResult s : r.suites()) {
            for (SuiteResult.Problem p : s.failures()) {
                md.append("\n- FAILED ")
                        .append(s.suite())
                        .append(" / ")
                        .append(p.test())
                        .append(": ")
                        .append(p.reason());
            }
            for (SuiteResult.Problem p : s.skips()) {
                md.append("\n- skipped ")
                        .append(s.suite())
                        .append(" / ")
                        .append(p.test())
                        .append(": ")
                        .append(p.reason());
            }
        }
        md.append('\n');
        if (r.load() != null) {
            md.append("\n# Load: profile ")
                    .append(Objects.toString(r.load().profile(), ""))
                    .append(", ")
                    .append(r.load().verdict())
                    .append("\n\n")
                    .append(MarkdownWriter.body(CapacityReport.loadSection(r.load(), false), null));
        }
        if (r.sections() != null) {
            r.sections().values().forEach(s -> md.append('\n').append(s.markdown()));
        }
        return md.toString();
    }
}
