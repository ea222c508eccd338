package io.moescope.model.diagnosis;

import java.util.Arrays;

/**
 * DeepSeek's Expert Parallelism Load Balancer (deepseek-ai/EPLB eplb.py), per layer, as specified in eplb.md:
 * balanced packing, greedy replication, and the hierarchical policy (groups → nodes, replicate inside a node,
 * copies → the node's GPUs); the global policy is the hierarchical one with one group on one node. Ties are
 * broken stably (higher load first, then lower index; lowest bin on equal sums; lowest expert on replication).
 */
public final class Eplb {

    private Eplb() {}

    /** Where balanced packing put each item: its bin and its position inside the bin. */
    public record Packing(int[] bin, int[] position) {}

    /** Replication result: the expert of each slot, the slot's replica rank, and copies per expert. */
    public record Replication(int[] slotToExpert, int[] rank, int[] count) {}

    /**
     * Places the loads w[E] of one layer on {@code slots} physical slots (R ≥ E) over {@code gpus} GPUs in
     * {@code nodes} nodes with {@code groups} expert groups, with the policy {@link #policy} picks.
     */
    public static Placement rebalance(double[] loads, int slots, int groups, int nodes, int gpus) {
        if (policy(groups, nodes).equals("hierarchical")) {
            return hierarchical("hierarchical", loads, slots, groups, nodes, gpus);
        }
        return global(loads, slots, gpus);
    }

    /**
     * The policy for G expert groups on N nodes (eplb.md §2): "hierarchical" when the model has groups (G > 1)
     * and every node can take whole groups (G % N == 0), else "global". deepseek-ai/EPLB also runs its
     * hierarchical branch for G = N = 1, but that is the global policy step for step (§6), so it is named so here,
     * as SGLang does for models without groups.
     */
    public static String policy(int groups, int nodes) {
        return groups > 1 && nodes > 0 && groups % nodes == 0 ? "hierarchical" : "global";
    }

    /** The global policy: one group, one node. */
    public static Placement global(double[] loads, int slots, int gpus) {
        return hierarchical("global", loads, slots, 1, 1, gpus);
    }

    static Placement hierarchical(String policy, double[] w, int slots, int groups, int nodes, int gpus) {
        int e = w.length;
        check(e % groups == 0, e + " experts cannot be split into " + groups + " groups");
        check(slots >= e, slots + " slots cannot hold " + e + " experts");
        check(slots % gpus == 0, slots + " slots cannot be split evenly over " + gpus + " GPUs");
        check(
                groups % nodes == 0 && gpus % nodes == 0,
                groups + " groups / " + gpus + " GPUs cannot be split over " + nodes + " nodes");
        for (double x : w) {
            check(x >= 0 && Double.isFinite(x), "loads must be finite and non-negative, got " + x);
        }
        int perGroup = e / groups;
        int groupsPerNode = groups / nodes;
        int expertsPerNode = e / nodes;
        int slotsPerNode = slots / nodes;
        int gpusPerNode = gpus / nodes;
        int slotsPerGpu = slots / gpus;

        double[] groupLoads = new double[groups];
        for (int i = 0; i < e; i++) {
            groupLoads[i / perGroup] += w[i];
        }
        Packing groupPack = pack(groupLoads, nodes);
        int[] metaToLog = new int[e];
        for (int g = 0; g < groups; g++) {
            int base = (groupPack.bin()[g] * groupsPerNode + groupPack.position()[g]) * perGroup;
            for (int j = 0; j < perGroup; j++) {
                metaToLog[base + j] = g * perGroup + j;
            }
        }
        int[] phy2log = new int[slots];
        for (int n = 0; n < nodes; n++) {
            double[] lw = new double[expertsPerNode];
            for (int x = 0; x < expertsPerNode; x++) {
                lw[x] = w[metaToLog[n * expertsPerNode + x]];
            }
            Replication rep = replicate(lw, slotsPerNode);
            double[] copyLoads = new double[slotsPerNode];
            for (int c = 0; c < slotsPerNode; c++) {
                int x = rep.slotToExpert()[c];
                copyLoads[c] = lw[x] / rep.count()[x];
            }
            Packing gpuPack = pack(copyLoads, gpusPerNode);
            for (int c = 0; c < slotsPerNode; c++) {
                int p = n * slotsPerNode + gpuPack.bin()[c] * slotsPerGpu + gpuPack.position()[c];
                phy2log[p] = metaToLog[n * expertsPerNode + rep.slotToExpert()[c]];
            }
        }
        return Placement.of(policy, w, phy2log, gpus);
    }

    /** Balanced packing (eplb.md §3): n items into B bins of exactly n/B items each. */
    public static Packing pack(double[] loads, int bins) {
        int n = loads.length;
        check(bins > 0 && n % bins == 0, n + " items cannot fill " + bins + " bins equally");
        int cap = n / bins;
        int[] bin = new int[n];
        int[] pos = new int[n];
        if (cap == 1) {
            for (int i = 0; i < n; i++) {
                bin[i] = i;
            }
            return new Packing(bin, pos);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> loads[a] != loads[b] ? Double.compare(loads[b], loads[a]) : Integer.compare(a, b));
        double[] sum = new double[bins];
        int[] count = new int[bins];
        for (int item : order) {
            int best = -1;
            for (int b = 0; b < bins; b++) {
                if (count[b] < cap && (best < 0 || sum[b] < sum[best])) {
                    best = b;
                }
            }
            bin[item] = best;
            pos[item] = count[best]++;
            sum[best] += loads[item];
        }
        return new Packing(bin, pos);
    }

    /** Replication (eplb.md §4): slots 0..E−1 hold each expert once; each further slot goes to max load/copies. */
    public static Replication replicate(double[] loads, int slots) {
        int e = loads.length;
        check(slots >= e, slots + " slots cannot hold " + e + " experts");
        int[] slotToExpert = new int[slots];
        int[] rank = new int[slots];
        int[] count = new int[e];
        for (int i = 0; i < e; i++) {
            slotToExpert[i] = i;
            count[i] = 1;
        }
        for (int s = e; s < slots; s++) {
            int best = 0;
            for (int i = 1; i < e; i++) {
                if (loads[i] / count[i] > loads[best] / count[best]) {
                    best = i;
                }
            }
            slotToExpert[s] = best;
            rank[s] = count[best]++;
        }
        return new Replication(slotToExpert, rank, count);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
