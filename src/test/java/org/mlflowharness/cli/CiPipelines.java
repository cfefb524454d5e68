package org.mlflowharness.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.Option;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the pipelines of {@code docs/ci/} use of this repository, checked against it: every {@code ./harness} command
 * line in their scripts parses as the harness parses it (command, options, literal values), every harness variable they
 * set is an {@link Option}'s, the files they hash exist, the cache they restore is the harness's, and the report files
 * they keep are files a run writes. {@link #problems} returns one line per violation; empty means the file is fine.
 */
final class CiPipelines {

    static final Path GITHUB_ACTIONS = Path.of("docs/ci/github-actions.yml");
    static final Path GITLAB_CI = Path.of("docs/ci/gitlab-ci.yml");

    /** Where both pipelines copy the run's reports: reports/latest is a link, which artifact uploaders may not follow. */
    static final String REPORT_COPY = "gate-report";

    /** Script keys: GitHub's {@code run}, GitLab's {@code script}, {@code before_script}, {@code after_script}. */
    private static final Set<String> SCRIPT_KEYS = Set.of("run", "script", "before_script", "after_script");
    /** Variable keys: GitHub's {@code env}, GitLab's {@code variables}. */
    private static final Set<String> VARIABLE_KEYS = Set.of("env", "variables");
    /** Variables that name a harness setting: they must be an option's. */
    private static final Pattern HARNESS_VARIABLE = Pattern.compile("HARNESS_\\w+|MLFLOW_\\w+");
    /** What ends a command on a shell line. */
    private static final Set<String> SHELL_OPERATORS = Set.of(";", "&&", "||", "|", ")", "then", "else", "fi", "do");

    private static final Pattern HASH_FILES = Pattern.compile("hashFiles\\(([^)]*)\\)");
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Pattern REPORT_PATH = Pattern.compile(REPORT_COPY + "/([A-Za-z0-9_.-]+)");
    private static final Pattern INCONCLUSIVE_ROW = Pattern.compile("(?m)^\\| (\\d+) \\| `INCONCLUSIVE`");
    private static final Pattern RETRY_IN_SCRIPT = Pattern.compile("\"\\$rc\" -ne (\\d+)");
    private static final Pattern DOCUMENTED_FILE = Pattern.compile("`([A-Za-z0-9_.-]+)/?`");

    private final Path repo;

    /** @param repo the repository root the pipelines are checked against */
    CiPipelines(Path repo) {
        this.repo = repo;
    }

    /** The problems of one pipeline file's text. */
    List<String> problems(String yaml) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        List<String> problems = new ArrayList<>();
        List<Map<?, ?>> maps = maps(doc);
        Map<String, String> variables = new LinkedHashMap<>();
        for (Map<?, ?> m : maps) {
            for (String key : VARIABLE_KEYS) {
                if (m.get(key) instanceof Map<?, ?> vars) {
                    vars.forEach((k, v) -> variables.put(String.valueOf(k), String.valueOf(v)));
                }
            }
        }
        Set<String> optionVariables =
                Stream.of(Option.values()).map(Option::envName).collect(Collectors.toSet());
        variables.keySet().stream()
                .filter(v -> HARNESS_VARIABLE.matcher(v).matches() && !optionVariables.contains(v))
                .forEach(v -> problems.add("variable " + v + " is no option of the harness (./harness gate --help)"));
        Map<String, String> literalEnv = new LinkedHashMap<>();
        variables.forEach((k, v) -> {
            if (optionVariables.contains(k) && !v.contains("$")) {
                literalEnv.put(k, v);
            }
        });

        List<String> scripts = new ArrayList<>();
        for (Map<?, ?> m : maps) {
            SCRIPT_KEYS.forEach(key -> scripts.addAll(strings(m.get(key))));
        }
        List<List<String>> invocations = scripts.stream()
                .flatMap(s -> s.lines())
                .flatMap(line -> invocations(line).stream())
                .toList();
        if (invocations.isEmpty()) {
            problems.add("no ./harness command in the pipeline's scripts");
        }
        invocations.forEach(args -> harnessProblem(args, literalEnv).ifPresent(problems::add));

        Matcher hash = HASH_FILES.matcher(yaml);
        while (hash.find()) {
            Matcher file = QUOTED.matcher(hash.group(1));
            while (file.find()) {
                repoPathProblem(file.group(1)).ifPresent(problems::add);
            }
        }
        for (Map<?, ?> m : maps) {
            if (m.get("key") instanceof Map<?, ?> key) {
                strings(key.get("files")).forEach(f -> repoPathProblem(f).ifPresent(problems::add));
            }
        }
        cacheProblems(maps).forEach(problems::add);
        retryProblems(maps, scripts).forEach(problems::add);
        reportProblems(yaml).forEach(problems::add);
        return problems.stream().distinct().toList();
    }

    /** The argument lists of the {@code ./harness} commands on a shell line. */
    static List<List<String>> invocations(String line) {
        List<List<String>> found = new ArrayList<>();
        List<String> current = null;
        for (String token : line.strip().split("\\s+")) {
            if (token.startsWith("#")) {
                break;
            }
            boolean ends = token.endsWith(";");
            String word = token.replaceAll(";$", "").replaceAll("^[\"']|[\"']$", "");
            if (current != null) {
                if (SHELL_OPERATORS.contains(token)) {
                    current = null;
                    continue;
                }
                current.add(word);
            } else if (word.equals("./harness")) {
                current = new ArrayList<>();
                found.add(current);
            }
            if (ends) {
                current = null;
            }
        }
        return found;
    }

    /**
     * Why {@code ./harness args} would not run, if it would not: as the harness parses it (an unknown command, option or
     * value is what it answers with exit 2). {@code ./harness test} passes its options to the gate.
     */
    private static Optional<String> harnessProblem(List<String> args, Map<String, String> env) {
        String typed = "./harness " + String.join(" ", args);
        if (args.isEmpty()) {
            return Optional.of(typed + ": no command");
        }
        List<String> parsed = args.get(0).equals("test")
                ? Stream.concat(Stream.of("gate"), args.stream().skip(1)).toList()
                : args;
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream devNull = new PrintStream(sink);
        Harness harness = new Harness(devNull, devNull, env);
        try {
            picocli.CommandLine.ParseResult result = harness.commandLine().parseArgs(parsed.toArray(String[]::new));
            picocli.CommandLine.ParseResult sub = result.subcommand();
            if (sub == null) {
                return Optional.of(typed + ": no command");
            }
            boolean literal = parsed.stream().noneMatch(a -> a.contains("$"));
            if (literal && sub.commandSpec().userObject() instanceof HarnessCommand command) {
                harness.config(sub, command.options());
            }
            return Optional.empty();
        } catch (picocli.CommandLine.ParameterException | ConfigException e) {
            return Optional.of(typed + ": " + e.getMessage());
        }
    }

    private Optional<String> repoPathProblem(String pattern) {
        String fixed = pattern.replaceAll("[*?\\[].*$", "");
        Path path = repo.resolve(fixed.isEmpty() ? "." : fixed);
        return Files.exists(path)
                ? Optional.empty()
                : Optional.of("file " + pattern + " does not exist in the repository");
    }

    /** Every GitHub cache step restores the harness's own cache directory (the default of --cache-dir). */
    private static List<String> cacheProblems(List<Map<?, ?>> maps) {
        String cacheDir = "~"
                + Option.CACHE_DIR
                        .defaultValue()
                        .substring(System.getProperty("user.home").length());
        return maps.stream()
                .filter(m -> String.valueOf(m.get("uses")).startsWith("actions/cache@"))
                .map(m -> m.get("with") instanceof Map<?, ?> with ? String.valueOf(with.get("path")) : "nothing")
                .filter(path -> path.lines().noneMatch(l -> l.strip().equals(cacheDir)))
                .map(path -> "actions/cache restores " + path + ", not the harness's cache " + cacheDir)
                .toList();
    }

    /**
     * The pipeline retries the gate on the harness's "inconclusive" exit code (as the README's exit code table gives it)
     * and on no other: GitLab's {@code retry: exit_codes}, or a script's {@code "$rc" -ne <code>} loop.
     */
    private List<String> retryProblems(List<Map<?, ?>> maps, List<String> scripts) {
        Matcher row = INCONCLUSIVE_ROW.matcher(read("README.md"));
        if (!row.find()) {
            return List.of("README.md's exit code table has no INCONCLUSIVE row");
        }
        String inconclusive = row.group(1);
        List<String> codes = new ArrayList<>();
        for (Map<?, ?> m : maps) {
            if (m.get("retry") instanceof Map<?, ?> retry) {
                codes.addAll(strings(retry.get("exit_codes")));
            }
        }
        scripts.forEach(script -> RETRY_IN_SCRIPT.matcher(script).results().forEach(r -> codes.add(r.group(1))));
        if (codes.isEmpty()) {
            return List.of("no retry on the inconclusive exit code " + inconclusive);
        }
        return codes.stream()
                .filter(c -> !c.equals(inconclusive))
                .map(c -> "retries on exit code " + c + ", not the inconclusive one (" + inconclusive + ")")
                .toList();
    }

    /** Every {@code gate-report/<name>} kept is a file or directory a run writes, as reports/README.md lists them. */
    private List<String> reportProblems(String yaml) {
        String documented = read("reports/README.md");
        Set<String> files = DOCUMENTED_FILE
                .matcher(documented)
                .results()
                .map(m -> m.group(1))
                .collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        Matcher m = REPORT_PATH.matcher(yaml);
        while (m.find()) {
            if (!files.contains(m.group(1))) {
                problems.add(REPORT_COPY + "/" + m.group(1) + " is not a file a run writes (reports/README.md)");
            }
        }
        return problems;
    }

    private String read(String file) {
        try {
            return Files.readString(repo.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every map in the document, depth first. */
    private static List<Map<?, ?>> maps(Object node) {
        List<Map<?, ?>> found = new ArrayList<>();
        if (node instanceof Map<?, ?> m) {
            found.add(m);
            m.values().forEach(v -> found.addAll(maps(v)));
        } else if (node instanceof Collection<?> c) {
            c.forEach(v -> found.addAll(maps(v)));
        }
        return found;
    }

    /** A string, or the strings of a (nested) list. */
    private static List<String> strings(Object value) {
        if (value instanceof Collection<?> c) {
            return c.stream().flatMap(v -> strings(v).stream()).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
