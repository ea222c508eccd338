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

    /** Settings of a family whose layers are all full attention, without extras. */
    public FamilySettings(
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
            ModelConfig.Mla mla) {
        this(
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
                null,
                FamilyExtras.NONE);
    }

    /** Settings of a hybrid (linear + full attention) family, without extras. */
    public FamilySettings(
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
            HybridAttention hybrid) {
        this(
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
                FamilyExtras.NONE);
    }

    /** Settings of a family whose layers are all full attention, with extras. */
    public FamilySettings(
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
            FamilyExtras extras) {
        this(
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
                null,
                extras);
    }
}
