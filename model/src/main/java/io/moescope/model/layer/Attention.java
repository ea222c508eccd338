package io.moescope.model.layer;

import io.moescope.model.tensor.BlockedGemm;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.VectorKernels;

/**
 * Multi-head / grouped-query attention with RoPE, as in Mixtral, Qwen2/3-MoE, OLMoE and DeepSeekMoE. Optional:
 * q/k/v biases (Qwen2), per-head q/k RMSNorm (Qwen3), full-width q/k RMSNorm and clip_qkv (OLMoE), sliding window,
 * attention sinks (gpt_oss), a sigmoid output gate and partial RoPE (Qwen3-Next, GLM-4.5: the Rope's width is then
 * less than the head's), a scale other than 1/√head_dim (Granite).
 */
public final class Attention implements AttentionLayer {

    /**
     * Optional parts; null fields are absent.
     *
     * @param slidingWindow key u is visible from query t iff 0 ≤ t − u < window; 0 = full attention
     * @param sinks         per-head sink logits [nH] (gpt_oss): one extra logit in each softmax denominator
     *                      that attends to nothing; null if none
     * @param outputGate    the projection has nH·hd more rows after v (Qwen3-Next's per-head gate from q_proj): the
     *                      attention output is multiplied by their sigmoid before o_proj
     * @param scale         the factor on q·k (Granite attention_multiplier); NaN = 1/√head_dim
     */
    public record Options(
            float[] qkvBias,
            RmsNorm qNorm,
            RmsNorm kNorm,
            boolean perHeadNorm,
            float clip,
            int slidingWindow,
            float[] sinks,
            boolean outputGate,
            float scale) {

        /** Options without an output gate, with the usual 1/√head_dim scale unless {@code scale} is given. */
        public Options(
                float[] qkvBias,
                RmsNorm qNorm,
                RmsNorm kNorm,
                boolean perHeadNorm,
                float clip,
                int slidingWindow,
                float[] sinks,
                float scale) {
            this(qkvBias, qNorm, kNorm, perHeadNorm, clip, slidingWindow, sinks, false, scale);
        }

        /** Options with an output gate choice and the usual 1/√head_dim scale. */
        public Options(
                float[] qkvBias,
                RmsNorm qNorm,
                RmsNorm kNorm,
                boolean perHeadNorm,
                float clip,
                int slidingWindow,
                float[] sinks,
                boolean outputGate) {
            this(qkvBias, qNorm, kNorm, perHeadNorm, clip, slidingWindow, sinks, outputGate, Float.NaN);
        }

        public static Options none() {
            return new Options(null, null, null, false, Float.NaN, 0, null);
        }

        /** Options without an output gate. */
        public Options(
                float[] qkvBias,
                RmsNorm qNorm,
                RmsNorm kNorm,
                boolean perHeadNorm,
                float clip,
                int slidingWindow,
                float[] sinks) {
            this(qkvBias, qNorm, kNorm, perHeadNorm, clip, slidingWindow, sinks, false);
        }
    }

    private final Matrix qkv; // [(nH + 2 nKV)·hd (+ nH·hd gate), H] q rows, then k rows, then v rows (then gate)
    private final Matrix o; // [H, nH·hd]
    private final int nHeads;
    private final int nKv;
    private final int headDim;
    private final Rope rope;
    private final Options opt;
    private final float scale;

    public Attention(Matrix qkv, Matrix o, int nHeads, int nKv, int headDim, Rope rope, Options opt) {
        int rows = (nHeads + 2 * nKv + (opt.outputGate() ? nHeads : 0)) * headDim;
        if (qkv.rows() != rows) {
            throw new IllegalArgumentException("qkv has " + qkv.rows() + " rows, expected " + rows);
        }
        this.qkv = qkv;
        this.o = o;
        this.nHeads = nHeads;
        this.nKv = nKv;
        this.headDim = headDim;
        this.rope = rope;
        this.opt = opt;
        this.scale = Float.isNaN(opt.scale()) ? (float) (1.0 / Math.sqrt(headDim)) : opt.scale();
    }

    @Override
    public KvCache newCache() {
        return new KvCache(nKv * headDim, nKv * headDim);
    }

    @Override
    public long weightBytes() {
        return qkv.weightBytes() + o.weightBytes();
    }

    @Override
    public void forward(float[] x, int tokens, KvCache cache, float[] out) {
        int qDim = nHeads * headDim;
        int kvDim = nKv * headDim;
        int width = qkv.rows();
        float[] proj = new float[tokens * width]; // [tokens, q|k|v(|gate)]
        qkv.apply(x, tokens, proj);
        int start = cache.length();
        for (int t = 0; t < tokens; t++) {
            int base = t * width;
            prepareRow(proj, base, qDim, kvDim, start + t);
            cache.append(proj, base + qDim, proj, base + qDim + kvDim);
        }
        float[] ctx = new float[tokens * qDim]; // [tokens, nH·hd]
        attend(proj, width, tokens, start, cache, ctx);
        if (opt.outputGate()) {
            for (int t = 0; t < tokens; t++) {
                int g = t * width + qDim + 2 * kvDim;
                for (int i = 0; i < qDim; i++) {
                    ctx[t * qDim + i] *= (float) (1.0 / (1.0 + Math.exp(-proj[g + i])));
                }
            }
        }
        o.apply(ctx, tokens, out);
    }

    /** Bias, q/k norms, clipping and RoPE on one token's projected q|k|v row. */
    private void prepareRow(float[] p, int base, int qDim, int kvDim, int pos) {
        if (opt.qkvBias() != null) {
            float[] b = opt.qkvBias();
            for (int i = 0; i < b.length; i++) {
                p[base + i] += b[i];
            }
        }
        if (opt.qNorm() != null) {
            if (opt.perHeadNorm()) {
                opt.qNorm().apply(p, base, nHeads, p);
                opt.kNorm().apply(p, base + qDim, nKv, p);
            } else {
                opt.qNorm().apply(p, base, 1, p);
                opt.kNorm().apply(p, base + qDim, 1, p);
            }
        }
        if (!Float.isNaN(opt.clip())) {
            float c = opt.clip();
            for (int i = base; i < base + qDim + 2 * kvDim; i++) {
                p[i] = Math.max(-c, Math.min(c, p[i]));
            }
        }
        for (int h = 0; h < nHeads; h++) {
            rope.rotate(p, base + h * headDim, pos);
        }
        for (int h = 0; h < nKv; h++) {
            rope.rotate(p, base + qDim + h * headDim, pos);
        }
    }

    private void attend(float[] proj, int width, int tokens, int start, KvCache cache, float[] ctx) {
        if (tokens >= BlockedGemm.MIN_TOKENS) {
            attendBlocked(proj, width, tokens, start, cache, ctx);
            return;
        }
        float[] keys = cache.keys();
        float[] values = cache.values();
        int kvDim = nKv * headDim;
        int group = nHeads / nKv;
        float[] scores = new float[cache.length()];
        float[] sinks = opt.sinks();
        for (int t = 0; t < tokens; t++) {
            int pos = start + t;
            int first = opt.slidingWindow() > 0 ? Math.max(0, pos - opt.slidingWindow() + 1) : 0;
            for (int h = 0; h < nHeads; h++) {
                int q = t * width + h * headDim;
                int kvOff = (h / group) * headDim;
                float max = sinks == null ? Float.NEGATIVE_INFINITY : sinks[h];
                for (int u = first; u <= pos; u++) {
                    float dot = VectorKernels.dot(proj, q, keys, u * kvDim + kvOff, headDim);
                    scores[u] = dot * scale;
                    max = Math.max(max, scores[u]);
                }
                double sum = sinks == null ? 0 : Math.exp(sinks[h] - max);
                for (int u = first; u <= pos; u++) {
                    scores[u] = (float) Math.exp(scores[u] - max);
                    sum += scores[u];
                }
                int c = t * nHeads * headDim + h * headDim;
                for (int u = first; u <= pos; u++) {
                    float w = (float) (scores[u] / sum);
                    VectorKernels.axpy(w, values, u * kvDim + kvOff, ctx, c, headDim);
                }
            }
        }
    }

    /** Prefill: each head as blocked score and output tiles ({@link AttentionTiles}). */
    private void attendBlocked(float[] proj, int width, int tokens, int start, KvCache cache, float[] ctx) {
        int kvDim = nKv * headDim;
        int qDim = nHeads * headDim;
        int group = nHeads / nKv;
        float[] sinks = opt.sinks();
        AttentionTiles tiles = new AttentionTiles(tokens, start, headDim, headDim);
        for (int h = 0; h < nHeads; h++) {
            int kvOff = (h / group) * headDim;
            tiles.head(
                    proj,
                    width,
                    h * headDim,
                    cache.keys(),
                    kvDim,
                    kvOff,
                    cache.values(),
                    kvDim,
                    kvOff,
                    scale,
                    opt.slidingWindow(),
                    sinks == null ? Float.NaN : sinks[h],
                    ctx,
                    qDim,
                    h * headDim);
        }
    }
}
