package io.moescope.model.train;

/**
 * DeepSeekMoE hyper-parameters. Layer 0 is a dense SwiGLU MLP ({@code first_k_dense_replace = 1}); layers 1.. are MoE
 * with {@code nShared} shared experts fused into one MLP of width nShared·moeIntermediate and {@code nRouted} routed
 * experts of width moeIntermediate (none when nShared = 0), softmax router, greedy top-k; with {@code normTopK} the k
 * chosen scores are divided by their sum when k &gt; 1 (DeepSeekMoE's {@code norm_topk_prob}), otherwise used as they are.
 */
public record ModelConfig(
        int vocab,
        int hidden,
        int intermediate,
        int moeIntermediate,
        int layers,
        int heads,
        int nRouted,
        int nShared,
        int topK,
        double ropeTheta,
        double rmsEps,
        int maxPositions,
        int bosId,
        int eosId,
        boolean normTopK) {

    public ModelConfig {
        if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
            throw new IllegalArgumentException("hidden " + hidden + " must split into " + heads + " even-width heads");
        }
        if (topK < 1 || topK > nRouted) {
            throw new IllegalArgumentException("top-k " + topK + " must be in 1.." + nRouted);
        }
        if (layers < 1 || vocab < 2) {
            throw new IllegalArgumentException("need at least one layer and two tokens");
        }
        if (nShared < 0) {
            throw new IllegalArgumentException("shared experts " + nShared + " must be ≥ 0");
        }
    }

    /** Without renormalisation of the top-k scores (the first shipped models). */
    public ModelConfig(
            int vocab,
            int hidden,
            int intermediate,
            int moeIntermediate,
            int layers,
            int heads,
            int nRouted,
            int nShared,
            int topK,
            double ropeTheta,
            double rmsEps,
            int maxPositions,
            int bosId,
            int eosId) {
        this(
                vocab,
                hidden,
                intermediate,
                moeIntermediate,
                layers,
                heads,
                nRouted,
                nShared,
                topK,
                ropeTheta,
                rmsEps,
                maxPositions,
                bosId,
                eosId,
                false);
    }

    /** The same model with another expert layout (count, width, shared count, top-k), context and normalisation. */
    public ModelConfig withExperts(int routed, int width, int shared, int k, int positions, boolean norm) {
        return new ModelConfig(
                vocab,
                hidden,
                intermediate,
                width,
                layers,
                heads,
                routed,
                shared,
                k,
                ropeTheta,
                rmsEps,
                positions,
                bosId,
                eosId,
                norm);
    }

    /** Whether gates are the chosen scores divided by their sum (norm_topk_prob and k &gt; 1). */
    public boolean normalisesGates() {
        return normTopK && topK > 1;
    }

    /** The shipped size: d=256, 4 layers, 4 heads, 16 routed experts of width 128, 2 shared, top-4. */
    public static ModelConfig small(int vocab) {
        return new ModelConfig(vocab, 256, 512, 128, 4, 4, 16, 2, 4, 10000.0, 1e-6, 512, 0, 1);
    }

    public int headDim() {
        return hidden / heads;
    }

    public boolean isMoe(int layer) {
        return layer >= 1;
    }

    public int sharedWidth() {
        return nShared * moeIntermediate;
    }

    /** Total parameter count. */
    public long totalParams() {
        long h = hidden;
        long total = 2L * vocab * h + h; // embed, lm_head, final norm
        for (int l = 0; l < layers; l++) {
            total += 4 * h * h + 2 * h;
            total += isMoe(l) ? nRouted * h + (nRouted + nShared) * 3L * h * moeIntermediate : 3L * h * intermediate;
        }
        return total;
    }

    /** Parameters touched per token (embedding row counted once, routed experts: top-k of them). */
    public long activeParams() {
        long h = hidden;
        long total = vocab * h + h + h; // lm_head, final norm, one embedding row
        for (int l = 0; l < layers; l++) {
            total += 4 * h * h + 2 * h;
            total += isMoe(l) ? nRouted * h + (topK + nShared) * 3L * h * moeIntermediate : 3L * h * intermediate;
        }
        return total;
    }
}
