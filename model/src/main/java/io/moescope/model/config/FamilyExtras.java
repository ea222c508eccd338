package io.moescope.model.config;

/**
 * Settings that only a few families have, with the values that make them no-ops by default.
 *
 * @param embeddingMultiplier  the embedding row is multiplied by this (Granite {@code embedding_multiplier})
 * @param attentionScale       q·k is multiplied by this instead of 1/√head_dim (Granite {@code attention_multiplier});
 *                             NaN = 1/√head_dim
 * @param residualMultiplier   each block's output is multiplied by this before it is added to the residual stream
 *                             (Granite {@code residual_multiplier})
 * @param logitsScaling        the logits are divided by this (Granite {@code logits_scaling})
 * @param partialRotaryFactor  RoPE rotates the first ⌊head_dim·factor⌋ dimensions of each head, the rest pass through
 *                             (GLM-4.5 {@code partial_rotary_factor})
 * @param linearBias           the dense and shared-expert MLP projections and lm_head have biases (ERNIE
 *                             {@code use_bias}; the routed experts have none)
 * @param routerNormFloor      the routing weights are divided by max(their sum, this) (ERNIE {@code moe_norm_min}),
 *                             0 if none
 * @param shortConv            LFM2's short-convolution layers, null if the model has none
 * @param logitSoftcap         logits become c·tanh(logits / c) (Gemma 4 {@code final_logit_softcapping}), 0 if none
 * @param layerAttention       per-layer attention shapes (Gemma 4), empty where every layer has the config's shape
 */
public record FamilyExtras(
        double embeddingMultiplier,
        double attentionScale,
        double residualMultiplier,
        double logitsScaling,
        double partialRotaryFactor,
        boolean linearBias,
        double routerNormFloor,
        ShortConvLayers shortConv,
        double logitSoftcap,
        java.util.List<LayerAttention> layerAttention) {

    /** No family-specific extras. */
    public static final FamilyExtras NONE = new FamilyExtras(1.0, Double.NaN, 1.0, 1.0, 1.0, false, 0);

    public FamilyExtras {
        layerAttention = java.util.List.copyOf(layerAttention);
    }

    /** Extras without short-convolution layers, a logit softcap or per-layer attention shapes. */
    public FamilyExtras(
            double embeddingMultiplier,
            double attentionScale,
            double residualMultiplier,
            double logitsScaling,
            double partialRotaryFactor,
            boolean linearBias,
            double routerNormFloor) {
        this(
                embeddingMultiplier,
                attentionScale,
                residualMultiplier,
                logitsScaling,
                partialRotaryFactor,
                linearBias,
                routerNormFloor,
                null,
                0,
                java.util.List.of());
    }

    /** Extras without short-convolution layers (Gemma 4: a logit softcap and per-layer attention shapes). */
    public FamilyExtras(
            double embeddingMultiplier,
            double attentionScale,
            double residualMultiplier,
            double logitsScaling,
            double partialRotaryFactor,
            boolean linearBias,
            double routerNormFloor,
            double logitSoftcap,
            java.util.List<LayerAttention> layerAttention) {
        this(
                embeddingMultiplier,
                attentionScale,
                residualMultiplier,
                logitsScaling,
                partialRotaryFactor,
                linearBias,
                routerNormFloor,
                null,
                logitSoftcap,
                layerAttention);
    }

    /** No extras but LFM2's short-convolution layers. */
    public static FamilyExtras shortConv(ShortConvLayers layers) {
        return new FamilyExtras(1.0, Double.NaN, 1.0, 1.0, 1.0, false, 0, layers, 0, java.util.List.of());
    }

    /** The rotary width for a head of width {@code headDim} (Python's {@code int(head_dim * factor)}). */
    public int rotaryDim(int headDim) {
        return (int) (headDim * partialRotaryFactor);
    }
}
