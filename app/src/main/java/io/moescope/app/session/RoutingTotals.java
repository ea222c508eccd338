package io.moescope.app.session;

import java.util.Arrays;

/**
 * Whole-run routing sums over the positions a {@link TraceStore} retains: per MoE layer how often each expert
 * was chosen, and the routing entropies (for their mean). The store keeps them up to date as positions arrive
 * and drop out ({@link Running}), so a reader gets them in O(layers × experts) instead of recounting every
 * position on every refresh. Immutable.
 */
public final class RoutingTotals {

    public static final RoutingTotals EMPTY = new RoutingTotals(0, 0, new int[0], 0, 0);

    /** Entropies (in [0, 1]) are summed as fixed point with this scale, so adding and removing is exact. */
    private static final double ENTROPY_SCALE = 0x1p32;

    private final int layers;
    private final int experts;
    private final int[] counts;      // [layer][expert] flattened
    private final long entropySum;   // sum over positions and layers of round(entropy · 2³²)
    private final long entropyTerms; // how many (position, layer) entropies the sum holds

    private RoutingTotals(int layers, int experts, int[] counts, long entropySum, long entropyTerms) {
        this.layers = layers;
        this.experts = experts;
        this.counts = counts;
        this.entropySum = entropySum;
        this.entropyTerms = entropyTerms;
    }

    /** The totals of these positions, counted from scratch (what {@link Running} keeps incrementally). */
    public static RoutingTotals count(Iterable<TokenTrace> tokens, int layers, int experts) {
        Running running = new Running(layers, experts);
        for (TokenTrace t : tokens) {
            running.add(t);
        }
        return running.snapshot();
    }

    public int layers() { return layers; }
    public int experts() { return experts; }

    /** Times the expert was chosen in the MoE layer. */
    public int count(int layer, int expert) {
        return counts[layer * experts + expert];
    }

    /** {@code counts[layer][expert]}, a copy. */
    public int[][] counts() {
        int[][] out = new int[layers][];
        for (int l = 0; l < layers; l++) {
            out[l] = Arrays.copyOfRange(counts, l * experts, (l + 1) * experts);
        }
        return out;
    }

    /**
     * Mean over positions and layers of the router's score entropy divided by ln E (1 = spread evenly, near 0 =
     * sure of one expert); 0 when nothing is recorded.
     */
    public double meanRoutingEntropy() {
        return entropyTerms == 0 ? 0 : entropySum / ENTROPY_SCALE / entropyTerms;
    }

    /** How many (position, layer) entropies the mean covers. */
    public long entropyTerms() {
        return entropyTerms;
    }

    /** Same counts and entropy sums. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingTotals t && t.layers == layers && t.experts == experts
                && t.entropySum == entropySum && t.entropyTerms == entropyTerms && Arrays.equals(t.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + Long.hashCode(entropySum);
    }

    @Override
    public String toString() {
        return "RoutingTotals[" + layers + "x" + experts + ", entropy terms " + entropyTerms + "]";
    }

    /** The mutable sums behind the totals; one writer thread. */
    static final class Running {

        private final int layers;
        private final int experts;
        private final int[] counts;
        private long entropySum;
        private long entropyTerms;

        Running(int layers, int experts) {
            this.layers = layers;
            this.experts = experts;
            this.counts = new int[layers * experts];
        }

        void add(TokenTrace t) {
            apply(t, 1);
        }

        void remove(TokenTrace t) {
            apply(t, -1);
        }

        private void apply(TokenTrace t, int sign) {
            int n = Math.min(layers, t.layerCount());
            for (int l = 0; l < n; l++) {
                for (int k = 0; k < t.chosenCount(l); k++) {
                    int e = t.chosenExpert(l, k);
                    if (e >= 0 && e < experts) {
                        counts[l * experts + e] += sign;
                    }
                }
                float h = t.routingEntropy(l);
                if (!Float.isNaN(h)) {
                    entropySum += sign * Math.round(h * ENTROPY_SCALE);
                    entropyTerms += sign;
                }
            }
        }

        RoutingTotals snapshot() {
            return new RoutingTotals(layers, experts, counts.clone(), entropySum, entropyTerms);
        }
    }
}
