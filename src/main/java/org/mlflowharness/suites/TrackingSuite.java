package org.mlflowharness.suites;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.mlflowharness.suites.support.Scratch;
import org.mlflowharness.suites.support.StackSuite;
import org.mlflowharness.suites.tracking.ErrorChecks;
import org.mlflowharness.suites.tracking.ExactValueChecks;
import org.mlflowharness.suites.tracking.ExperimentChecks;
import org.mlflowharness.suites.tracking.LogBatchChecks;
import org.mlflowharness.suites.tracking.MetricChecks;
import org.mlflowharness.suites.tracking.OverLongChecks;
import org.mlflowharness.suites.tracking.ParamChecks;
import org.mlflowharness.suites.tracking.RunChecks;
import org.mlflowharness.suites.tracking.RunTagChecks;

/**
 * The tracking API through nginx against the real database: experiments, runs, params, metrics, tags, log-batch
 * limits, error codes, unicode, names differing only in case, over-long values and keys, exact values.
 * Every test creates its own uniquely named experiment(s) through its {@link Scratch}, which deletes them afterwards
 * (MLflow soft-deletes). Each group's checks are in its own class of {@code org.mlflowharness.suites.tracking}; this
 * class names the groups, so reports show them as groups of this suite.
 */
@StackSuite
@Order(2)
@Tag("tracking")
@DisplayName("tracking: experiments, runs, params, metrics, tags, log-batch limits, error codes, exact values")
class TrackingSuite {

    @Nested
    @DisplayName("experiments")
    class Experiments extends ExperimentChecks {}

    @Nested
    @DisplayName("runs")
    class Runs extends RunChecks {}

    @Nested
    @DisplayName("params")
    class Params extends ParamChecks {}

    @Nested
    @DisplayName("metrics")
    class Metrics extends MetricChecks {}

    @Nested
    @DisplayName("run tags")
    class RunTags extends RunTagChecks {}

    @Nested
    @DisplayName("over-long params and tags")
    class OverLong extends OverLongChecks {}

    @Nested
    @DisplayName("log-batch limits")
    class LogBatch extends LogBatchChecks {}

    @Nested
    @DisplayName("exact values")
    class Exact extends ExactValueChecks {}

    @Nested
    @DisplayName("errors")
    class Errors extends ErrorChecks {}
}
