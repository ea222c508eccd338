package io.moescope.model.layer;

import io.moescope.model.config.HybridAttention;
import io.moescope.model.tensor.Matrix;
import java.util.Arrays;

/**
 * Gated DeltaNet linear attention (Qwen3-Next / Qwen3.5 {@code linear_attn}), in its recurrent form, one position at a
 * time for prefill and decode alike (transformers' chunked prefill computes the same recurrence in blocks). Per
 * position t, with value head h reading key head h / (valueHeads / keyHeads) (h mod keyHeads where the heads are
 * stored tiled, {@link HybridAttention#keyHeadOf}):
 * <pre>
 *   q|k|v = SiLU(causal depthwise conv over the last kernel positions of in_proj_qkv(x))
 *   q, k  = l2norm(q), l2norm(k) per head;  q /= sqrt(keyHeadDim)
 *   β = σ(b),  g = −exp(A_log) · softplus(a + dt_bias)
 *   S_h  = e^g · S_h;  S_h += k ⊗ β (v − S_hᵀ k);  o_h = S_hᵀ q          S_h: [keyHeadDim, valueHeadDim]
 *   y    = out_proj(RMSNorm(o_h) ⊙ w ⊙ SiLU(z_h))                        (plain weight, not 1 + w)
 * </pre>
 * The conv state and S live in the session's {@link KvCache#recurrent} cache.
 */
public final class GatedDeltaNet implements AttentionLayer {

    private static final float L2_EPS = 1e-6f;

    private final Matrix in; // [2·kd + 2·vd + 2·nv, H] rows q | k | v | z | b | a
    private final float[] conv; // [C, kernel] depthwise conv weights, C = 2·kd + vd
    private final float[] negA; // [nv] −exp(A_log)
    private final float[] dtBias; // [nv]
    private final float[] normWeight; // [hv] gated RMSNorm weight
    private final float eps;
    private final Matrix out; // [H, vd]
    private final HybridAttention s;

    public GatedDeltaNet(
            Matrix in,
            float[] conv,
            float[] aLog,
            float[] dtBias,
            float[] normWeight,
            double eps,
            Matrix out,
            HybridAttention shape) {
        this.s = shape;
        int rows = 2 * shape.keyDim() + 2 * shape.valueDim() + 2 * shape.valueHeads();
        if (in.rows() != rows || conv.length != shape.convChannels() * shape.convKernel()) {
            throw new IllegalArgumentException("in_proj has " + in.rows() + " rows (expected " + rows + "), conv "
                    + conv.length + " weights (expected " + shape.convChannels() * shape.convKernel() + ")");
        }
        this.in = in;
        this.conv = conv.clone();
        this.negA = new float[aLog.length];
        for (int h = 0; h < aLog.length; h++) {
            negA[h] = (float) -Math.exp(aLog[h]);
        }
        this.dtBias = dtBias.clone();
        this.normWeight = normWeight.clone();
        this.eps = (float) eps;
        this.out = out;
    }

    @Override
    public KvCache newCache() {
        return KvCache.recurrent(
                s.convKernel() - 1, s.convChannels(), s.valueHeads() * s.keyHeadDim() * s.valueHeadDim());
    }

    @Override
    public long weightBytes() {
        return in.weightBytes() + out.weightBytes() + 4L * conv.length;
    }

    @Override
    public void forward(float[] x, int tokens, KvCache cache, float[] y) {
        int width = in.rows();
        float[] proj = new float[tokens * width]; // [tokens, q|k|v|z|b|a]
        in.apply(x, tokens, proj);
        int vd = s.valueDim();
        float[] core = new float[tokens * vd]; // [tokens, nv·hv]
        float[] mixed = new float[s.convChannels()];
        for (int t = 0; t < tokens; t++) {
            convolve(proj, t * width, cache.convState(), mixed);
            step(mixed, proj, t * width, cache.recurrentState(), core, t * vd);
        }
        cache.advance(tokens);
        out.apply(core, tokens, y);
    }

    /** mixed = SiLU(causal conv of this position's input with the state); shifts the input into the state. */
    private void convolve(float[] proj, int base, float[] state, float[] mixed) {
        CausalConv.step(conv, null, s.convChannels(), s.convKernel(), proj, base, state, mixed);
        for (int ch = 0; ch < mixed.length; ch++) {
            float v = mixed[ch];
            mixed[ch] = v / (1f + (float) Math.exp(-v));
        }
    }

    /** One delta-rule step over every value head, then the gated norm of its output into core[off ..]. */
    private void step(float[] mixed, float[] proj, int base, float[] state, float[] core, int off) {
        int dk = s.keyHeadDim();
        int dv = s.valueHeadDim();
        int kd = s.keyDim();
        int vd = s.valueDim();
        int nv = s.valueHeads();
        float qScale = (float) (1.0 / Math.sqrt(dk));
        for (int kh = 0; kh < s.keyHeads(); kh++) {
            l2normalize(mixed, kh * dk, dk, qScale);
            l2normalize(mixed, kd + kh * dk, dk, 1f);
        }
        int zOff = base + 2 * kd + vd;
        int bOff = zOff + vd;
        int aOff = bOff + nv;
        float[] kvMem = new float[dv];
        for (int h = 0; h < nv; h++) {
            int q = s.keyHeadOf(h) * dk;
            int k = kd + q;
            int v = 2 * kd + h * dv;
            int sh = h * dk * dv;
            float beta = (float) (1.0 / (1.0 + Math.exp(-proj[bOff + h])));
            float g = negA[h] * softplus(proj[aOff + h] + dtBias[h]);
            float decay = (float) Math.exp(g);
            Arrays.fill(kvMem, 0f);
            for (int i = 0; i < dk; i++) {
                float ki = mixed[k + i];
                for (int j = 0; j < dv; j++) {
                    float sij = state[sh + i * dv + j] * decay;
                    state[sh + i * dv + j] = sij;
                    kvMem[j] += sij * ki;
                }
            }
            for (int j = 0; j < dv; j++) {
                kvMem[j] = (mixed[v + j] - kvMem[j]) * beta; // now the delta
            }
            int o = off + h * dv;
            for (int i = 0; i < dk; i++) {
                float ki = mixed[k + i];
                float qi = mixed[q + i];
                for (int j = 0; j < dv; j++) {
                    float sij = state[sh + i * dv + j] + ki * kvMem[j];
                    state[sh + i * dv + j] = sij;
                    core[o + j] += sij * qi;
                }
            }
            gatedNorm(core, o, proj, zOff + h * dv);
        }
    }

    /** x[off .. off+n) ← scale · x / sqrt(Σ x² + 1e-6) (transformers' l2norm, as in the FLA kernels). */
    private static void l2normalize(float[] x, int off, int n, float scale) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += x[off + i] * x[off + i];
        }
        float inv = (float) (1.0 / Math.sqrt(ss + L2_EPS)) * scale;
        for (int i = 0; i < n; i++) {
            x[off + i] *= inv;
        }
    }

    /** o ← w ⊙ o / rms(o) ⊙ SiLU(z) over one value head. */
    private void gatedNorm(float[] o, int off, float[] proj, int z) {
        int dv = normWeight.length;
        double ss = 0;
        for (int j = 0; j < dv; j++) {
            ss += o[off + j] * o[off + j];
        }
        float inv = (float) (1.0 / Math.sqrt(ss / dv + eps));
        for (int j = 0; j < dv; j++) {
            float gate = proj[z + j];
            o[off + j] = normWeight[j] * (o[off + j] * inv) * (gate / (1f + (float) Math.exp(-gate)));
        }
    }

    /** PyTorch's softplus (β = 1, linear above 20). */
    private static float softplus(float x) {
        return x > 20f ? x : (float) Math.log1p(Math.exp(x));
    }
}
