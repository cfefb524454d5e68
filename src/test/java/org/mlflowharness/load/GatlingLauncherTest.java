package org.mlflowharness.load;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class GatlingLauncherTest {

    @Test
    void loggingIsConfiguredAgainAfterGatlingStopsLogbacksContext() {
        org.slf4j.Logger wire = LoggerFactory.getLogger("org.apache.hc.client5.http.wire");
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();   // what Gatling does when a run ends
        assertThat(wire.isDebugEnabled()).as("a stopped context leaves every logger at DEBUG").isTrue();
        GatlingLauncher.restoreLogging();
        assertThat(wire.isDebugEnabled()).as("logback-test.xml again: WARN").isFalse();
        assertThat(wire.isWarnEnabled()).isTrue();
    }
}
