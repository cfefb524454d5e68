package org.mlflowharness.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mlflowharness.model.load.SteppedResult;

class ArrivalsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void anArrivalWhileTheMaximumIsUnansweredIsNotSentAndCounted() {
        Arrivals a = new Arrivals(10, 2);
        assertThat(a.arrive(0)).isZero();
        assertThat(a.arrive(SECOND / 10)).isEqualTo(1);
        assertThat(a.arrive(2 * SECOND / 10))
                .as("two unanswered: the third is not sent")
                .isEqualTo(-1);
        a.done();
        assertThat(a.arrive(3 * SECOND / 10))
                .as("one answered: the next one goes")
                .isEqualTo(3);
        SteppedResult.Arrivals r = a.result(4);
        assertThat(r.planned()).isEqualTo(4);
        assertThat(r.sent()).isEqualTo(3);
        assertThat(r.notSent()).isEqualTo(1);
        assertThat(r.startedLate()).isZero();
        assertThat(r.maxInFlight()).isEqualTo(2);
    }

    @Test
    void anArrivalOverASecondBehindItsPlannedTimeIsLateAndOnesNeverStartedAreNotSent() {
        Arrivals a = new Arrivals(10, 100);
        a.arrive(0);
        a.arrive(SECOND / 10 + SECOND / 2); // half a second behind: on time enough
        a.arrive(2 * SECOND / 10 + 2 * SECOND); // two seconds behind: the injector fell behind
        SteppedResult.Arrivals r = a.result(10);
        assertThat(r.startedLate()).isEqualTo(1);
        assertThat(r.sent()).isEqualTo(3);
        assertThat(r.notSent()).as("7 planned arrivals never started").isEqualTo(7);
    }
}
