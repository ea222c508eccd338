package io.moescope.model.diagnosis;

/**
 * A moment of a {@link RoutingAccumulator}'s counters, cheap to take (O(layers × experts)) and immutable: how
 * often each expert was chosen in each MoE layer, and the mean normalised routing entropy. What a live view
 * reads many times a second; the full {@link DiagnosisReport} is built from {@link RoutingAccumulator#copy()}.
 *
 * @param moeLayers   decoder layer number of each MoE layer index [L]
 * @param experts     routed experts E
 * @param tokens      tokens routed through the first MoE layer
 * @param counts      times each expert was chosen, [L·E] row-major (layer, expert)
 * @param meanEntropy mean over tokens and layers of H(s_t / Σs_t) / ln E, in [0, 1]; 0 before any token or when
 *                    E &lt; 2
 */
public record RoutingCounts(int[] moeLayers, int experts, long tokens, long[] counts, double meanEntropy) {

    /** No shape yet: no layers, no experts. */
    public static final RoutingCounts EMPTY = new RoutingCounts(new int[0], 0, 0, new long[0], 0);

    public RoutingCounts {
        moeLayers = moeLayers.clone();
        counts = counts.clone();
        if (counts.length != moeLayers.length * experts) {
            throw new IllegalArgumentException(moeLayers.length + " layers × " + experts + " experts need "
                    + moeLayers.length * experts + " counts, got " + counts.length);
        }
    }

    @Override
    public int[] moeLayers() {
        return moeLayers.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** The number of MoE layers L. */
    public int layers() {
        return moeLayers.length;
    }

    /** Times the expert was chosen in MoE layer index {@code layer}. */
    public long count(int layer, int expert) {
        return counts[layer * experts + expert];
    }

    /** One MoE layer's counts c[E], a copy. */
    public long[] layer(int layer) {
        long[] out = new long[experts];
        System.arraycopy(counts, layer * experts, out, 0, experts);
        return out;
    }

    /**
     * The counts indexed by decoder layer, [decoderLayers][E], dense layers as zero rows: the layout of SGLang's
     * logical_count and of a placement plan. A fresh array.
     *
     * @param decoderLayers the model's decoder layer count (ModelShape.layerCount()), above every MoE layer number
     */
    public long[][] byDecoderLayer(int decoderLayers) {
        long[][] out = new long[decoderLayers][experts];
        for (int i = 0; i < moeLayers.length; i++) {
            if (moeLayers[i] >= decoderLayers) {
                throw new IllegalArgumentException(
                        "MoE layer " + moeLayers[i] + " of " + decoderLayers + " decoder layers");
            }
            System.arraycopy(counts, i * experts, out[moeLayers[i]], 0, experts);
        }
        return out;
    }

    /** Balance figures of one MoE layer, from {@link BalanceMetrics} (the one implementation). */
    public LoadStats balance(int layer) {
        return BalanceMetrics.of(layer(layer));
    }

    /** Same counters. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingCounts c
                && c.experts == experts
                && c.tokens == tokens
                && Double.compare(c.meanEntropy, meanEntropy) == 0
                && java.util.Arrays.equals(c.moeLayers, moeLayers)
                && java.util.Arrays.equals(c.counts, counts);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(counts) * 31 + Long.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "RoutingCounts[" + moeLayers.length + "x" + experts + ", " + tokens + " tokens]";
    }
}
