package org.mlflowharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflowharness.report.SuiteResult;
import org.mlflowharness.report.SuiteResult.Problem;

class SuiteRunnerTest {

    private final List<String> printed = new ArrayList<>();
    private final SuiteRunner runner = new SuiteRunner(printed::add, 1, "org.mlflowharness.cli.fixtures", ".*Fixture");

    @Test
    void countsPassedFailedAndSkippedPerSuiteWithReasons() {
        List<SuiteResult> results = runner.run(List.of());
        SuiteResult mixed = results.stream()
                .filter(r -> r.suite().equals("MixedFixture"))
                .findFirst()
                .orElseThrow();
        assertThat(mixed.passed()).as("passes + 3 parameterized").isEqualTo(4);
        assertThat(mixed.failed()).isEqualTo(1);
        assertThat(mixed.skipped()).as("aborted + disabled").isEqualTo(2);
        assertThat(mixed.tag()).isEqualTo("mixed");
        assertThat(mixed.failures()).extracting(Problem::test).containsExactly("fails()");
        assertThat(mixed.failures().get(0).reason()).contains("fixture failure");
        assertThat(mixed.skips())
                .extracting(Problem::reason)
                .anySatisfy(r -> assertThat(r).contains("no S3 endpoint given"))
                .anySatisfy(r -> assertThat(r).contains("not on this stack"));

        SuiteResult skipped = results.stream()
                .filter(r -> r.suite().equals("SkippedFixture"))
                .findFirst()
                .orElseThrow();
        assertThat(skipped.skipped()).as("both tests of a disabled suite").isEqualTo(2);
        assertThat(skipped.skips()).extracting(Problem::reason).containsExactly("needs Docker");
        assertThat(printed)
                .anySatisfy(l -> assertThat(l).startsWith("suite MixedFixture: 4 passed, 1 failed, 2 skipped"));
    }

    @Test
    void aNestedGroupInheritingItsChecksIsAGroupOfItsSuite() {
        List<SuiteResult> results = runner.run(List.of("grouped"));
        assertThat(results).extracting(SuiteResult::suite).containsExactly("GroupedFixture");
        assertThat(results.get(0).passed())
                .as("the inherited check, its @BeforeEach run")
                .isEqualTo(1);
        assertThat(runner.checks()).extracting(c -> c.test()).containsExactly("group > an inherited check");
    }

    @Test
    void tagsAreThoseTheSuitesCarry() {
        assertThat(runner.tags()).containsExactly("grouped", "mixed", "skipped");
        assertThat(printed).as("nothing was run").isEmpty();
    }

    @Test
    void selectsByTag() {
        assertThat(runner.run(List.of("skipped")))
                .extracting(SuiteResult::suite)
                .containsExactly("SkippedFixture");
    }

    @Test
    void withTwoThreadsSuitesRunSideBySideAndAreReportedInTheirOrder() {
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        SuiteRunner parallel = new SuiteRunner(lines::add, 3, "org.mlflowharness.cli.fixtures", ".*SideBySide");
        List<SuiteResult> results = parallel.run(List.of());
        assertThat(results)
                .as("the suites met each other (one at a time, the first would wait 20 s and fail), the @Isolated one "
                        + "ran alone; reported in @Order")
                .extracting(SuiteResult::suite, SuiteResult::passed, SuiteResult::failed)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("SecondSideBySide", 2, 0),
                        org.assertj.core.groups.Tuple.tuple("FirstSideBySide", 1, 0),
                        org.assertj.core.groups.Tuple.tuple("AloneSideBySide", 1, 0));
        assertThat(parallel.checks()).hasSize(4);
    }
}
