package io.moescope.model.layer;

import io.moescope.model.tensor.BlockedGemm;

/**
 * One attention head over a prompt as blocked products: the [T, keys] score tile Q·Kᵀ, a causal (optionally
 * sliding) softmax per row, then P·V, both through {@link BlockedGemm} (split over the kernel pool), instead of one
 * dot product and one axpy per (token, key). The softmax takes the same float/double steps as the per-token loops
 * of {@link Attention}; only the dot products sum in the blocked kernel's order. Used from
 * {@link BlockedGemm#MIN_TOKENS} tokens. Buffers are reused across the heads of one layer call. (MLA keeps its
 * per-token loop: its scalar dot products against the blocked order moved deepseek_v2_f32 in PrefillAgreementTest
 * to 1.47e-5, over the pinned 1e-5.)
 */
final class AttentionTiles {

    private final int tokens;
    private final int n; // keys visible to the last token: start + tokens
    private final int start;
    private final int kw; // q·k width
    private final int dv; // value width
    private final float[] q; // [T, kw]
    private final float[] k; // [n, kw]
    private final float[] vt; // [dv, n] values transposed
    private final float[] s; // [T, n] scores, then weights
    private final float[] o; // [T, dv]

    AttentionTiles(int tokens, int start, int kw, int dv) {
        this.tokens = tokens;
        this.start = start;
        this.n = start + tokens;
        this.kw = kw;
        this.dv = dv;
        this.q = new float[tokens * kw];
        this.k = new float[n * kw];
        this.vt = new float[dv * n];
        this.s = new float[tokens * n];
        this.o = new float[tokens * dv];
    }

    /**
     * ctx[t · cStride + cOff + i] = Σ_u softmax_u(scale · q_t·k_u) · v_u[i] for the head whose query of token t is
     * qs[t · qStride + qOff ..], whose key/value at position u are keys[u · kStride + kOff ..] and
     * values[u · vStride + vOff ..]. Keys u with pos − window < u ≤ pos are visible (window 0 = all up to pos).
     *
     * @param sink the head's sink logit (one more term in the denominator), NaN for none
     */
    void head(
            float[] qs,
            int qStride,
            int qOff,
            float[] keys,
            int kStride,
            int kOff,
            float[] values,
            int vStride,
            int vOff,
            float scale,
            int window,
            float sink,
            float[] ctx,
            int cStride,
            int cOff) {
        for (int t = 0; t < tokens; t++) {
            System.arraycopy(qs, t * qStride + qOff, q, t * kw, kw);
        }
        for (int u = 0; u < n; u++) {
            System.arraycopy(keys, u * kStride + kOff, k, u * kw, kw);
            for (int i = 0; i < dv; i++) {
                vt[i * n + u] = values[u * vStride + vOff + i];
            }
        }
        BlockedGemm.apply(k, n, kw, q, tokens, s);
        for (int t = 0; t < tokens; t++) {
            softmaxRow(t * n, start + t, scale, window, sink);
        }
        BlockedGemm.apply(vt, dv, n, s, tokens, o);
        for (int t = 0; t < tokens; t++) {
            System.arraycopy(o, t * dv, ctx, t * cStride + cOff, dv);
        }
    }

    /** Row s[base .. base + n) of raw dots → weights for the query at pos; keys outside the window get 0. */
    private void softmaxRow(int base, int pos, float scale, int window, float sink) {
        int first = window > 0 ? Math.max(0, pos - window + 1) : 0;
        float max = Float.isNaN(sink) ? Float.NEGATIVE_INFINITY : sink;
        for (int u = first; u <= pos; u++) {
            s[base + u] = s[base + u] * scale;
            max = Math.max(max, s[base + u]);
        }
        double sum = Float.isNaN(sink) ? 0 : Math.exp(sink - max);
        for (int u = first; u <= pos; u++) {
            s[base + u] = (float) Math.exp(s[base + u] - max);
            sum += s[base + u];
        }
        for (int u = 0; u < n; u++) {
            s[base + u] = u < first || u > pos ? 0f : (float) (s[base + u] / sum);
        }
    }
}
