package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which server runs MLflow's workers, and so which worker timeout the native stack passes. */
class MlflowServerTest {

    @Test
    void releasesBeforeThreeServeWithGunicorn() {
        assertThat(MlflowServer.servedByGunicorn("2.22.5")).isTrue();
        assertThat(MlflowServer.servedByGunicorn("1.30.1")).isTrue();
        assertThat(MlflowServer.servedByGunicorn("3.0.1")).isFalse();
        assertThat(MlflowServer.servedByGunicorn("3.17.2")).isFalse();
    }
}
