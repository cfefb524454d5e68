package org.mlflowharness.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.mlflowharness.model.load.ScenarioResult;

/**
 * The run's checks as JUnit XML, the legacy format that CI servers read (GitLab's test report, Jenkins' junit step,
 * the GitHub test-reporter actions, Azure's PublishTestResults): one {@code TEST-<suite>.xml} per suite with each check
 * a test case, and {@code TEST-<command>.xml} with the command's stages and the load stage's SLO and integrity
 * checks. A failure's message is the harness's one-line reason, whose class (security, data integrity, ...) names the
 * layer; a skip keeps its reason.
 */
public final class JunitXml {

    /** The run directory's folder of JUnit XML files. */
    public static final String DIR = "junit";

    private JunitXml() {}

    /**
     * One test case: its class (the suite or the command), its name, outcome, time, reason, and the class of its
     * failure ({@link Failure.Kind}: security, data integrity, ...), which leads the failure's message.
     */
    record Case(String className, String name, String outcome, double seconds, String reason, String kind) {}

    /** Writes the report's files into {@code dir} (made if missing); returns them. */
    public static List<Path> write(RunReport report, Path dir) {
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (SuiteResult s : report.suites()) {
                List<Case> cases = s.checks().stream()
                        .map(c -> new Case(
                                s.suite(),
                                c.test(),
                                c.outcome(),
                                c.seconds(),
                                c.reason(),
                                FailureCauses.ofCheck(s.tag(), c.reason()).label()))
                        .toList();
                files.add(write(dir.resolve("TEST-" + fileName(s.suite()) + ".xml"), s.suite(), s.seconds(), cases));
            }
            String command = RunReport.commandName(report.command());
            files.add(write(
                    dir.resolve("TEST-" + fileName(command) + ".xml"),
                    "harness " + command,
                    report.durationSeconds(),
                    runCases(report, "harness." + command)));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JUnit XML to " + dir, e);
        }
    }

    /**
     * The command's own checks: each stage (completed, could not complete, not run), the stack staying up, and the
     * load stage's SLO and integrity checks when it ran.
     */
    static List<Case> runCases(RunReport report, String className) {
        List<Case> cases = new ArrayList<>();
        for (RunReport.Stage st : report.stages()) {
            String outcome = st.skipped() != null
                    ? SuiteResult.Check.SKIPPED
                    : st.completed() ? SuiteResult.Check.PASSED : SuiteResult.Check.FAILED;
            cases.add(new Case(
                    className,
                    "stage " + st.name(),
                    outcome,
                    st.seconds(),
                    st.skipped() != null ? st.skipped() : st.error(),
                    "stage " + st.name()));
        }
        if (report.guard() != null) {
            RunReport.Down down = report.guard().down();
            cases.add(new Case(
                    className,
                    "the stack stayed up",
                    down == null ? SuiteResult.Check.PASSED : SuiteResult.Check.FAILED,
                    0,
                    down == null ? null : down.component() + ": " + down.problem(),
                    Failure.Kind.STACK_DOWN.label()));
        }
        if (report.load() != null) {
            cases.addAll(loadCases(report, className));
        }
        return cases;
    }

    /**
     * The load stage's checks, one case per scenario: its SLO and integrity checks failed (each failure of the load
     * section that names it), it could not complete, or it passed; a load failure naming no scenario is a case of its
     * own, and what the profile's time budget left unrun is skipped with that reason.
     */
    private static List<Case> loadCases(RunReport report, String className) {
        List<Case> cases = new ArrayList<>();
        List<Failure> load = report.failures().stream()
                .filter(f -> f.text().startsWith("load "))
                .toList();
        List<Failure> unclaimed = new ArrayList<>(load);
        Map<String, ScenarioResult> scenarios =
                report.load().scenarios() == null ? Map.of() : report.load().scenarios();
        for (var e : scenarios.entrySet()) {
            String id = e.getKey();
            List<Failure> mine =
                    load.stream().filter(f -> f.text().startsWith("load " + id)).toList();
            unclaimed.removeAll(mine);
            String name = "load " + id + ": SLOs and integrity";
            if (e.getValue() instanceof ScenarioResult.NotCompleted nc) {
                cases.add(new Case(className, name, SuiteResult.Check.FAILED, 0, nc.error(), "load " + id));
            } else {
                cases.add(failedIfAny(className, name, mine));
            }
        }
        if (!unclaimed.isEmpty()) {
            cases.add(failedIfAny(className, "load: other checks", unclaimed));
        }
        for (String notRun : report.load().notRun() == null
                ? List.<String>of()
                : report.load().notRun()) {
            cases.add(new Case(
                    className,
                    "load: " + notRun.replaceFirst(" not run:.*", ""),
                    SuiteResult.Check.SKIPPED,
                    0,
                    notRun,
                    null));
        }
        return cases;
    }

    private static Case failedIfAny(String className, String name, List<Failure> failures) {
        boolean undecided =
                !failures.isEmpty() && failures.stream().allMatch(f -> f.kind() == Failure.Kind.INCONCLUSIVE);
        return new Case(
                className,
                name,
                failures.isEmpty()
                        ? SuiteResult.Check.PASSED
                        : undecided ? SuiteResult.Check.SKIPPED : SuiteResult.Check.FAILED,
                0,
                failures.stream().map(f -> f.text().substring("load ".length())).collect(Collectors.joining("; ")),
                failures.stream()
                        .map(Failure::kind)
                        .min(Enum::compareTo)
                        .map(Failure.Kind::label)
                        .orElse(null));
    }

    private static Path write(Path file, String suite, double seconds, List<Case> cases) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", suite);
            x.writeAttribute("tests", String.valueOf(cases.size()));
            x.writeAttribute("failures", String.valueOf(count(cases, SuiteResult.Check.FAILED)));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", String.valueOf(count(cases, SuiteResult.Check.SKIPPED)));
            x.writeAttribute("time", time(seconds));
            for (Case c : cases) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testcase");
                x.writeAttribute("classname", c.className());
                x.writeAttribute("name", clean(c.name()));
                x.writeAttribute("time", time(c.seconds()));
                if (c.outcome().equals(SuiteResult.Check.FAILED)) {
                    String reason = clean(c.kind() + ": " + c.reason());
                    x.writeStartElement("failure");
                    x.writeAttribute("message", firstLine(reason));
                    x.writeAttribute("type", c.kind());
                    x.writeCharacters(reason);
                    x.writeEndElement();
                } else if (c.outcome().equals(SuiteResult.Check.SKIPPED)) {
                    x.writeEmptyElement("skipped");
                    x.writeAttribute("message", firstLine(clean(String.valueOf(c.reason()))));
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static long count(List<Case> cases, String outcome) {
        return cases.stream().filter(c -> c.outcome().equals(outcome)).count();
    }

    private static String time(double seconds) {
        return String.format(Locale.ROOT, "%.3f", Math.max(0, seconds));
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** Drops the characters XML 1.0 cannot hold (control characters of a log line, lone surrogates). */
    static String clean(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints()
                .filter(cp -> cp == 0x9
                        || cp == 0xA
                        || cp == 0xD
                        || cp >= 0x20 && cp <= 0xD7FF
                        || cp >= 0xE000 && cp <= 0xFFFD
                        || cp >= 0x10000 && cp <= 0x10FFFF)
                .forEach(b::appendCodePoint);
        return b.toString();
    }

    private static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
