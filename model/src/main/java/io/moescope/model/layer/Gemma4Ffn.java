package io.moescope.model.layer;

import io.moescope.model.api.Intervention;

/**
 * Gemma 4's feed-forward half (transformers Gemma4TextDecoderLayer with enable_moe_block), reading the residual
 * stream r itself:
 * out = N_post(N_1(MLP(N_pre(r))) + N_2(MoE(router: R(r), experts: N_pre2(r)))), where R is the router's
 * weightless RMSNorm × scale × H^−½ (one {@link RmsNorm} with that product as its weight). The dense MLP is the
 * always-on part: {@link Intervention#alwaysOnOff()} switches it off (its term is then 0), and its output norm
 * (before N_1) is recorded as the shared norm. A probe sees the router's own input R(r) as its hidden state, the
 * MLP output before and after N_1 as the raw and added always-on part, and the whole out as the feed-forward output.
 */
public final class Gemma4Ffn implements FeedForward {

    private final RmsNorm preNorm; // pre_feedforward_layernorm
    private final Mlp dense; // mlp
    private final RmsNorm denseNorm; // post_feedforward_layernorm_1
    private final RmsNorm routerNorm; // router.norm × router.scale × H^-1/2
    private final RmsNorm expertNorm; // pre_feedforward_layernorm_2
    private final MoeBlock moe; // router.proj, per_expert_scale, experts; no shared expert
    private final RmsNorm moeNorm; // post_feedforward_layernorm_2
    private final RmsNorm postNorm; // post_feedforward_layernorm

    public Gemma4Ffn(
            RmsNorm preNorm,
            Mlp dense,
            RmsNorm denseNorm,
            RmsNorm routerNorm,
            RmsNorm expertNorm,
            MoeBlock moe,
            RmsNorm moeNorm,
            RmsNorm postNorm) {
        this.preNorm = preNorm;
        this.dense = dense;
        this.denseNorm = denseNorm;
        this.routerNorm = routerNorm;
        this.expertNorm = expertNorm;
        this.moe = moe;
        this.moeNorm = moeNorm;
        this.postNorm = postNorm;
    }

    @Override
    public void forward(float[] r, int tokens, Intervention iv, LayerRouting capture, float[] out) {
        int h = preNorm.width();
        int n = tokens * h;
        float[] sum = new float[n]; // [tokens, H]
        float[] mlpOut = null; // [tokens, H] dense MLP output, null when switched off
        if (!iv.alwaysOnOff()) {
            float[] a = new float[n];
            preNorm.apply(r, tokens, a);
            mlpOut = new float[n];
            dense.apply(a, tokens, mlpOut);
            denseNorm.apply(mlpOut, tokens, sum);
        }
        float[] routerIn = new float[n];
        routerNorm.apply(r, tokens, routerIn);
        float[] expertIn = new float[n];
        expertNorm.apply(r, tokens, expertIn);
        float[] m = new float[n];
        moe.forward(routerIn, expertIn, tokens, iv, capture, m);
        LayerProbe probe = capture == null ? null : capture.probe;
        if (probe != null) {
            int from = probe.row * h;
            probe.hiddenIn = java.util.Arrays.copyOfRange(routerIn, from, from + h);
            probe.sharedRaw = mlpOut == null ? null : java.util.Arrays.copyOfRange(mlpOut, from, from + h);
            probe.shared = mlpOut == null ? null : java.util.Arrays.copyOfRange(sum, from, from + h);
        }
        moeNorm.apply(m, tokens, m);
        for (int i = 0; i < n; i++) {
            sum[i] += m[i];
        }
        postNorm.apply(sum, tokens, out);
        if (probe != null) {
            probe.moeOut = java.util.Arrays.copyOfRange(out, probe.row * h, (probe.row + 1) * h);
        }
        if (capture != null) {
            for (int t = 0; t < tokens; t++) {
                capture.sharedNorm[t] = mlpOut == null ? 0f : norm(mlpOut, t * h, h);
            }
        }
    }

    private static float norm(float[] v, int off, int len) {
        double ss = 0;
        for (int i = off; i < off + len; i++) {
            ss += (double) v[i] * v[i];
        }
        return (float) Math.sqrt(ss);
    }

    @Override
    public long activeBytesPerToken() {
        return moe.activeBytesPerToken() + dense.weightBytes();
    }

    @Override
    public long totalBytes() {
        return moe.totalBytes() + dense.weightBytes();
    }
}
