package org.mlflowharness.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The --load-fault option's forms, and how Gatling's reasons for requests without a response are picked up. */
class MetricRowFaultTest {

    @Test
    void acceptsOnlyDeleteMetricRowsWithAPositiveCount() {
        assertThat(MetricRowFault.parse("")).isEmpty();
        assertThat(MetricRowFault.parse(null)).isEmpty();
        assertThat(MetricRowFault.parse("delete-metric-rows=5")).contains(new MetricRowFault(5));
        assertThatThrownBy(() -> MetricRowFault.parse("delete-metric-row=5"))
                .hasMessageContaining("use delete-metric-rows=N");
        assertThatThrownBy(() -> MetricRowFault.parse("delete-metric-rows=x"))
                .hasMessageContaining("use delete-metric-rows=N");
        assertThatThrownBy(() -> MetricRowFault.parse("delete-metric-rows=0")).hasMessageContaining("deletes nothing");
    }

    @Test
    void noResponseKeepsGatlingsLastReasonPerUser() {
        NoResponse.attach();
        NoResponse reasons = NoResponse.reasons();
        Logger gatling = (Logger) LoggerFactory.getLogger("io.gatling.http.engine.response.DefaultStatsProcessor");
        assertThat(LoggerFactory.getLogger("io.gatling.http.engine.response").isDebugEnabled())
                .as("Gatling's HTTP tracing (every response body kept for a dump) stays off")
                .isFalse();
        reasons.forget(41);
        assertThat(reasons.of(41)).isEqualTo("unknown");
        gatling.callAppenders(
                new LoggingEvent(Logger.FQCN, gatling, Level.DEBUG, NoResponse.FAILED, null, new Object[] {
                    "PUT artifact 4GiB", 41L, "Request timeout to localhost/127.0.0.1:15000 after 600000 ms"
                }));
        assertThat(reasons.of(41)).contains("after 600000 ms");
        assertThat(RequestRecorder.noResponse(reasons.of(41))).isEqualTo("no response (timeout)");
        reasons.forget(41);
        assertThat(reasons.of(41))
                .as("forgotten before the user's next request")
                .isEqualTo("unknown");
    }
}
