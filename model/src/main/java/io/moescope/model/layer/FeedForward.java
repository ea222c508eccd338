package io.moescope.model.layer;

import io.moescope.model.api.Intervention;

/** The feed-forward half of a decoder layer: a dense MLP or an MoE block. */
public interface FeedForward {

    /**
     * out [tokens, H] = FFN(x [tokens, H]).
     *
     * @param capture where an MoE block records what it routed; null to record nothing
     */
    void forward(float[] x, int tokens, Intervention intervention, LayerRouting capture, float[] out);

    /** Weight bytes a single token reads (dense: all; MoE: router + k experts + shared). */
    long activeBytesPerToken();

    /** All weight bytes. */
    long totalBytes();

    /** A dense SwiGLU MLP as a feed-forward. */
    static FeedForward dense(Mlp mlp) {
        return new FeedForward() {
            @Override
            public void forward(float[] x, int tokens, Intervention intervention, LayerRouting capture, float[] out) {
                mlp.apply(x, tokens, out);
            }

            @Override
            public long activeBytesPerToken() {
                return mlp.weightBytes();
            }

            @Override
            public long totalBytes() {
                return mlp.weightBytes();
            }
        };
    }
}
