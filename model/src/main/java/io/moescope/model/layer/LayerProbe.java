package io.moescope.model.layer;

/**
 * An opt-in capture of one batch row of one MoE layer, in full: {@link io.moescope.model.runtime.Transformer} sets
 * the residual side and hangs the probe on that layer's {@link LayerRouting}; {@link MoeBlock} fills the rest.
 * Nothing is allocated or copied when no probe is asked for (a null check per layer). Vectors are [H].
 */
public final class LayerProbe {

    public final int layer;      // decoder layer index
    public final int row;        // row within the forward pass's batch

    public float[] residualIn;   // h before the post-attention norm
    public float[] hiddenIn;     // RMSNorm_post(h)
    public float[] logits;       // [E]
    public Route route;
    public float[] bias;         // selection bias [E] or null
    public RoutingRule rule;
    public int topK;             // k after any override
    public int[] ablated = new int[0];
    public int[] forced;
    public float[][] expertOutputs; // [k][H], by rank in route.experts()
    public float[] routedSum;
    public float[] sharedRaw;    // null where none or off
    public float sharedGate = Float.NaN;
    public float[] shared;       // null where none or off
    public float[] moeOut;
    public float[] residualOut;

    public LayerProbe(int layer, int row) {
        this.layer = layer;
        this.row = row;
    }

    /** True once the MoE block ran for this row. */
    public boolean filled() {
        return route != null && moeOut != null;
    }
}
