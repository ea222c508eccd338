package io.moescope.model.layer;

/** One routed expert (or a shared expert): a feed-forward map [tokens, H] → [tokens, H]. */
public interface Expert {

    /** Hidden width I. */
    int width();

    /** Weight bytes one token reads. */
    long weightBytes();

    /** out [tokens, H] = expert(x [tokens, H]). */
    void apply(float[] x, int tokens, float[] out);
}
