package io.moescope.model.config;

/**
 * The hyper-parameters whose keys or defaults differ between families, as one family description reads them
 * (the common keys — hidden_size, heads, RoPE, eps, ids — are read by {@link ConfigParser} for all).
 *
 * @param routedExperts  E
 * @param expertWidth    routed expert width
 * @param sharedExperts  shared experts as the model card counts them, 0 if none
 * @param sharedWidth    width of the fused shared-expert MLP, 0 if none
 * @param normTopkProb   the config's norm_topk_prob (or the family's fixed rule)
 * @param moeLayers      decoder layers that are MoE, ascending
 * @param qkvBias        q/k/v projections have biases
 * @param outputBias     the attention output projection has a bias (gpt_oss)
 * @param qkNorm         q/k normalisation before RoPE
 * @param clipQkv        clamp for q,k,v, NaN if none
 * @param layerWindows   sliding window per layer, 0 = full attention [num_hidden_layers]
 * @param mla            latent-attention dimensions, null if the family has none
 * @param hybrid         linear/full attention split (Qwen3-Next, Qwen3.5), null if every layer is full attention
 * @param extras         multipliers, partial RoPE and MLP biases of the few families that have them
 */
public record FamilySettings(
        int routedExperts,
        int expertWidth,
        int sharedExperts,
        int sharedWidth,
        boolean normTopkProb,
        int[] moeLayers,
        boolean qkvBias,
        boolean outputBias,
        ModelConfig.QkNorm qkNorm,
        double clipQkv,
        int[] layerWindows,
        ModelConfig.Mla mla,
        HybridAttention hybrid,
        FamilyExtras extras) {

    public FamilySettings {
        moeLayers = moeLayers.clone();
        layerWindows = layerWindows.clone();
    }

    /**
     * Starts the settings of a model with {@code layers} decoder layers: every layer full attention, no shared
     * experts, no biases, no q/k norm, no clip, no MLA, no hybrid split, no extras until set. Routed experts and
     * the MoE layers must be set.
     */
    public static Builder forLayers(int layers) {
        return new Builder(layers);
    }

    /** Names each setting a family reads, in place of the record's fourteen positional values. */
    public static final class Builder {
        private int routedExperts = -1;
        private int expertWidth;
        private int sharedExperts;
        private int sharedWidth;
        private boolean normTopkProb;
        private int[] moeLayers;
        private boolean qkvBias;
        private boolean outputBias;
        private ModelConfig.QkNorm qkNorm = ModelConfig.QkNorm.NONE;
        private double clipQkv = Double.NaN;
        private int[] layerWindows;
        private ModelConfig.Mla mla;
        private HybridAttention hybrid;
        private FamilyExtras extras = FamilyExtras.NONE;

        private Builder(int layers) {
            layerWindows = new int[layers];
        }

        /** E routed experts, each an MLP of width {@code width}. */
        public Builder routed(int experts, int width) {
            routedExperts = experts;
            expertWidth = width;
            return this;
        }

        /** Shared experts as the model card counts them, fused into one MLP of width {@code width}. */
        public Builder shared(int experts, int width) {
            sharedExperts = experts;
            sharedWidth = width;
            return this;
        }

        /** The chosen experts' weights are divided by their sum (norm_topk_prob, or the family's fixed rule). */
        public Builder normTopkProb(boolean on) {
            normTopkProb = on;
            return this;
        }

        /** The decoder layers that are MoE, ascending. */
        public Builder moeLayers(int[] layers) {
            moeLayers = layers;
            return this;
        }

        /** The q/k/v projections have biases. */
        public Builder qkvBias(boolean on) {
            qkvBias = on;
            return this;
        }

        /** The attention output projection has a bias (gpt_oss, ERNIE, Granite). */
        public Builder outputBias(boolean on) {
            outputBias = on;
            return this;
        }

        /** q/k normalisation before RoPE. */
        public Builder qkNorm(ModelConfig.QkNorm norm) {
            qkNorm = norm;
            return this;
        }

        /** Clamp q, k and v to ±{@code clip} (NaN: none). */
        public Builder clipQkv(double clip) {
            clipQkv = clip;
            return this;
        }

        /** Sliding window per layer, 0 = full attention [num_hidden_layers]. */
        public Builder layerWindows(int[] windows) {
            layerWindows = windows;
            return this;
        }

        /** Latent-attention dimensions (DeepSeek-V2/V3), null for none. */
        public Builder mla(ModelConfig.Mla dimensions) {
            mla = dimensions;
            return this;
        }

        /** The linear/full attention split, null if every layer is full attention. */
        public Builder hybrid(HybridAttention split) {
            hybrid = split;
            return this;
        }

        /** Multipliers, partial RoPE, MLP biases and the other settings of a few families. */
        public Builder extras(FamilyExtras e) {
            extras = java.util.Objects.requireNonNull(e);
            return this;
        }

        public FamilySettings build() {
            if (routedExperts < 0 || moeLayers == null) {
                throw new IllegalStateException("a family's settings need routed(...) and moeLayers(...)");
            }
            return new FamilySettings(
                    routedExperts,
                    expertWidth,
                    sharedExperts,
                    sharedWidth,
                    normTopkProb,
                    moeLayers,
                    qkvBias,
                    outputBias,
                    qkNorm,
                    clipQkv,
                    layerWindows,
                    mla,
                    hybrid,
                    extras);
        }
    }
}
