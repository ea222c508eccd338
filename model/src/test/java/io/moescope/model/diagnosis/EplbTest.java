package io.moescope.model.diagnosis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The worked examples of eplb.md §9 (README example of deepseek-ai/EPLB and its variants). */
class EplbTest {

    static final double[] LAYER0 = {90, 132, 40, 61, 104, 165, 39, 4, 73, 56, 183, 86};
    static final double[] LAYER1 = {20, 107, 104, 64, 19, 197, 187, 157, 172, 86, 16, 27};

    @Test
    void readmeConfigurationMatchesThePublishedOutput() { // §9.1: R = 16, G = 4, N = 2, P = 8
        Placement l0 = Eplb.rebalance(LAYER0, 16, 4, 2, 8);
        Placement l1 = Eplb.rebalance(LAYER1, 16, 4, 2, 8);
        assertEquals("hierarchical", l0.policy());
        assertArrayEquals(new int[] {5, 6, 5, 7, 8, 4, 3, 4, 10, 9, 10, 2, 0, 1, 11, 1}, l0.phy2log());
        assertArrayEquals(new int[] {7, 10, 6, 8, 6, 11, 8, 9, 2, 4, 5, 1, 5, 0, 3, 1}, l1.phy2log());
        assertArrayEquals(new double[] {121.5, 86.5, 125, 113, 147.5, 131.5, 156, 152}, l0.gpuLoads(), 1e-9);
        assertArrayEquals(new double[] {173, 179.5, 120.5, 172, 123, 152, 118.5, 117.5}, l1.gpuLoads(), 1e-9);
        assertArrayEquals(new int[] {1, 2, 1, 1, 2, 2, 1, 1, 1, 1, 2, 1}, l0.logcnt());
        assertArrayEquals(new int[] {1, 2, 1, 1, 1, 2, 2, 1, 2, 1, 1, 1}, l1.logcnt());
        int[][] log2phy = l0.log2phy(); // slots in increasing order (eplb.md lists rank order: e1 [15,13])
        assertArrayEquals(new int[] {13, 15}, log2phy[1]);
        assertArrayEquals(new int[] {12, -1}, log2phy[0]);
        assertEquals(0.8277, l0.balancedness(), 5e-5);
        assertEquals(0.8050, l1.balancedness(), 5e-5);
        assertEquals(0.8164, (l0.balancedness() + l1.balancedness()) / 2, 5e-5);
    }

    @Test
    void trivialPlacementOfTheReadmeExample() { // slot p holds expert p mod 12: SGLang balancedness 0.450
        int[] trivial = new int[16];
        for (int p = 0; p < 16; p++) {
            trivial[p] = p % 12;
        }
        double b0 = Placement.of("trivial", LAYER0, trivial, 8).balancedness();
        double b1 = Placement.of("trivial", LAYER1, trivial, 8).balancedness();
        assertEquals(0.450, (b0 + b1) / 2, 5e-4);
    }

    @Test
    void twoNodesOfTwoGpus() { // §9.2
        Placement l0 = Eplb.rebalance(LAYER0, 16, 4, 2, 4);
        Placement l1 = Eplb.rebalance(LAYER1, 16, 4, 2, 4);
        assertArrayEquals(new int[] {5, 8, 4, 7, 5, 3, 4, 6, 10, 0, 1, 2, 10, 11, 1, 9}, l0.phy2log());
        assertArrayEquals(new int[] {7, 8, 8, 10, 6, 6, 9, 11, 2, 3, 1, 0, 5, 5, 1, 4}, l1.phy2log());
        assertArrayEquals(new double[] {211.5, 234.5, 287.5, 299.5}, l0.gpuLoads(), 1e-9);
        assertArrayEquals(new double[] {345, 300, 241.5, 269.5}, l1.gpuLoads(), 1e-9);
        assertEquals(0.8500, (l0.balancedness() + l1.balancedness()) / 2, 5e-5);
    }

    @Test
    void globalPolicyWhenNodesDoNotDivideGroups() { // §9.3: G = 4, N = 3
        Placement l0 = Eplb.rebalance(LAYER0, 16, 4, 3, 8);
        Placement l1 = Eplb.rebalance(LAYER1, 16, 4, 3, 8);
        assertEquals("global", l0.policy());
        assertArrayEquals(new int[] {10, 6, 10, 7, 0, 2, 11, 4, 5, 9, 5, 4, 8, 3, 1, 1}, l0.phy2log());
        assertArrayEquals(new int[] {1, 10, 2, 4, 5, 11, 5, 0, 6, 7, 6, 3, 8, 8, 9, 7}, l1.phy2log());
        assertArrayEquals(new double[] {130.5, 95.5, 130, 138, 138.5, 134.5, 134, 132}, l0.gpuLoads(), 1e-9);
        assertEquals(0.932, l0.balancedness(), 5e-4);
    }

    @Test
    void noRedundancy() { // §9.4: R = 12, P = 4
        Placement l0 = Eplb.rebalance(LAYER0, 12, 4, 2, 4);
        assertArrayEquals(new double[] {230, 216, 309, 278}, l0.gpuLoads(), 1e-9);
        for (int c : l0.logcnt()) {
            assertEquals(1, c);
        }
    }

    @Test
    void oneSlotPerGpuKeepsReplicationOrder() { // §9.5: R = 16, G = 4, N = 2, P = 16
        Placement l1 = Eplb.rebalance(LAYER1, 16, 4, 2, 16);
        assertArrayEquals(new int[] {6, 7, 8, 9, 10, 11, 6, 8, 3, 4, 5, 0, 1, 2, 5, 1}, l1.phy2log());
        assertEquals(16, java.util.Arrays.stream(l1.gpuLoads()).min().orElseThrow(), 1e-9);
        assertEquals(157, java.util.Arrays.stream(l1.gpuLoads()).max().orElseThrow(), 1e-9);
    }

    @Test
    void packingAndReplicationBuildingBlocks() {
        Eplb.Packing p = Eplb.pack(new double[] {5, 1, 5, 3}, 2); // 5(0)→b0, 5(2)→b1, 3→b0 (tie), 1→b1 (b0 full)
        assertArrayEquals(new int[] {0, 1, 1, 0}, p.bin());
        assertArrayEquals(new int[] {0, 1, 0, 1}, p.position());
        Eplb.Replication r = Eplb.replicate(new double[] {10, 4, 6}, 5); // 10 → /2 = 5 → 6 wins
        assertArrayEquals(new int[] {0, 1, 2, 0, 2}, r.slotToExpert());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1}, r.rank());
        assertArrayEquals(new int[] {2, 1, 2}, r.count());
    }

    @Test
    void contiguousPlacementAndInvalidShapes() {
        Placement c = Placement.contiguous(LAYER0, 4);
        assertArrayEquals(new double[] {262, 330, 116, 325}, c.gpuLoads(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Placement.contiguous(LAYER0, 5));
        assertThrows(IllegalArgumentException.class, () -> Eplb.rebalance(LAYER0, 14, 4, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> Eplb.rebalance(LAYER0, 10, 4, 2, 2));
    }
}
