package io.moescope.model.layer;

import io.moescope.model.config.ModelConfig;
import io.moescope.model.config.RopeConfig;
import io.moescope.model.tensor.Matrix;

/**
 * Multi-head latent attention of DeepSeek-V2/V3 (spec §3), in the naive (non-absorbed) form: the cache holds each
 * position's expanded per-head keys [n_h·(d_n+d_r)] and values [n_h·d_v], not the 512+64 latent. Weight absorption
 * would be an exact re-association that shrinks the cache; it is not needed for correctness.
 *
 * <pre>
 * q      = W_q x  or  W_qb · RMSNorm_q(W_qa x)        [n_h·(d_n+d_r)], per head [nope | rope]
 * [c;kpe]= W_kva x                                     [r_kv + d_r]; c ← RMSNorm_kv(c); kpe shared by all heads, not normed
 * [kn;v] = W_kvb c                                     [n_h·(d_n+d_v)], per head [k_nope | v]
 * RoPE (interleaved pairs, YaRN) on every head's q_pe and on kpe
 * score  = (q_nope·k_nope + q_pe·kpe) · softmaxScale, causal; o = W_o · concat_h(Σ p·v)
 * </pre>
 */
public final class MlaAttention implements AttentionLayer {

    /** Query path: either a plain projection (qA, qNorm null) or the LoRA pair with its RMSNorm. */
    public record Query(Matrix plain, Matrix qA, RmsNorm qNorm, Matrix qB) {
        public static Query plain(Matrix q) {
            return new Query(q, null, null, null);
        }

        public static Query lora(Matrix qA, RmsNorm qNorm, Matrix qB) {
            return new Query(null, qA, qNorm, qB);
        }

        Matrix last() {
            return plain != null ? plain : qB;
        }
    }

    private final Query q;
    private final Matrix kvA; // [r_kv + d_r, H]
    private final RmsNorm kvNorm; // [r_kv]
    private final Matrix kvB; // [n_h·(d_n+d_v), r_kv]
    private final Matrix o; // [H, n_h·d_v]
    private final int nh;
    private final int dn;
    private final int dr;
    private final int dv;
    private final int r;
    private final Rope rope;
    private final float scale;

    public MlaAttention(
            Query q,
            Matrix kvA,
            RmsNorm kvNorm,
            Matrix kvB,
            Matrix o,
            int nHeads,
            ModelConfig.Mla dims,
            Rope rope,
            double softmaxScale) {
        this.q = q;
        this.kvA = kvA;
        this.kvNorm = kvNorm;
        this.kvB = kvB;
        this.o = o;
        this.nh = nHeads;
        this.dn = dims.qkNopeHeadDim();
        this.dr = dims.qkRopeHeadDim();
        this.dv = dims.vHeadDim();
        this.r = dims.kvLoraRank();
        this.rope = rope;
        this.scale = (float) softmaxScale;
        if (rope.dim() != dr
                || q.last().rows() != nh * (dn + dr)
                || kvA.rows() != r + dr
                || kvNorm.width() != r
                || kvB.rows() != nh * (dn + dv)
                || kvB.cols() != r
                || o.cols() != nh * dv) {
            throw new IllegalArgumentException("MLA matrices do not match the dimensions " + dims);
        }
    }

    /** (d_n + d_r)^-½, times get_mscale(s, mscale_all_dim)² under YaRN when mscale_all_dim is set (spec §0.4.6). */
    public static double softmaxScale(ModelConfig.Mla dims, RopeConfig rope) {
        double s = 1.0 / Math.sqrt(dims.qkNopeHeadDim() + dims.qkRopeHeadDim());
        if (rope.isYarn() && rope.mscaleAllDim() != 0) {
            double m = Rope.mscale(rope.factor(), rope.mscaleAllDim());
            s *= m * m;
        }
        return s;
    }

    @Override
    public KvCache newCache() {
        return new KvCache(nh * (dn + dr), nh * dv);
    }

    @Override
    public long weightBytes() {
        long n = q.last().weightBytes() + (q.qA() == null ? 0 : q.qA().weightBytes());
        return n + kvA.weightBytes() + kvB.weightBytes() + o.weightBytes();
    }

    @Override
    public void forward(float[] x, int tokens, KvCache cache, float[] out) {
        int qw = nh * (dn + dr);
        float[] qs = new float[tokens * qw]; // [T, n_h·(d_n+d_r)]
        if (q.plain() != null) {
            q.plain().apply(x, tokens, qs);
        } else {
            float[] a = new float[tokens * q.qA().rows()]; // [T, r_q]
            q.qA().apply(x, tokens, a);
            q.qNorm().apply(a, tokens, a);
            q.qB().apply(a, tokens, qs);
        }
        float[] kva = new float[tokens * (r + dr)]; // [T, r_kv + d_r]
        kvA.apply(x, tokens, kva);
        float[] latent = new float[tokens * r]; // [T, r_kv]
        for (int t = 0; t < tokens; t++) {
            System.arraycopy(kva, t * (r + dr), latent, t * r, r);
        }
        kvNorm.apply(latent, tokens, latent);
        float[] kv = new float[tokens * nh * (dn + dv)]; // [T, n_h·(d_n+d_v)]
        kvB.apply(latent, tokens, kv);
        int start = cache.length();
        float[] key = new float[qw]; // one position's keys [n_h·(d_n+d_r)]
        float[] value = new float[nh * dv]; // one position's values [n_h·d_v]
        for (int t = 0; t < tokens; t++) {
            int pos = start + t;
            for (int h = 0; h < nh; h++) {
                rope.rotate(qs, t * qw + h * (dn + dr) + dn, pos);
            }
            int kpe = t * (r + dr) + r;
            rope.rotate(kva, kpe, pos);
            for (int h = 0; h < nh; h++) {
                int src = (t * nh + h) * (dn + dv);
                System.arraycopy(kv, src, key, h * (dn + dr), dn);
                System.arraycopy(kva, kpe, key, h * (dn + dr) + dn, dr);
                System.arraycopy(kv, src + dn, value, h * dv, dv);
            }
            cache.append(key, 0, value, 0);
        }
        float[] ctx = new float[tokens * nh * dv]; // [T, n_h·d_v]
        attend(qs, tokens, start, cache, ctx);
        o.apply(ctx, tokens, out);
    }

    private void attend(float[] qs, int tokens, int start, KvCache cache, float[] ctx) {
        int kw = dn + dr;
        float[] keys = cache.keys();
        float[] values = cache.values();
        float[] p = new float[cache.length()];
        for (int t = 0; t < tokens; t++) {
            int pos = start + t;
            for (int h = 0; h < nh; h++) {
                int qo = t * nh * kw + h * kw;
                float max = Float.NEGATIVE_INFINITY;
                for (int u = 0; u <= pos; u++) {
                    int ko = u * nh * kw + h * kw;
                    float dot = 0f;
                    for (int i = 0; i < kw; i++) {
                        dot += qs[qo + i] * keys[ko + i];
                    }
                    p[u] = dot * scale;
                    max = Math.max(max, p[u]);
                }
                double sum = 0;
                for (int u = 0; u <= pos; u++) {
                    p[u] = (float) Math.exp(p[u] - max);
                    sum += p[u];
                }
                int c = (t * nh + h) * dv;
                for (int u = 0; u <= pos; u++) {
                    float w = (float) (p[u] / sum);
                    int vo = u * nh * dv + h * dv;
                    for (int i = 0; i < dv; i++) {
                        ctx[c + i] += w * values[vo + i];
                    }
                }
            }
        }
    }
}
