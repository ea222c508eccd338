package io.moescope.model.layer;

/**
 * What one MoE layer routed for a batch of tokens; filled by {@link MoeBlock} when tracing.
 * Arrays are indexed by token within the batch.
 */
public final class LayerRouting {

    public final int layer;
    public final float[][] logits;     // [tokens][E]
    public final Route[] routes;       // [tokens]
    public final float[] routedNorm;   // [tokens]
    public final float[] sharedNorm;   // [tokens]
    public final float[] sharedGate;   // [tokens], NaN where no gate
    /** One row to capture in full (vectors and all), or null: the usual case, which costs nothing. */
    public LayerProbe probe;

    public LayerRouting(int layer, int tokens) {
        this.layer = layer;
        this.logits = new float[tokens][];
        this.routes = new Route[tokens];
        this.routedNorm = new float[tokens];
        this.sharedNorm = new float[tokens];
        this.sharedGate = new float[tokens];
        java.util.Arrays.fill(sharedGate, Float.NaN);
    }
}
