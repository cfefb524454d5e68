package org.mlflowharness.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.proc.Poll;

/**
 * Opens an HTML report in headless Chromium (Debian's {@code chromium} package), as a reader's browser would, from
 * disk with the network off: reads the DOM after the page's scripts ran (which charts ECharts drew, with how many series
 * and data points, and how many SVG shapes) and keeps a screenshot. Each check uses a fresh, throw-away profile.
 */
public final class BrowserCheck {

    /** Flags that work as root on a machine without a network (no sandbox, no background connections, no GPU). */
    static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=15000");

    private static final Pattern CHART = Pattern.compile(
            "<div class=\"chart\" id=\"chart-([^\"]+)\"[^>]*?data-series=\"(\\d+)\" data-points=\"(\\d+)\"");
    private static final Pattern RENDERED = Pattern.compile("data-charts-rendered=\"(\\d+)\"");

    /** One chart as the browser drew it. */
    public record DrawnChart(String id, int series, int points, int svgShapes) {}

    /** What the browser showed: how many charts the page reports drawn, each chart, and the screenshot. */
    public record Result(int chartsRendered, List<DrawnChart> charts, Path screenshot) {}

    private BrowserCheck() {}

    /** The Chromium binary: {@code chromium} or {@code chromium-browser} on the PATH. */
    public static Optional<Path> chromium() {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .flatMap(dir -> Stream.of(Path.of(dir, "chromium"), Path.of(dir, "chromium-browser")))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Opens {@code html} in headless Chromium; keeps a {@code width} x {@code height} screenshot in {@code screenshot}
     * and the browser's messages in {@code screenshot}'s folder ({@code chromium.log}).
     */
    public static Result check(Path html, Path screenshot, int width, int height) {
        Path chromium = chromium()
                .orElseThrow(() -> new IllegalStateException("chromium is not installed (apt-get install chromium)"));
        Path log = screenshot.resolveSibling("chromium.log");
        Path profile;
        try {
            profile = Files.createTempDirectory("harness-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            String url = html.toAbsolutePath().toUri().toString();
            Path dom = profile.resolve("dom.html");
            // Two browsers at once, each with its own profile: most of each run is its start-up and the page's scripts.
            CompletableFuture<Void> shot = CompletableFuture.runAsync(() -> run(
                    chromium,
                    profile.resolve("shot"),
                    List.of(
                            "--screenshot=" + screenshot.toAbsolutePath(),
                            "--window-size=" + width + "," + height,
                            url),
                    null,
                    log));
            try {
                run(chromium, profile.resolve("dump"), List.of("--dump-dom", url), dom, log);
            } finally {
                Poll.join(shot);
            }
            return parse(Files.readString(dom), screenshot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Dirs.deleteRecursively(profile);
        }
    }

    private static void run(Path chromium, Path userDataDir, List<String> args, Path stdout, Path log) {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString()));
        cmd.addAll(FLAGS);
        cmd.add("--user-data-dir=" + userDataDir);
        cmd.addAll(args);
        Command.run("chromium", cmd, stdout, log, Duration.ofMinutes(2), "see " + log);
    }

    /** The charts in a DOM dumped after the page's scripts ran. */
    static Result parse(String dom, Path screenshot) {
        Matcher r = RENDERED.matcher(dom);
        int rendered = r.find() ? Integer.parseInt(r.group(1)) : 0;
        List<MatchResult> found = CHART.matcher(dom).results().toList();
        List<DrawnChart> charts = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            MatchResult f = found.get(i);
            String chunk = dom.substring(
                    f.start(), i + 1 < found.size() ? found.get(i + 1).start() : dom.length());
            int shapes = count(chunk, "<path") + count(chunk, "<rect") + count(chunk, "<circle");
            charts.add(new DrawnChart(f.group(1), Integer.parseInt(f.group(2)), Integer.parseInt(f.group(3)), shapes));
        }
        return new Result(rendered, charts, screenshot);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
