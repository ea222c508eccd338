package io.moescope.model.layer;

import io.moescope.model.api.Intervention;
import java.util.Arrays;

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

    /**
     * A dense SwiGLU MLP as a feed-forward: the whole FFN of a dense layer is always on, so "always-on parts off"
     * makes its output 0. A {@link LayerRouting#dense dense capture} receives each token's output norm.
     */
    static FeedForward dense(Mlp mlp) {
        return new FeedForward() {
            @Override
            public void forward(float[] x, int tokens, Intervention intervention, LayerRouting capture, float[] out) {
                int h = out.length / tokens;
                if (intervention.alwaysOnOff()) {
                    Arrays.fill(out, 0, tokens * h, 0f);
                } else {
                    mlp.apply(x, tokens, out);
                }
                if (capture != null && capture.dense) {
                    for (int t = 0; t < tokens; t++) {
                        double sq = 0;
                        for (int i = t * h; i < (t + 1) * h; i++) {
                            sq += (double) out[i] * out[i];
                        }
                        capture.sharedNorm[t] = (float) Math.sqrt(sq);
                    }
                }
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
