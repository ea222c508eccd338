package io.moescope.model.train;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The DeepSeekMoE decoder for a fixed batch shape [B, S] (T = B·S rows), FP32, hand-written forward and backward.
 * Layer l: h += Attn(RMSNorm(h)); h += FFN(RMSNorm(h)), FFN = dense SwiGLU (l = 0) or MoE (l ≥ 1).
 */
final class Model {
    final ModelConfig cfg;
    final int batch;
    final int seq;
    final int rows;
    private final ParamStore ps = new ParamStore();
    private final Param embed; // [V, D]
    private final Param[] norm1;
    private final Param[] norm2;
    private final Param finalNorm;
    private final Param lmHead; // [V, D]
    private final Attention[] attn;
    private final SwiGlu[] dense;
    final MoeLayer[] moe;
    private final Mat[] hIn; // per layer: residual stream entering the layer [T, D]
    private final Mat[] hMid; // after attention [T, D]
    private final Mat[] xn1; // normed inputs [T, D]
    private final Mat[] xn2;
    private final float[][] rstd1; // [T]
    private final float[][] rstd2;
    private final Mat hOut; // [T, D]
    private final Mat xf; // [T, D] final-normed
    private final float[] rstdF;
    private final Mat logits; // [T, V], then ∂L/∂logits
    private final Mat tmp; // [T, D]
    private final Mat grad; // [T, D] running ∂L/∂h
    private final Mat gtmp; // [T, D]
    final float[] rowLoss; // [T]
    private int[] ids;

    Model(ModelConfig c, int batch, int seq, BalanceConfig bc) {
        this.cfg = c;
        this.batch = batch;
        this.seq = seq;
        this.rows = batch * seq;
        int d = c.hidden();
        float[][] rope = Ops.ropeTables(Math.max(seq, c.maxPositions()), c.headDim(), c.ropeTheta());
        embed = ps.add("model.embed_tokens.weight", true, true, c.vocab(), d);
        int nl = c.layers();
        norm1 = new Param[nl];
        norm2 = new Param[nl];
        attn = new Attention[nl];
        dense = new SwiGlu[nl];
        moe = new MoeLayer[nl];
        hIn = new Mat[nl];
        hMid = new Mat[nl];
        xn1 = new Mat[nl];
        xn2 = new Mat[nl];
        rstd1 = new float[nl][rows];
        rstd2 = new float[nl][rows];
        for (int l = 0; l < nl; l++) {
            String p = "model.layers." + l + ".";
            norm1[l] = ps.add(p + "input_layernorm.weight", true, false, d);
            attn[l] = new Attention(ps, p + "self_attn.", c, batch, seq, rope);
            norm2[l] = ps.add(p + "post_attention_layernorm.weight", true, false, d);
            if (c.isMoe(l)) {
                moe[l] = new MoeLayer(ps, p + "mlp.", c, rows, seq, bc);
            } else {
                dense[l] = new SwiGlu(ps, p + "mlp.", rows, d, c.intermediate());
            }
            hIn[l] = new Mat(rows, d);
            hMid[l] = new Mat(rows, d);
            xn1[l] = new Mat(rows, d);
            xn2[l] = new Mat(rows, d);
        }
        finalNorm = ps.add("model.norm.weight", true, false, d);
        lmHead = ps.add("lm_head.weight", false, true, c.vocab(), d);
        hOut = new Mat(rows, d);
        xf = new Mat(rows, d);
        rstdF = new float[rows];
        logits = new Mat(rows, c.vocab());
        tmp = new Mat(rows, d);
        grad = new Mat(rows, d);
        gtmp = new Mat(rows, d);
        rowLoss = new float[rows];
    }

    ParamStore params() {
        return ps;
    }

    /** Runs the decoder on ids [T]; returns the logits [T, V] (Java face; valid until the next call). */
    float[] logits(int[] tokenIds) {
        hidden(tokenIds, null);
        return logits.a;
    }

    /** Forward with mean cross-entropy against targets [T]; ∂/∂logits is kept for {@link #backward()}. */
    double forward(int[] tokenIds, int[] targets) {
        return forward(tokenIds, targets, null);
    }

    /** As {@link #forward(int[], int[])} with routing fixed per MoE layer (gradient checks); fixed[l] is [T·k]. */
    double forward(int[] tokenIds, int[] targets, int[][] fixed) {
        hidden(tokenIds, fixed);
        return Ops.crossEntropy(logits.a, targets, rowLoss, rows, cfg.vocab());
    }

    /** Sum over MoE layers of the balance loss of the last forward pass. */
    double balanceLoss() {
        double s = 0;
        for (MoeLayer m : moe) {
            s += m == null ? 0 : m.lastBalanceLoss;
        }
        return s;
    }

    private void hidden(int[] tokenIds, int[][] fixed) {
        this.ids = tokenIds;
        int d = cfg.hidden();
        float[] h = hIn[0].a;
        for (int t = 0; t < rows; t++) {
            System.arraycopy(embed.value.a, tokenIds[t] * d, h, t * d, d);
        }
        hIn[0].push();
        for (int l = 0; l < cfg.layers(); l++) {
            Ops.rmsNorm(hIn[l].a, norm1[l].value.a, xn1[l].a, rstd1[l], rows, d, cfg.rmsEps());
            xn1[l].push();
            attn[l].forward(xn1[l], tmp);
            add(hIn[l].a, tmp.a, hMid[l].a);
            Ops.rmsNorm(hMid[l].a, norm2[l].value.a, xn2[l].a, rstd2[l], rows, d, cfg.rmsEps());
            xn2[l].push();
            if (moe[l] != null) {
                moe[l].forward(xn2[l], tmp, fixed == null ? null : fixed[l]);
            } else {
                dense[l].forward(xn2[l], tmp);
            }
            Mat next = l + 1 < cfg.layers() ? hIn[l + 1] : hOut;
            add(hMid[l].a, tmp.a, next.a);
        }
        Ops.rmsNorm(hOut.a, finalNorm.value.a, xf.a, rstdF, rows, d, cfg.rmsEps());
        xf.push();
        Nd4j.gemm(xf.nd, lmHead.value.nd, logits.nd, false, true, 1, 0);
        logits.pull();
    }

    /** Accumulates all parameter gradients of (cross-entropy + balance losses) from the last forward. */
    void backward() {
        int d = cfg.hidden();
        logits.push();
        Nd4j.gemm(logits.nd, xf.nd, lmHead.grad.nd, true, false, 1, 1);
        Nd4j.gemm(logits.nd, lmHead.value.nd, tmp.nd, false, false, 1, 0);
        tmp.pull();
        Ops.rmsNormBackward(tmp.a, hOut.a, finalNorm.value.a, rstdF, grad.a, finalNorm.grad.a, rows, d, false);
        for (int l = cfg.layers() - 1; l >= 0; l--) {
            grad.push();
            if (moe[l] != null) {
                moe[l].backward(xn2[l], grad, gtmp);
            } else {
                dense[l].backward(xn2[l], grad, gtmp);
            }
            Ops.rmsNormBackward(gtmp.a, hMid[l].a, norm2[l].value.a, rstd2[l], grad.a, norm2[l].grad.a, rows, d, true);
            grad.push();
            attn[l].backward(xn1[l], grad, gtmp);
            Ops.rmsNormBackward(gtmp.a, hIn[l].a, norm1[l].value.a, rstd1[l], grad.a, norm1[l].grad.a, rows, d, true);
        }
        float[] ge = embed.grad.a;
        for (int t = 0; t < rows; t++) {
            int o = ids[t] * d;
            for (int j = 0; j < d; j++) {
                ge[o + j] += grad.a[t * d + j];
            }
        }
    }

    private static void add(float[] a, float[] b, float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] + b[i];
        }
    }
}
