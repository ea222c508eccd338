package io.moescope.model.diagnosis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Load statistics on hand-checkable counts. */
class BalanceMetricsTest {

    @Test
    void uniformLoad() {
        LoadStats s = BalanceMetrics.of(new long[] {2, 2, 2, 2});
        assertEquals(1, s.maxMean(), 1e-12);
        assertEquals(1, s.minMean(), 1e-12);
        assertEquals(0, s.cv(), 1e-12);
        assertEquals(1, s.balancedness(), 1e-12);
        assertEquals(0, s.maxVio(), 1e-12);
        assertEquals(1, s.loadEntropy(), 1e-12);
        assertEquals(0, s.gini(), 1e-12);
        assertArrayEquals(new int[0], s.dead());
        assertArrayEquals(new int[0], s.hot());
        assertArrayEquals(new double[] {.25, .25, .25, .25}, s.share(), 1e-12);
    }

    @Test
    void collapseOntoTwoOfFour() { // counts 4 4 0 0: mean 2, std 2
        LoadStats s = BalanceMetrics.of(new long[] {4, 4, 0, 0});
        assertEquals(2, s.maxMean(), 1e-12);
        assertEquals(0, s.minMean(), 1e-12);
        assertEquals(1, s.cv(), 1e-12);
        assertEquals(0.5, s.balancedness(), 1e-12);
        assertEquals(1, s.maxVio(), 1e-12);
        assertEquals(0.5, s.loadEntropy(), 1e-12); // ln 2 / ln 4
        assertEquals(0.5, s.gini(), 1e-12); // Σ|xi−xj| = 8 pairs · 4 = 32; / (2·16·2)
        assertArrayEquals(new int[] {2, 3}, s.dead());
        assertArrayEquals(new int[] {0, 1}, s.hot());
    }

    @Test
    void everythingOnOneExpert() {
        LoadStats s = BalanceMetrics.of(new long[] {0, 8, 0, 0});
        assertEquals(4, s.maxMean(), 1e-12);
        assertEquals(0.25, s.balancedness(), 1e-12);
        assertEquals(0, s.loadEntropy(), 1e-12);
        assertEquals(0.75, s.gini(), 1e-12); // (E−1)/E
        assertEquals(Math.sqrt(3), s.cv(), 1e-12); // deviations 6,−2,−2,−2: var 12 → std √12 / 2
    }

    @Test
    void oneDeadExpert() { // counts 2 2 2 0: mean 1.5
        LoadStats s = BalanceMetrics.of(new long[] {2, 2, 2, 0});
        assertEquals(4.0 / 3, s.maxMean(), 1e-12);
        assertEquals(0.75, s.balancedness(), 1e-12);
        assertEquals(Math.sqrt(0.75) / 1.5, s.cv(), 1e-12);
        assertEquals(Math.log(3) / Math.log(4), s.loadEntropy(), 1e-12);
        assertEquals(0.25, s.gini(), 1e-12);
        assertArrayEquals(new int[] {3}, s.dead());
        assertArrayEquals(new int[0], s.hot());
    }

    @Test
    void emptyLoadIsBalanced() {
        // the one empty-layer convention, for CLI, report and window alike: nothing routed is perfectly even
        // (max/mean = min/mean = balancedness = entropy = 1, cv = gini = maxVio = 0), every expert dead, none hot
        LoadStats s = BalanceMetrics.of(new long[3]);
        assertEquals(1, s.balancedness(), 0);
        assertEquals(1, s.maxMean(), 0);
        assertEquals(1, s.minMean(), 0);
        assertEquals(0, s.cv(), 0);
        assertEquals(1, s.loadEntropy(), 0);
        assertEquals(0, s.gini(), 0);
        assertEquals(0, s.maxVio(), 0);
        assertEquals(0, s.total());
        assertArrayEquals(new int[] {0, 1, 2}, s.dead());
        assertArrayEquals(new int[0], s.hot());
    }

    @Test
    void jensenShannonInBits() {
        assertEquals(1, BalanceMetrics.jensenShannon(new double[] {1, 0}, new double[] {0, 1}), 1e-12);
        assertEquals(0, BalanceMetrics.jensenShannon(new double[] {1, 3}, new double[] {2, 6}), 1e-12);
        // p = (1/2, 1/2), q = (1, 0): m = (3/4, 1/4); JS = H(m) − H(p)/2 − 0 = 0.811278 − 0.5 bits
        assertEquals(0.3112781244591328, BalanceMetrics.jensenShannon(new double[] {1, 1}, new double[] {1, 0}), 1e-12);
    }
}
