package org.mlflowharness.suites.tracking;

import org.junit.jupiter.api.BeforeEach;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.suites.support.Scratch;

/**
 * What every group of the tracking suite shares: the client of the stack under test and the test's {@link Scratch},
 * through which each test creates its own uniquely named experiment(s), deleted afterwards (MLflow soft-deletes).
 */
abstract class TrackingChecks {

    MlflowClient mlflow;
    Scratch scratch;

    @BeforeEach
    void setUp(MlflowClient client, Scratch scratch) {
        this.mlflow = client;
        this.scratch = scratch;
    }

    /** An experiment under a unique name, deleted after the test. */
    String experiment(String what) {
        return scratch.experiment("tracking-" + what);
    }

    String run(String experimentId) {
        return mlflow.createRun(experimentId).getString("run_id");
    }

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }
}
