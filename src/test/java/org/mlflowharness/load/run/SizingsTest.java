package org.mlflowharness.load.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.load.Profile;
import org.mlflowharness.model.load.LoadFixtures;
import org.mlflowharness.model.load.SteppedResult;

class SizingsTest {

    @Test
    void workersNeededAreTheTargetOverTheRatePerWorkerRoundedUp() {
        SteppedResult.Step best = LoadFixtures.step(
                100, 20, 1000.0, 900.0, null, LoadFixtures.requests(300, 10, 20, 30, 40, 20, Map.of()), null);
        SteppedResult.Sizing z = Sizings.of(new Profile.Target(50, 20, 4), best);
        assertThat(z.pointsPerSecondPerWorker()).isEqualTo(225.0);
        assertThat(z.workersNeeded()).as("1000 / 225 rounded up").isEqualTo(5);
        assertThat(z.headroomPct()).isEqualTo(-10.0);
        SteppedResult.Sizing none = Sizings.of(new Profile.Target(50, 20, 4), null);
        assertThat(none.workersNeeded()).isNull();
        assertThat(none.basis()).contains("no step met the SLO");
        assertThat(List.of(z.targetPointsPerSecond())).containsExactly(1000.0);
    }
}
