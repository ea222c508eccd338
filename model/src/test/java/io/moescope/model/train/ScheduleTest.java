package io.moescope.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static TrainOptions run(int steps) {
        return TrainOptions.defaults(Path.of("c"), Path.of("o"), BalanceConfig.none(), steps);
    }

    @Test
    void shorteningDuringTheStablePhaseDoesNotChangeThePast() {
        TrainOptions longRun = run(1000);
        TrainOptions shortRun = run(400);
        for (int s = 1; s <= shortRun.decayStart(); s++) {
            assertEquals(longRun.lrAt(s), shortRun.lrAt(s), 0.0, "step " + s);
        }
        assertEquals(3e-4, shortRun.lrAt(400), 1e-12, "decays to 10 %");
        assertEquals(3e-3 / 50, shortRun.lrAt(1), 1e-12, "linear warm-up");
        assertEquals(320, shortRun.decayStart());
    }

    @Test
    void biasStepIsConstantThenDecaysToZero() {
        TrainOptions o = run(1000);
        assertEquals(1.0, o.gammaFactorAt(1), 0.0, "no warm-up for the bias");
        assertEquals(1.0, o.gammaFactorAt(o.decayStart()), 0.0);
        assertEquals(0.0, o.gammaFactorAt(1000), 1e-12, "settles: no bias step at the last step");
        assertEquals(0.5, o.gammaFactorAt(900), 1e-12, "halfway through the decay phase (801..1000)");
    }

    @Test
    void parsesBalanceModes() {
        assertEquals(BalanceMode.AUX_FREE, BalanceMode.parse("aux-free"));
        assertEquals(BalanceMode.NONE, BalanceMode.parse("NONE"));
        assertThrows(IllegalArgumentException.class, () -> BalanceMode.parse("sometimes"));
    }
}
