package org.mlflowharness.cli;

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.mlflowharness.report.CheckOutcome;
import org.mlflowharness.report.SuiteResult;
import org.mlflowharness.report.SuiteResult.Check;

/**
 * Runs suites through the JUnit Platform Launcher, counting passed, failed and skipped tests per suite class. With
 * more than one thread, suite classes run side by side (JUnit's parallel execution by class; the tests of one class
 * stay on one thread, in their order), in the order of their {@code @Order}. JUnit hands them to a fork-join pool: the
 * other threads take suites from the front of that order, the thread that started them from its back; so the longest
 * suites stand at both ends (artifacts and tracking first, client and security last) and the stage lasts about as
 * long as its longest chain. Suites share no state: each test works in its own experiments.
 */
public final class SuiteRunner {

    static final String SUITES_PACKAGE = "org.mlflowharness.suites";

    private final Consumer<String> out;
    private final int threads;
    private final String packageName;
    private final String classPattern;
    private final List<CheckOutcome> checks = new ArrayList<>();

    /** Runs the conformance suites, classes named {@code *Suite} in {@value #SUITES_PACKAGE}, {@code threads} at a time. */
    public SuiteRunner(Consumer<String> out, int threads) {
        this(out, threads, SUITES_PACKAGE, ".*Suite");
    }

    SuiteRunner(Consumer<String> out, int threads, String packageName, String classPattern) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        this.out = out;
        this.threads = threads;
        this.packageName = packageName;
        this.classPattern = classPattern;
    }

    /** Runs every suite, or only those carrying one of {@code tags} when it is not empty. */
    public List<SuiteResult> run(List<String> tags) {
        synchronized (checks) {
            checks.clear();
        }
        Listener listener = new Listener();
        LauncherFactory.create().execute(discovery(tags), listener);
        return listener.results();
    }

    /** The tags the suites carry (their {@code @Tag}s), sorted: what {@link #run} can select. Runs nothing. */
    public List<String> tags() {
        TestPlan plan = LauncherFactory.create().discover(discovery(List.of()));
        return plan.getRoots().stream()
                .flatMap(engine -> plan.getChildren(engine).stream())
                .flatMap(suite -> suite.getTags().stream())
                .map(TestTag::getName)
                .distinct()
                .sorted()
                .toList();
    }

    private LauncherDiscoveryRequest discovery(List<String> tags) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(packageName))
                .filters(includeClassNamePatterns(classPattern))
                .configurationParameter("junit.jupiter.testclass.order.default", ORDER_BY_ANNOTATION);
        if (threads > 1) {
            request.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                    .configurationParameter(
                            "junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(threads))
                    .configurationParameter(
                            "junit.jupiter.execution.parallel.config.fixed.max-pool-size", String.valueOf(threads));
        }
        if (!tags.isEmpty()) {
            request.filters(TagFilter.includeTags(tags));
        }
        return request.build();
    }

    /** Every check of the last {@link #run}, in the order they finished. */
    public List<CheckOutcome> checks() {
        synchronized (checks) {
            return List.copyOf(checks);
        }
    }

    private void check(CheckOutcome c) {
        synchronized (checks) {
            checks.add(c);
        }
    }

    /** Suites (top-level classes) in {@code @Order}, those without one after, each group by name. */
    private static final String ORDER_BY_ANNOTATION = "org.junit.jupiter.api.ClassOrderer$OrderAnnotation";

    private final class Listener implements TestExecutionListener {
        private final Map<String, Tally> tallies = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> observed = new LinkedHashMap<>();
        private final Map<String, Long> testStarts = new HashMap<>();
        private final List<String> planned = new ArrayList<>();
        private TestPlan plan;
        private String lastSkipReason;

        @Override
        public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
            this.plan = testPlan;
            testPlan.getRoots().stream()
                    .flatMap(engine -> testPlan.getChildren(engine).stream())
                    .flatMap(id -> suiteOf(id).stream())
                    .forEach(planned::add);
        }

        @Override
        public synchronized void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                testStarts.put(id.getUniqueId(), System.nanoTime());
            }
            suiteOf(id).filter(s -> isClass(id)).ifPresent(s -> {
                out.accept("suite " + s + " ...");
                tally(s, id).startNanos = System.nanoTime();
            });
        }

        /** What a test reports through JUnit's {@code TestReporter} (an observed behaviour of the stack) is printed. */
        @Override
        public synchronized void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            suiteOf(id)
                    .ifPresent(s -> entry.getKeyValuePairs().forEach((k, v) -> {
                        out.accept("  note " + s + " " + k + ": " + v);
                        observed.computeIfAbsent(id.getUniqueId(), x -> new java.util.TreeMap<>())
                                .put(k, v);
                    }));
        }

        @Override
        public synchronized void executionSkipped(TestIdentifier id, String reason) {
            suiteOf(id).ifPresent(s -> {
                if (isClass(id)) {
                    tally(s, id).checks.add(Check.skipped("(whole suite)", reason));
                    tally(s, id).skipped += Math.max(1, (int) plan.getDescendants(id).stream()
                            .filter(TestIdentifier::isTest)
                            .count());
                } else if (id.isTest() || id.isContainer()) {
                    long n = id.isTest()
                            ? 1
                            : plan.getDescendants(id).stream()
                                    .filter(TestIdentifier::isTest)
                                    .count();
                    tally(s, id).skipped += (int) Math.max(1, n);
                    tally(s, id).checks.add(Check.skipped(name(id), reason));
                    check(new CheckOutcome(s, name(id), "skipped", reason, Map.of()));
                    printSkip(s + " > " + name(id), reason);
                }
            });
        }

        /** A skip and its reason; the same reason again (every test after a component went down) is printed once. */
        private void printSkip(String test, String reason) {
            if (!reason.equals(lastSkipReason)) {
                out.accept("  skipped " + test + ": " + reason
                        + (reason.startsWith("not run: ") ? " (and the tests after it)" : ""));
            }
            lastSkipReason = reason;
        }

        @Override
        public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
            suiteOf(id).ifPresent(s -> {
                Tally t = tally(s, id);
                String reason = result.getThrowable()
                        .map(SuiteRunner::reason)
                        .orElse(result.getStatus().toString());
                if (isClass(id)) {
                    t.seconds = (System.nanoTime() - t.startNanos) / 1e9;
                    if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                        t.failed++;
                        t.checks.add(Check.failed("(suite setup)", reason));
                    }
                    out.accept(String.format(
                            "suite %s: %d passed, %d failed, %d skipped in %.1f s",
                            s, t.passed, t.failed, t.skipped, t.seconds));
                    return;
                }
                if (!id.isTest()) {
                    if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                        t.failed++;
                        t.checks.add(Check.failed(name(id), reason));
                    }
                    return;
                }
                check(new CheckOutcome(
                        s,
                        name(id),
                        switch (result.getStatus()) {
                            case SUCCESSFUL -> "passed";
                            case ABORTED -> "skipped";
                            case FAILED -> "failed";
                        },
                        result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? null : reason,
                        observed.getOrDefault(id.getUniqueId(), Map.of())));
                Long started = testStarts.remove(id.getUniqueId());
                double seconds = started == null ? 0 : Math.round((System.nanoTime() - started) / 1e6) / 1000.0;
                switch (result.getStatus()) {
                    case SUCCESSFUL -> {
                        t.passed++;
                        t.checks.add(new Check(name(id), Check.PASSED, seconds, null));
                    }
                    case ABORTED -> {
                        t.skipped++;
                        t.checks.add(new Check(name(id), Check.SKIPPED, seconds, reason));
                        printSkip(s + " > " + name(id), reason);
                    }
                    case FAILED -> {
                        t.failed++;
                        t.checks.add(new Check(name(id), Check.FAILED, seconds, reason));
                        out.accept("  FAILED " + s + " > " + name(id) + ": " + reason);
                    }
                }
            });
        }

        private String name(TestIdentifier id) {
            List<String> parts = new ArrayList<>();
            TestIdentifier cur = id;
            while (cur != null && !isClass(cur)) {
                parts.add(0, cur.getDisplayName());
                cur = plan.getParent(cur).orElse(null);
            }
            return String.join(" > ", parts);
        }

        private Optional<String> suiteOf(TestIdentifier id) {
            TestIdentifier cur = id;
            while (cur != null) {
                if (isClass(cur)) {
                    return Optional.of(
                            ((ClassSource) cur.getSource().get()).getJavaClass().getSimpleName());
                }
                cur = plan.getParent(cur).orElse(null);
            }
            return Optional.empty();
        }

        /** A suite's own class; its {@code @Nested} classes are groups inside the suite, not suites. */
        private boolean isClass(TestIdentifier id) {
            return id.getSource()
                    .filter(ClassSource.class::isInstance)
                    .map(ClassSource.class::cast)
                    .filter(c -> c.getJavaClass().getEnclosingClass() == null)
                    .isPresent();
        }

        private Tally tally(String suite, TestIdentifier id) {
            return tallies.computeIfAbsent(suite, k -> new Tally(tagOf(id)));
        }

        private String tagOf(TestIdentifier id) {
            TestIdentifier cur = id;
            while (cur != null && !isClass(cur)) {
                cur = plan.getParent(cur).orElse(null);
            }
            return cur == null
                    ? ""
                    : String.join(
                            ",", cur.getTags().stream().map(t -> t.getName()).toList());
        }

        /** In the plan's order (that of their {@code @Order}), whichever finished first. */
        synchronized List<SuiteResult> results() {
            return tallies.entrySet().stream()
                    .sorted(Comparator.comparingInt(e -> planned.indexOf(e.getKey())))
                    .map(e -> e.getValue().toResult(e.getKey()))
                    .toList();
        }
    }

    private static final class Tally {
        final String tag;
        int passed;
        int failed;
        int skipped;
        long startNanos;
        double seconds;
        final List<Check> checks = new ArrayList<>();

        Tally(String tag) {
            this.tag = tag;
        }

        SuiteResult toResult(String suite) {
            return new SuiteResult(suite, tag, passed, failed, skipped, Math.round(seconds * 10) / 10.0, checks);
        }
    }

    static String reason(Throwable t) {
        String msg = String.valueOf(t.getMessage()).strip().replaceAll("\\s+", " ");
        return t.getClass().getSimpleName() + ": " + (msg.length() > 600 ? msg.substring(0, 600) + "..." : msg);
    }
}
