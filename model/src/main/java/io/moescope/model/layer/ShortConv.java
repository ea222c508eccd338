package io.moescope.model.layer;

import io.moescope.model.tensor.Matrix;

/**
 * LFM2's gated short convolution ({@code conv.} of a {@code conv} layer; transformers Lfm2MoeShortConv), one
 * position at a time for prefill and decode alike:
 * <pre>
 *   B | C | x = in_proj(h)                               each [H]
 *   u_t      = B ⊙ x
 *   v_t      = causal depthwise conv over u_{t−L+1} .. u_t (+ bias)     L = conv_L_cache
 *   y_t      = out_proj(C ⊙ v_t)
 * </pre>
 * The state is the last L − 1 values of u, kept in the session's {@link KvCache#recurrent} cache (no attention
 * state, so the cache holds no keys and values).
 */
public final class ShortConv implements AttentionLayer {

    private final Matrix in; // [3H, H] rows B | C | x (with in_proj's bias if conv_bias)
    private final float[] conv; // [H, L] depthwise conv weights
    private final float[] bias; // [H] conv bias, or null
    private final Matrix out; // [H, H]
    private final int h;
    private final int kernel;

    public ShortConv(Matrix in, float[] conv, float[] bias, Matrix out, int kernel) {
        this.h = out.rows();
        if (in.rows() != 3 * h || conv.length != h * kernel || (bias != null && bias.length != h)) {
            throw new IllegalArgumentException("in_proj has " + in.rows() + " rows (expected " + 3 * h + "), conv "
                    + conv.length + " weights (expected " + h * kernel + ")");
        }
        this.in = in;
        this.conv = conv.clone();
        this.bias = bias == null ? null : bias.clone();
        this.out = out;
        this.kernel = kernel;
    }

    @Override
    public KvCache newCache() {
        return KvCache.recurrent(kernel - 1, h, 0);
    }

    @Override
    public long weightBytes() {
        return in.weightBytes() + out.weightBytes() + 4L * conv.length;
    }

    @Override
    public void forward(float[] x, int tokens, KvCache cache, float[] y) {
        float[] proj = new float[tokens * 3 * h]; // [tokens, B|C|x]
        in.apply(x, tokens, proj);
        float[] gated = new float[h]; // B ⊙ x of one position
        float[] mixed = new float[h];
        float[] core = new float[tokens * h]; // [tokens, H] C ⊙ conv
        for (int t = 0; t < tokens; t++) {
            int base = t * 3 * h;
            for (int c = 0; c < h; c++) {
                gated[c] = proj[base + c] * proj[base + 2 * h + c];
            }
            CausalConv.step(conv, bias, h, kernel, gated, 0, cache.convState(), mixed);
            for (int c = 0; c < h; c++) {
                core[t * h + c] = proj[base + h + c] * mixed[c];
            }
        }
        cache.advance(tokens);
        out.apply(core, tokens, y);
    }
}
