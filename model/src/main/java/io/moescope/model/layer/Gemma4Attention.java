package io.moescope.model.layer;

import io.moescope.model.tensor.Matrix;

/**
 * Gemma 4's attention (transformers Gemma4TextAttention) as {@link Attention} plus what it adds: a weightless RMSNorm
 * on each value head (v_norm, applied to the projected values before they are cached) and the post-attention
 * RMSNorm on the output (post_attention_layernorm, before the residual add). q/k norms, the unit q·k scale, the
 * window, RoPE and attention_k_eq_v (the values are the key projection: the caller stacks k_proj twice) are
 * {@link Attention}'s options.
 */
public final class Gemma4Attention implements AttentionLayer {

    private final Attention attention;
    private final RmsNorm postNorm; // [H]

    /**
     * @param qkv     q|k|v projection rows [(nH + 2·nKV)·hd, H]; the v rows get the value norm
     * @param eps     rms_norm_eps of the value norm
     */
    public Gemma4Attention(
            Matrix qkv,
            Matrix o,
            int nHeads,
            int nKv,
            int headDim,
            Rope rope,
            Attention.Options opt,
            double eps,
            RmsNorm postNorm) {
        this.attention = new Attention(
                new ValueNorm(qkv, (nHeads + nKv) * headDim, nKv, headDim, (float) eps),
                o,
                nHeads,
                nKv,
                headDim,
                rope,
                opt);
        this.postNorm = postNorm;
    }

    @Override
    public KvCache newCache() {
        return attention.newCache();
    }

    @Override
    public void forward(float[] x, int tokens, KvCache cache, float[] out) {
        attention.forward(x, tokens, cache, out);
        postNorm.apply(out, tokens, out);
    }

    @Override
    public long weightBytes() {
        return attention.weightBytes();
    }

    /** The q|k|v product with each value head of each token RMS-normalised without a weight. */
    private static final class ValueNorm implements Matrix {

        private final Matrix w;
        private final int from; // first value column of a row
        private final int heads;
        private final int headDim;
        private final float eps;

        ValueNorm(Matrix w, int from, int heads, int headDim, float eps) {
            this.w = w;
            this.from = from;
            this.heads = heads;
            this.headDim = headDim;
            this.eps = eps;
        }

        @Override
        public int rows() {
            return w.rows();
        }

        @Override
        public int cols() {
            return w.cols();
        }

        @Override
        public void apply(float[] x, int tokens, float[] y) {
            w.apply(x, tokens, y);
            int width = w.rows();
            for (int t = 0; t < tokens; t++) {
                for (int h = 0; h < heads; h++) {
                    int base = t * width + from + h * headDim;
                    double ss = 0;
                    for (int i = 0; i < headDim; i++) {
                        ss += y[base + i] * y[base + i];
                    }
                    float inv = (float) (1.0 / Math.sqrt(ss / headDim + eps));
                    for (int i = 0; i < headDim; i++) {
                        y[base + i] *= inv;
                    }
                }
            }
        }

        @Override
        public long weightBytes() {
            return w.weightBytes();
        }
    }
}
