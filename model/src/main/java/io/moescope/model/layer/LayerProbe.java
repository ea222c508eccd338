package io.moescope.model.layer;

/**
 * An opt-in capture of one batch row of one MoE layer, in full: {@link io.moescope.model.runtime.Transformer} sets
 * the residual side and hangs the probe on that layer's {@link LayerRouting}; {@link MoeBlock} fills the rest.
 * Nothing is allocated or copied when no probe is asked for (a null check per layer). Vectors are [H].
 */
public final class LayerProbe {

    public final int layer; // decoder layer index
    public final int row; // row within the forward pass's batch

    public float[] residualIn; // h before the post-attention norm
    public float[] hiddenIn; // RMSNorm_post(h)
    public float[] logits; // [E]
    public Route route;
    public float[] bias; // selection bias [E] or null
    public float[] expertScale; // Gemma 4 per_expert_scale [E] (on the final weights) or null
    public RoutingRule rule;
    public int topK; // k after any override
    public int[] ablated = new int[0];
    public int[] forced;
    public float[][] expertOutputs; // [k][H], by rank in route.experts()
    public float[] routedSum;
    public float[] sharedRaw; // null where none or off
    public float sharedGate = Float.NaN;
    public float[] shared; // null where none or off
    public float[] moeOut; // the feed-forward output as added to the residual stream
    public float[] residualOut; // (residualIn + residualMultiplier · moeOut) · outputScale
    public float residualMultiplier = 1f; // Granite residual_multiplier, else 1
    public float outputScale = 1f; // Gemma 4 layer_scalar, else 1

    public LayerProbe(int layer, int row) {
        this.layer = layer;
        this.row = row;
    }

    /** True once the MoE block ran for this row. */
    public boolean filled() {
        return route != null && moeOut != null;
    }
}
