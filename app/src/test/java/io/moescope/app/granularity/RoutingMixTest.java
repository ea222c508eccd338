package io.moescope.app.granularity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moescope.model.trace.ModelShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Combination counts and weight shares per rank on a hand-made routing (numbers worked out by hand). */
class RoutingMixTest {

    static PromptRouting routing() {
        ModelShape shape = new ModelShape("deepseek", 2, new int[] {1}, 6, 0, 2, 10);
        int[][][] experts = {{{3, 1}, {1, 3}, {0, 5}, {2, 4}}};
        float[][][] weights = {{{0.5f, 0.5f}, {0.9f, 0.1f}, {0.3f, 0.7f}, {0.6f, 0.4f}}};
        return new PromptRouting(shape, List.of("a", "b", "c", "d"), new int[] {1}, experts, weights);
    }

    @Test
    void countsDistinctSetsMostFrequentFirst() {
        List<RoutingMix.Combination> c = RoutingMix.combinations(routing(), 0);
        assertEquals(3, c.size(), "{1,3} twice, {0,5}, {2,4}");
        assertArrayEquals(new int[] {1, 3}, c.get(0).experts());
        assertEquals(2, c.get(0).count());
        assertEquals("e0+e5", c.get(1).label(), "ties keep the order they first appear in");
        assertEquals(15, GranularityCharts.possibleSets(routing()), "C(6, 2)");
        assertEquals(
                "3 distinct expert sets for 4 tokens (15 possible) · e1+e3 ×2, e0+e5 ×1, e2+e4 ×1",
                GranularityCharts.combinations(routing(), 0));
    }

    @Test
    void sharesPerRankSortByWeight() {
        float[] s = RoutingMix.rankShares(routing());
        // heaviest: 0.5, 0.9, 0.7, 0.6 → mean 0.675; second: 0.5, 0.1, 0.3, 0.4 → 0.325
        assertArrayEquals(new float[] {0.675f, 0.325f}, s, 1e-6f);
        assertEquals(0.325f, GranularityCharts.sharedBeyondFirst(routing()), 1e-6f);
    }

    @Test
    void routingGridHoldsTheGateWeightsOfTheChosenExperts() {
        var grid = GranularityCharts.routing(routing(), 0);
        assertEquals(4, grid.rows());
        assertEquals(6, grid.cols());
        assertEquals(0.5f, grid.values()[0 * 6 + 3]);
        assertEquals(0.7f, grid.values()[2 * 6 + 5]);
        assertEquals(0f, grid.values()[3 * 6 + 0]);
    }
}
