package org.mlflowharness.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.report.CheckOutcome;

class BehaviourDiffTest {

    private static CheckOutcome check(String test, String outcome, Map<String, String> observed) {
        return new CheckOutcome("TrackingSuite", test, outcome, outcome.equals("passed") ? null : "why", observed);
    }

    @Test
    void listsOutcomeAndObservedValueDifferencesButNotRunSpecificIds() {
        List<CheckOutcome> a = List.of(
                check("limits", "passed", Map.of("long param", "7000 chars rejected with 400")),
                check("nan", "passed", Map.of("infinity", "clamped")),
                check(
                        "same",
                        "passed",
                        Map.of("run", "run 0123456789abcdef0123456789abcdef in harness-x-1764220000000-3f9a1")),
                check("broken", "passed", Map.of()),
                check("fixed", "failed", Map.of()),
                check("old", "passed", Map.of()));
        List<CheckOutcome> b = List.of(
                check("limits", "passed", Map.of("long param", "7000 chars accepted and truncated to 6000")),
                check("nan", "passed", Map.of("infinity", "clamped")),
                check(
                        "same",
                        "passed",
                        Map.of("run", "run fedcba9876543210fedcba9876543210 in harness-x-1764220099999-0b2c4")),
                check("broken", "failed", Map.of()),
                check("fixed", "passed", Map.of()),
                check("new", "passed", Map.of()));
        List<BehaviourDiff.Difference> d = BehaviourDiff.of(a, b);
        assertThat(d)
                .extracting(BehaviourDiff.Difference::check, BehaviourDiff.Difference::kind)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("limits [long param]", "observed value differs"),
                        org.assertj.core.groups.Tuple.tuple("broken", "REGRESSION"),
                        org.assertj.core.groups.Tuple.tuple("fixed", "fixed"),
                        org.assertj.core.groups.Tuple.tuple("old", "only on baseline"),
                        org.assertj.core.groups.Tuple.tuple("new", "only on candidate"));
        assertThat(BehaviourDiff.regressions(d)).isEqualTo(1);
    }

    @Test
    void checkNamesWithRunSpecificPathsAndAddressesAreMatched() {
        // names seen in a real 3.16.1 vs 3.17.2 compare: random artifact paths and the client suite's
        // namespace addresses
        List<CheckOutcome> a = List.of(
                check(
                        "401 from the proxy > /34b2258a-0d48-4b47-a69f-9267cb1a9a80/022aad2c-e438-4a82-be27-d659d8dfb4a1.json",
                        "passed",
                        Map.of()),
                check("cannot reach the database at 169.254.199.33:41757 directly", "passed", Map.of()));
        List<CheckOutcome> b = List.of(
                check(
                        "401 from the proxy > /e005602b-e9c4-4824-a708-c1ed0d99a2b1/f39ae1bf-ea61-4508-8ad1-1be7a6f83ec1.json",
                        "passed",
                        Map.of()),
                check("cannot reach the database at 169.254.148.153:34745 directly", "passed", Map.of()));
        assertThat(BehaviourDiff.of(a, b)).isEmpty();
    }

    @Test
    void theSameRunTwiceHasNoDifference() {
        List<CheckOutcome> a = List.of(check("x", "passed", Map.of("k", "v")), check("y", "skipped", Map.of()));
        assertThat(BehaviourDiff.of(a, a)).isEmpty();
    }
}
