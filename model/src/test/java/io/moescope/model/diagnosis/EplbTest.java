package io.moescope.model.diagnosis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void policyIsHierarchicalOnlyForRealGroupsThatTheNodesDivide() {
        assertEquals("hierarchical", Eplb.policy(4, 2));
        assertEquals("hierarchical", Eplb.policy(8, 1), "one node: groups are visited by load, as vLLM does");
        assertEquals("hierarchical", Eplb.policy(8, 8));
        assertEquals("global", Eplb.policy(4, 3), "eplb.md §9.3");
        assertEquals("global", Eplb.policy(2, 4), "fewer groups than nodes");
        assertEquals("global", Eplb.policy(1, 1), "no groups: global, even though G % N == 0");
        Placement noGroups = Eplb.rebalance(LAYER0, 16, 1, 1, 8);
        assertEquals("global", noGroups.policy());
        assertArrayEquals(Eplb.global(LAYER0, 16, 8).phy2log(), noGroups.phy2log());
    }

    @Test
    void groupLocalityCostsBalanceInAHandCheckedCase() {
        // E = 4 in G = 2 groups {0,1} (load 16) and {2,3} (load 4); N = 2 nodes of one GPU each, no redundancy.
        double[] w = {9, 7, 1, 3};
        Placement hier = Eplb.rebalance(w, 4, 2, 2, 2);
        assertEquals("hierarchical", hier.policy());
        // Groups → nodes: one group per node, identity (capacity 1). Inside a node's single GPU the copies are
        // packed heaviest first: node 0 = [9 (e0), 7 (e1)], node 1 = [3 (e3), 1 (e2)].
        assertArrayEquals(new int[] {0, 1, 3, 2}, hier.phy2log());
        assertArrayEquals(new double[] {16, 4}, hier.gpuLoads(), 0);
        assertEquals(10.0 / 16, hier.balancedness(), 1e-12);
        // Global: 9 → GPU0, 7 → GPU1, 3 → GPU1 (7 < 9), 1 → GPU0 (9 < 10): each GPU mixes the two groups.
        Placement global = Eplb.global(w, 4, 2);
        assertArrayEquals(new int[] {0, 2, 1, 3}, global.phy2log());
        assertArrayEquals(new double[] {10, 10}, global.gpuLoads(), 0);
    }

    @Test
    void hierarchicalKeepsEveryRoutingGroupOnOneNode() {
        java.util.Random rnd = new java.util.Random(7);
        int e = 32;
        int groups = 8;
        int nodes = 4;
        int gpus = 8;
        int slots = 40;
        for (int trial = 0; trial < 20; trial++) {
            double[] w = new double[e];
            for (int i = 0; i < e; i++) {
                w[i] = rnd.nextInt(1000);
            }
            Placement p = Eplb.rebalance(w, slots, groups, nodes, gpus);
            int[] phy2log = p.phy2log();
            int[] nodeOfGroup = new int[groups];
            java.util.Arrays.fill(nodeOfGroup, -1);
            for (int slot = 0; slot < slots; slot++) {
                int g = phy2log[slot] / (e / groups);
                int node = slot / (slots / nodes);
                assertTrue(nodeOfGroup[g] < 0 || nodeOfGroup[g] == node, "group " + g + " split over nodes");
                nodeOfGroup[g] = node;
            }
        }
    }

    @Test
    void analysisReportsWhichPolicyItChoseAndWhy() {
        java.util.List<long[]> layers = java.util.List.of(longs(LAYER0), longs(LAYER1));
        // §9.2 configuration (2 nodes × 2 GPUs, 4 redundant): 4 groups on 2 nodes → hierarchical, plus the global
        // policy for comparison.
        PlacementAnalysis.Result r = PlacementAnalysis.analyse(layers, new PlacementAnalysis.Request(4, 2, 4, 4));
        assertEquals("hierarchical", r.choice().policy());
        assertEquals(4, r.choice().groups());
        assertTrue(
                r.choice().reason().contains("2 whole group(s) per node"),
                r.choice().reason());
        assertArrayEquals(
                new int[] {5, 8, 4, 7, 5, 3, 4, 6, 10, 0, 1, 2, 10, 11, 1, 9},
                r.eplb().layers().get(0).phy2log());
        assertArrayEquals(
                new int[] {7, 8, 8, 10, 6, 6, 9, 11, 2, 3, 1, 0, 5, 5, 1, 4},
                r.eplb().layers().get(1).phy2log());
        assertEquals(0.8500, r.eplb().balancedness(), 5e-5);
        assertEquals(0.8491, r.eplb().ratioOfSums(), 5e-5);
        assertEquals("global", r.eplbGlobal().policy());
        assertArrayEquals(
                Eplb.global(LAYER1, 16, 4).phy2log(),
                r.eplbGlobal().layers().get(1).phy2log());

        r = PlacementAnalysis.analyse(layers, new PlacementAnalysis.Request(4, 2, 4, 3)); // 3 groups, 2 nodes
        assertEquals("global", r.choice().policy());
        assertEquals(1, r.choice().groups());
        assertTrue(
                r.choice().reason().contains("3 routing groups (n_group) cannot be split evenly over 2 nodes"),
                r.choice().reason());
        assertEquals(null, r.eplbGlobal());
        assertArrayEquals(
                Eplb.global(LAYER0, 16, 4).gpuLoads(), r.eplb().layers().get(0).gpuLoads(), 0);

        r = PlacementAnalysis.analyse(layers, new PlacementAnalysis.Request(4, 2, 4, 1)); // a model without groups
        assertEquals("global", r.choice().policy());
        assertTrue(
                r.choice().reason().contains("no group-limited routing"),
                r.choice().reason());
    }

    private static long[] longs(double[] w) {
        long[] out = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = (long) w[i];
        }
        return out;
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
