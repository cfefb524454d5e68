package org.mlflowharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class RunLogTest {

    @AfterEach
    void backToTheDefault() {
        RunLog.to(null);
    }

    @Test
    void loggingIsConfiguredAgainAfterGatlingStopsLogbacksContext() {
        org.slf4j.Logger wire = LoggerFactory.getLogger("org.apache.hc.client5.http.wire");
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop(); // what Gatling does when a run ends
        assertThat(wire.isDebugEnabled())
                .as("a stopped context leaves every logger at DEBUG")
                .isTrue();
        RunLog.reconfigure();
        assertThat(wire.isDebugEnabled()).as("logback.xml again: WARN").isFalse();
        assertThat(wire.isWarnEnabled()).isTrue();
    }

    @Test
    void libraryLogsAndConsoleOutputGoToTheRunsLogFileNotTheConsole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run/harness.log");
        RunLog.to(file);
        LoggerFactory.getLogger("io.qameta.allure.AllureLifecycle")
                .error("Could not add attachment: no test is running");
        java.util.logging.Logger.getLogger("org.apache.http.impl.client.DefaultHttpClient")
                .warning("I/O exception caught");
        try (var s = RunLog.stream()) {
            s.println("---- Requests ---- (a Gatling table)");
        }
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop(); // flushes the file appender
        assertThat(Files.readString(file))
                .contains("ERROR i.q.a.AllureLifecycle - Could not add attachment")
                .contains("(a Gatling table)")
                .contains("WARN  o.a.h.i.c.DefaultHttpClient - I/O exception caught");
        assertThat(RunLog.file()).isEqualTo(file.toAbsolutePath());
    }
}
