package io.moescope.model.train;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head causal self-attention with half-layout RoPE. Projections are gemm products (y = x·Wᵀ); scores and
 * context use batched matmul over [B·H, S, hd]; softmax, RoPE and layout changes are Java loops.
 */
final class Attention {
    private final int batch;
    private final int seq;
    private final int heads;
    private final int hd;
    private final int d;
    private final float scale;
    private final float[] cos;
    private final float[] sin;
    private final Param wq;
    private final Param wk;
    private final Param wv;
    private final Param wo;
    private final Mat q; // [T, D] projections, then gradients in backward
    private final Mat k;
    private final Mat v;
    private final Mat ctx; // [T, D] concatenated heads
    private final Mat qh; // [B·H, S, hd] post-RoPE queries
    private final Mat kh;
    private final Mat vh;
    private final Mat ch; // [B·H, S, hd] context per head, then its gradient
    private final Mat probs; // [B·H, S, S]
    private final Mat dprobs; // [B·H, S, S]
    private final Mat dqh; // [B·H, S, hd]
    private final Mat dkh;
    private final Mat dvh;

    Attention(ParamStore ps, String prefix, ModelConfig c, int batch, int seq, float[][] rope) {
        this.batch = batch;
        this.seq = seq;
        this.heads = c.heads();
        this.hd = c.headDim();
        this.d = c.hidden();
        this.scale = (float) (1.0 / Math.sqrt(hd));
        this.cos = rope[0];
        this.sin = rope[1];
        wq = ps.add(prefix + "q_proj.weight", false, true, d, d);
        wk = ps.add(prefix + "k_proj.weight", false, true, d, d);
        wv = ps.add(prefix + "v_proj.weight", false, true, d, d);
        wo = ps.add(prefix + "o_proj.weight", false, true, d, d);
        int t = batch * seq;
        q = new Mat(t, d);
        k = new Mat(t, d);
        v = new Mat(t, d);
        ctx = new Mat(t, d);
        long bh = (long) batch * heads;
        qh = new Mat(bh, seq, hd);
        kh = new Mat(bh, seq, hd);
        vh = new Mat(bh, seq, hd);
        ch = new Mat(bh, seq, hd);
        probs = new Mat(bh, seq, seq);
        dprobs = new Mat(bh, seq, seq);
        dqh = new Mat(bh, seq, hd);
        dkh = new Mat(bh, seq, hd);
        dvh = new Mat(bh, seq, hd);
    }

    /** x: [T, D] (both faces current); out: [T, D] (both faces current on return). */
    void forward(Mat x, Mat out) {
        Nd4j.gemm(x.nd, wq.value.nd, q.nd, false, true, 1, 0);
        Nd4j.gemm(x.nd, wk.value.nd, k.nd, false, true, 1, 0);
        Nd4j.gemm(x.nd, wv.value.nd, v.nd, false, true, 1, 0);
        q.pull();
        k.pull();
        v.pull();
        int rows = batch * seq;
        Ops.rope(q.a, rows, heads, hd, seq, cos, sin, false);
        Ops.rope(k.a, rows, heads, hd, seq, cos, sin, false);
        toHeads(q.a, qh.a);
        toHeads(k.a, kh.a);
        toHeads(v.a, vh.a);
        qh.push();
        kh.push();
        vh.push();
        Nd4j.matmul(qh.nd, kh.nd, probs.nd, false, true, false); // [BH, S, S] raw scores
        probs.pull();
        causalSoftmax(probs.a);
        probs.push();
        Nd4j.matmul(probs.nd, vh.nd, ch.nd, false, false, false);
        ch.pull();
        fromHeads(ch.a, ctx.a);
        ctx.push();
        Nd4j.gemm(ctx.nd, wo.value.nd, out.nd, false, true, 1, 0);
        out.pull();
    }

    /** dOut: [T, D] (both faces); x: the forward input; dx: [T, D] overwritten (both faces on return). */
    void backward(Mat x, Mat dOut, Mat dx) {
        Nd4j.gemm(dOut.nd, ctx.nd, wo.grad.nd, true, false, 1, 1);
        Nd4j.gemm(dOut.nd, wo.value.nd, q.nd, false, false, 1, 0); // q reused as dCtx [T, D]
        q.pull();
        toHeads(q.a, ch.a);
        ch.push(); // dCtx per head
        Nd4j.matmul(ch.nd, vh.nd, dprobs.nd, false, true, false);
        Nd4j.matmul(probs.nd, ch.nd, dvh.nd, true, false, false);
        dprobs.pull();
        softmaxBackward(probs.a, dprobs.a);
        dprobs.push(); // now ∂L/∂raw scores
        Nd4j.matmul(dprobs.nd, kh.nd, dqh.nd, false, false, false);
        Nd4j.matmul(dprobs.nd, qh.nd, dkh.nd, true, false, false);
        dqh.pull();
        dkh.pull();
        dvh.pull();
        int rows = batch * seq;
        fromHeads(dqh.a, q.a);
        fromHeads(dkh.a, k.a);
        fromHeads(dvh.a, v.a);
        Ops.rope(q.a, rows, heads, hd, seq, cos, sin, true);
        Ops.rope(k.a, rows, heads, hd, seq, cos, sin, true);
        q.push();
        k.push();
        v.push();
        Nd4j.gemm(q.nd, x.nd, wq.grad.nd, true, false, 1, 1);
        Nd4j.gemm(k.nd, x.nd, wk.grad.nd, true, false, 1, 1);
        Nd4j.gemm(v.nd, x.nd, wv.grad.nd, true, false, 1, 1);
        Nd4j.gemm(q.nd, wq.value.nd, dx.nd, false, false, 1, 0);
        Nd4j.gemm(k.nd, wk.value.nd, dx.nd, false, false, 1, 1);
        Nd4j.gemm(v.nd, wv.value.nd, dx.nd, false, false, 1, 1);
        dx.pull();
    }

    /** [T, H·hd] → [B·H, S, hd]. */
    private void toHeads(float[] src, float[] dst) {
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < seq; s++) {
                int row = (b * seq + s) * d;
                for (int h = 0; h < heads; h++) {
                    System.arraycopy(src, row + h * hd, dst, ((b * heads + h) * seq + s) * hd, hd);
                }
            }
        }
    }

    /** [B·H, S, hd] → [T, H·hd]. */
    private void fromHeads(float[] src, float[] dst) {
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < seq; s++) {
                int row = (b * seq + s) * d;
                for (int h = 0; h < heads; h++) {
                    System.arraycopy(src, ((b * heads + h) * seq + s) * hd, dst, row + h * hd, hd);
                }
            }
        }
    }

    /** Scaled, causally masked softmax in place over [B·H, S, S]; masked entries become 0. */
    private void causalSoftmax(float[] p) {
        int mats = batch * heads;
        for (int m = 0; m < mats; m++) {
            for (int i = 0; i < seq; i++) {
                int o = (m * seq + i) * seq;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    p[o + j] *= scale;
                    max = Math.max(max, p[o + j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    float e = (float) Math.exp(p[o + j] - max);
                    p[o + j] = e;
                    sum += e;
                }
                float inv = (float) (1.0 / sum);
                for (int j = 0; j <= i; j++) {
                    p[o + j] *= inv;
                }
                for (int j = i + 1; j < seq; j++) {
                    p[o + j] = 0f;
                }
            }
        }
    }

    /** dp ← scale · p ⊙ (dp − Σ_j p·dp), the gradient w.r.t. the raw scores (0 where masked). */
    private void softmaxBackward(float[] p, float[] dp) {
        int mats = batch * heads;
        for (int m = 0; m < mats; m++) {
            for (int i = 0; i < seq; i++) {
                int o = (m * seq + i) * seq;
                double dot = 0;
                for (int j = 0; j <= i; j++) {
                    dot += (double) p[o + j] * dp[o + j];
                }
                float fd = (float) dot;
                for (int j = 0; j <= i; j++) {
                    dp[o + j] = scale * p[o + j] * (dp[o + j] - fd);
                }
                for (int j = i + 1; j < seq; j++) {
                    dp[o + j] = 0f;
                }
            }
        }
    }
}
