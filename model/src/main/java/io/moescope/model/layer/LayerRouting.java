package io.moescope.model.layer;

/**
 * What one MoE layer routed for a batch of tokens; filled by {@link MoeBlock} when tracing. A dense layer's capture
 * ({@link #dense(int, int)}) has no routing, only the norm of its FFN output in {@link #sharedNorm}.
 * Arrays are indexed by token within the batch.
 */
public final class LayerRouting {

    public final int layer;
    public final float[][] logits; // [tokens][E]
    public final Route[] routes; // [tokens]
    public final float[] routedNorm; // [tokens]
    public final float[] sharedNorm; // [tokens] the always-on output's norm (a dense layer: the whole FFN's)
    public final float[] sharedGate; // [tokens], NaN where no gate
    /** One row to capture in full (vectors and all), or null: the usual case, which costs nothing. */
    public LayerProbe probe;

    /** True for a dense layer's capture: {@link #logits} and {@link #routes} are null. */
    public final boolean dense;

    public LayerRouting(int layer, int tokens) {
        this(layer, tokens, false);
    }

    private LayerRouting(int layer, int tokens, boolean dense) {
        this.layer = layer;
        this.dense = dense;
        this.logits = dense ? null : new float[tokens][];
        this.routes = dense ? null : new Route[tokens];
        this.routedNorm = new float[tokens];
        this.sharedNorm = new float[tokens];
        this.sharedGate = new float[tokens];
        java.util.Arrays.fill(sharedGate, Float.NaN);
    }

    /** A dense layer's capture: the FFN output norm per token, nothing routed. */
    public static LayerRouting dense(int layer, int tokens) {
        return new LayerRouting(layer, tokens, true);
    }
}
