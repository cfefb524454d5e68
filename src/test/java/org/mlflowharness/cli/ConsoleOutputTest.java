package org.mlflowharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.config.Option;
import org.mlflowharness.guard.StackGuard;

/**
 * A CI run ({@code CI=true}, no terminal) shows no progress animation: the harness writes whole lines only (no carriage
 * return redrawing a line, no terminal escape sequence), the processes it starts write to log files, never to its
 * console (pip's, Maven's, Docker's progress bars), and the launcher runs Maven in batch mode (no download progress).
 */
class ConsoleOutputTest {

    /** A carriage return that redraws a line (not the CR of a CRLF), an escape (colours, cursor moves), a backspace. */
    private static final Pattern ANIMATION = Pattern.compile("\r(?!\n)|\u001b|\b");
    /** The same in Java source: the escape of a bare carriage return, an escape character or a backspace (not a regex's \\b). */
    private static final Pattern ANIMATION_IN_SOURCE = Pattern.compile("(?<![\\\\'])\\\\(r(?!\\\\n)|u001b|033|b)");
    /** A process whose output would reach the harness's console. */
    private static final Pattern INHERITED_OUTPUT = Pattern.compile("inheritIO\\(|Redirect\\.INHERIT");

    @TempDir
    Path dir;

    @AfterEach
    void clearExportedOptions() {
        for (Option o : Option.values()) {
            System.clearProperty(o.systemProperty());
        }
        StackGuard.reset();
    }

    @Test
    void aGateInCiWritesWholeLinesOnly() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandStagesTest.FakeProvider provider = new CommandStagesTest.FakeProvider("none");
        int exit = new Harness(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Map.of("CI", "true"),
                        CommandStagesTest.wiring(provider, "none", new ArrayList<>()))
                .run(List.of(
                        "gate",
                        "--stack",
                        "native",
                        "--work-dir",
                        dir.resolve("work").toString(),
                        "--reports-dir",
                        dir.resolve("reports").toString()));

        assertThat(exit).isZero();
        for (String text : List.of(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8))) {
            assertThat(ANIMATION.matcher(text).find())
                    .as("an animation in %s", text)
                    .isFalse();
            assertThat(text.isEmpty() || text.endsWith("\n")).as("whole lines").isTrue();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("verdict: PASSED");
    }

    @Test
    void noSourceDrawsOnTheTerminalOrLetsAProcessWriteToIt() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (ANIMATION_IN_SOURCE.matcher(line).find()
                            || INHERITED_OUTPUT.matcher(line).find()) {
                        found.add(file + ":" + (i + 1) + ": " + line.strip());
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void theSourceCheckCatchesAnAnimation() {
        assertThat(ANIMATION_IN_SOURCE
                        .matcher("out.print(\"\\r\" + percent + \"%\");")
                        .find())
                .isTrue();
        assertThat(ANIMATION_IN_SOURCE.matcher("head.append(\"\\r\\n\");").find())
                .isFalse();
        assertThat(INHERITED_OUTPUT
                        .matcher("new ProcessBuilder(cmd).inheritIO().start();")
                        .find())
                .isTrue();
        assertThat(ANIMATION.matcher("upload 40%\rupload 80%\n").find()).isTrue();
        assertThat(ANIMATION.matcher("HTTP/1.1 200 OK\r\n").find()).isFalse();
    }

    @Test
    void theLauncherRunsMavenInBatchMode() throws IOException {
        for (Path script : List.of(Path.of("harness"), Path.of(".ci/run"))) {
            Files.readAllLines(script).stream()
                    .map(String::strip)
                    .filter(l -> l.startsWith("mvn "))
                    .forEach(l -> assertThat(l).as(script + ": " + l).containsPattern(" (-B|--batch-mode)( |$)"));
        }
    }
}
