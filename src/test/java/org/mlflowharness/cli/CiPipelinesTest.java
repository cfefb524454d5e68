package org.mlflowharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.config.HarnessConfig;

/**
 * The pipelines of docs/ci/ pass the linters of their ecosystems (actionlint; GitLab's schema) and use only what this
 * repository has (commands, options, variables, files); a deliberately broken copy of each fails each check.
 */
class CiPipelinesTest {

    private static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;

    private final CiPipelines pipelines = new CiPipelines(REPO);

    private static String read(Path file) throws IOException {
        return Files.readString(REPO.resolve(file));
    }

    /** {@code text} with {@code from} replaced by {@code to} everywhere; fails when {@code from} is not in it. */
    private static String broken(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replace(from, to);
    }

    private static Path actionlint() {
        Path go = CiLinters.go().orElse(null);
        Assumptions.assumeTrue(
                go != null,
                "Go is not installed (no go on the PATH nor /usr/local/go/bin/go): actionlint cannot be built, so "
                        + CiPipelines.GITHUB_ACTIONS + " is not linted");
        return CiLinters.actionlint(go, HarnessConfig.fromEnvironment().cacheDir(), REPO.resolve("target"));
    }

    @Test
    void theGithubWorkflowPassesActionlint() {
        assertThat(CiLinters.actionlintFindings(actionlint(), REPO.resolve(CiPipelines.GITHUB_ACTIONS)))
                .isEmpty();
    }

    @Test
    void actionlintFailsABrokenWorkflow() throws IOException {
        Path actionlint = actionlint();
        String workflow = read(CiPipelines.GITHUB_ACTIONS);
        Path badContext = Files.writeString(
                dir.resolve("bad-context.yml"),
                broken(workflow, "secrets.MLFLOW_TRACKING_URI", "secret.MLFLOW_TRACKING_URI"));
        assertThat(CiLinters.actionlintFindings(actionlint, badContext))
                .anySatisfy(f -> assertThat(f).contains("undefined variable \"secret\""));
        Path badInput = Files.writeString(
                dir.resolve("bad-input.yml"), broken(workflow, "if-no-files-found:", "if-no-file-found:"));
        assertThat(CiLinters.actionlintFindings(actionlint, badInput))
                .anySatisfy(f -> assertThat(f).contains("input \"if-no-file-found\" is not defined"));
    }

    @Test
    void theGitlabPipelineMatchesGitlabsSchema() throws IOException {
        assertThat(CiLinters.gitlabSchemaErrors(read(CiPipelines.GITLAB_CI))).isEmpty();
    }

    @Test
    void gitlabsSchemaFailsABrokenPipeline() throws IOException {
        String pipeline = read(CiPipelines.GITLAB_CI);
        assertThat(CiLinters.gitlabSchemaErrors(broken(pipeline, "when: always", "when: sometimes")))
                .anySatisfy(e -> assertThat(e).contains("artifacts").contains("when"));
        assertThat(CiLinters.gitlabSchemaErrors(broken(pipeline, "expire_in:", "expires_in:")))
                .anySatisfy(e -> assertThat(e).contains("expires_in"));
    }

    @Test
    void bothPipelinesUseOnlyWhatTheHarnessHas() throws IOException {
        for (Path file : List.of(CiPipelines.GITHUB_ACTIONS, CiPipelines.GITLAB_CI)) {
            assertThat(pipelines.problems(read(file))).as(file.toString()).isEmpty();
        }
    }

    @Test
    void aRenamedCommandOptionOrVariableFailsTheCheck() throws IOException {
        for (Path file : List.of(CiPipelines.GITHUB_ACTIONS, CiPipelines.GITLAB_CI)) {
            String text = read(file);
            assertThat(pipelines.problems(
                            broken(text, "./harness gate --stack compose", "./harness gate --stak compose")))
                    .anySatisfy(p -> assertThat(p)
                            .contains("./harness gate --stak compose")
                            .contains("--stak"));
            assertThat(pipelines.problems(
                            broken(text, "./harness gate --stack external", "./harness gate --stack externall")))
                    .anySatisfy(p -> assertThat(p).contains("externall"));
            assertThat(pipelines.problems(broken(text, "./harness gate --stack compose", "./harness gates")))
                    .anySatisfy(p -> assertThat(p).contains("gates"));
            assertThat(pipelines.problems(broken(text, "./harness docker-setup", "./harness docker-set-up")))
                    .anySatisfy(p -> assertThat(p).contains("docker-set-up"));
            assertThat(pipelines.problems(broken(text, "gate-report/summary.json", "gate-report/summary.yaml")))
                    .anySatisfy(p -> assertThat(p).contains("summary.yaml"));
        }
        String github = read(CiPipelines.GITHUB_ACTIONS);
        assertThat(pipelines.problems(broken(github, "MLFLOW_TRACKING_URI:", "MLFLOW_TRACKING_URL:")))
                .anySatisfy(p -> assertThat(p).contains("MLFLOW_TRACKING_URL is no option"));
        assertThat(pipelines.problems(broken(github, "'compose/**'", "'compose/missing.yml'")))
                .anySatisfy(p -> assertThat(p).contains("compose/missing.yml does not exist"));
        assertThat(pipelines.problems(broken(github, "path: ~/.cache/mlflow-harness", "path: ~/.cache/harness")))
                .anySatisfy(p -> assertThat(p).contains("not the harness's cache"));
        assertThat(pipelines.problems(broken(github, "\"$rc\" -ne 3", "\"$rc\" -ne 2")))
                .anySatisfy(p -> assertThat(p).contains("retries on exit code 2, not the inconclusive one (3)"));
        String gitlab = read(CiPipelines.GITLAB_CI);
        assertThat(pipelines.problems(broken(gitlab, "exit_codes: 3", "exit_codes: [1, 3]")))
                .anySatisfy(p -> assertThat(p).contains("retries on exit code 1"));
        assertThat(pipelines.problems(broken(gitlab, "HARNESS_CACHE_DIR:", "HARNESS_CACHEDIR:")))
                .anySatisfy(p -> assertThat(p).contains("HARNESS_CACHEDIR is no option"));
        assertThat(pipelines.problems(broken(gitlab, "files: [pom.xml,", "files: [pom.xmll,")))
                .anySatisfy(p -> assertThat(p).contains("pom.xmll does not exist"));
    }

    @Test
    void harnessCommandsAreFoundOnShellLines() {
        assertThat(CiPipelines.invocations("if x; then ./harness gate --stack compose; fi # ./harness up"))
                .containsExactly(List.of("gate", "--stack", "compose"));
        assertThat(CiPipelines.invocations("./harness docker-setup && ./harness test --suites auth || exit 1"))
                .containsExactly(List.of("docker-setup"), List.of("test", "--suites", "auth"));
        assertThat(CiPipelines.invocations("echo harness gate")).isEmpty();
    }
}
