package io.moescope.model.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** ERNIE 4.5's normalisation: the chosen softmax values ÷ max(their sum, moe_norm_min), a clamp, not an epsilon. */
class NormFloorRoutingTest {

    /** logits whose softmax puts 0.9 of the mass outside the chosen pair once the bias overrides the selection. */
    private static final float[] LOGITS = {3f, 0f, 0f, -1f};

    private static final float[] BIAS = {-1f, 0.5f, 0.4f, 0f};

    @Test
    void sumBelowTheFloorDividesByTheFloor() {
        RoutingRule rule = new RoutingRule(true, "greedy", 1, 1, 2, true, 1.0, false, false, 0.5);
        Route r = new Router(rule, BIAS, 4).route(LOGITS, 0, Set.of(), null, 0);
        assertArrayEquals(new int[] {1, 2}, r.experts());
        float[] s = r.scores();
        assertArrayEquals(new float[] {s[1] / 0.5f, s[2] / 0.5f}, r.weights(), 1e-6f);
    }

    @Test
    void sumAboveTheFloorIsAPlainRenormalisation() {
        RoutingRule rule = new RoutingRule(true, "greedy", 1, 1, 2, true, 1.0, false, false, 1e-12);
        Route r = new Router(rule, BIAS, 4).route(LOGITS, 0, Set.of(), null, 0);
        float[] s = r.scores();
        float sum = s[1] + s[2];
        assertArrayEquals(new float[] {s[1] / sum, s[2] / sum}, r.weights(), 1e-6f);
    }
}
