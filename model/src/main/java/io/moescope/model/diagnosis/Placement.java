package io.moescope.model.diagnosis;

import java.util.Arrays;

/**
 * Experts placed on GPUs for one layer: slot p (GPU p / slotsPerGpu) holds logical expert phy2log[p].
 * GPU loads are the EPLB model loads: every copy of expert e receives w[e] / logcnt[e] (eplb.md §8).
 *
 * @param policy   "contiguous", "hierarchical" or "global"
 * @param phy2log  logical expert of each physical slot [R]
 * @param logcnt   copies of each logical expert [E] (≥ 1, Σ = R)
 * @param gpuLoads model load of each GPU [P]
 */
public record Placement(String policy, int gpus, int[] phy2log, int[] logcnt, double[] gpuLoads) {

    public Placement {
        phy2log = phy2log.clone();
        logcnt = logcnt.clone();
        gpuLoads = gpuLoads.clone();
    }

    /** Builds a placement from its slot table, deriving copy counts and GPU loads from the loads w[E]. */
    public static Placement of(String policy, double[] loads, int[] phy2log, int gpus) {
        if (phy2log.length % gpus != 0) {
            throw new IllegalArgumentException(phy2log.length + " slots cannot be split over " + gpus + " GPUs");
        }
        int[] cnt = new int[loads.length];
        for (int e : phy2log) {
            cnt[e]++;
        }
        int per = phy2log.length / gpus;
        double[] gpu = new double[gpus];
        for (int p = 0; p < phy2log.length; p++) {
            int e = phy2log[p];
            gpu[p / per] += loads[e] / cnt[e];
        }
        return new Placement(policy, gpus, phy2log, cnt, gpu);
    }

    /** No redundancy: GPU g holds experts [g·E/P, (g+1)·E/P), as a model is sharded at start-up. */
    public static Placement contiguous(double[] loads, int gpus) {
        BalanceLosses.checkDevices(loads.length, gpus);
        int[] phy2log = new int[loads.length];
        for (int i = 0; i < phy2log.length; i++) {
            phy2log[i] = i;
        }
        return of("contiguous", loads, phy2log, gpus);
    }

    @Override
    public int[] phy2log() {
        return phy2log.clone();
    }

    @Override
    public int[] logcnt() {
        return logcnt.clone();
    }

    @Override
    public double[] gpuLoads() {
        return gpuLoads.clone();
    }

    public int slotsPerGpu() {
        return phy2log.length / gpus;
    }

    /** mean / max GPU load (SGLang's per-layer balancedness without its 1e-5). */
    public double balancedness() {
        return BalanceMetrics.balancedness(gpuLoads);
    }

    public double maxGpuLoad() {
        return Arrays.stream(gpuLoads).max().orElse(0);
    }

    /** Slots of each expert, by increasing slot index, padded with −1 to the largest copy count. */
    public int[][] log2phy() {
        int width = Arrays.stream(logcnt).max().orElse(0);
        int[][] out = new int[logcnt.length][width];
        int[] fill = new int[logcnt.length];
        for (int[] row : out) {
            Arrays.fill(row, -1);
        }
        for (int p = 0; p < phy2log.length; p++) {
            int e = phy2log[p];
            out[e][fill[e]++] = p;
        }
        return out;
    }
}
