package org.mlflowharness.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mlflowharness.model.Answer;

class BreakerTest {

    private final AtomicLong now = new AtomicLong();
    private final Breaker breaker = new Breaker(now::get);

    private static final Answer REFUSED = Answer.none("Connection refused");

    @Test
    void tripsOnARunOfTheSameCauseWithNothingServedForAWhile() {
        assertThat(breaker.observe(REFUSED)).isEmpty();
        assertThat(breaker.observe(REFUSED)).isEmpty();
        assertThat(breaker.observe(REFUSED))
                .as("3 in a row, but something was served a moment ago")
                .isEmpty();
        now.addAndGet(Breaker.QUIET.toNanos());
        assertThat(breaker.observe(REFUSED)).hasValueSatisfying(d -> {
            assertThat(d.component()).isEqualTo("nginx");
            assertThat(d.getMessage())
                    .contains("4 consecutive requests failed with connection refused and nothing was served for 10 s");
        });
    }

    @Test
    void anAnswerFromTheStackOrAnotherCauseStartsOver() {
        breaker.observe(REFUSED);
        breaker.observe(REFUSED);
        breaker.observe(Answer.of(404, "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\"}"));
        now.addAndGet(Breaker.QUIET.toNanos());
        assertThat(breaker.observe(REFUSED)).isEmpty();
        assertThat(breaker.observe(Answer.of(502, ""))).as("another cause").isEmpty();
        assertThat(breaker.observe(Answer.none("Read timed out")))
                .as("a timeout says nothing")
                .isEmpty();
        assertThat(breaker.observe(Answer.of(502, ""))).isEmpty();
        assertThat(breaker.observe(Answer.of(502, ""))).isPresent();
    }
}
