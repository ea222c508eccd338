package io.moescope.model.train;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DeepSeekMoE block: y = Σ_{i∈top-k} g_i·Expert_i(x) + Shared(x), g_i = s_i (or s_i / Σ_top-k s when normalised);
 * no shared term when the config has no shared experts. Routed experts run grouped: gather the rows routed to expert
 * e → gemm → scale by the gate → scatter-add; backward mirrors it and sends ∂L/∂gate (and the router z-loss, when on)
 * into the router softmax.
 */
final class MoeLayer {
    private final int rows;
    private final int d;
    private final int experts;
    private final int k;
    private final int group;
    private final BalanceConfig balance;
    final Router router;
    final Param gateW; // [E, D]
    private final Param[][] expert; // [E][gate, up, down]
    private final SwiGlu shared; // null without shared experts
    private final Mat logits; // [T, E], later ∂L/∂logits
    private final Mat xg; // [T·k, D] gathered inputs
    private final Mat ag; // [T·k, I]
    private final Mat bg; // [T·k, I]
    private final Mat hg; // [T·k, I]
    private final Mat yg; // [T·k, D] raw expert outputs (unscaled)
    private final Mat dyg; // [T·k, D]
    private final Mat dhg; // [T·k, I]
    private final Mat dbg; // [T·k, I]
    private final Mat dxg; // [T·k, D]
    private final float[] dgate; // [T, k]
    private final float[] lse; // [T] logsumexp of the router logits (z-loss)
    double lastBalanceLoss;

    MoeLayer(ParamStore ps, String prefix, ModelConfig c, int rows, int seq, BalanceConfig balance) {
        this.rows = rows;
        this.d = c.hidden();
        this.experts = c.nRouted();
        this.k = c.topK();
        this.group = balance.seqAux() ? seq : rows;
        this.balance = balance;
        int w = c.moeIntermediate();
        router = new Router(rows, experts, k, c.normalisesGates());
        gateW = ps.add(prefix + "gate.weight", false, true, experts, d);
        expert = new Param[experts][];
        for (int e = 0; e < experts; e++) {
            String p = prefix + "experts." + e + ".";
            expert[e] = new Param[] {
                ps.add(p + "gate_proj.weight", false, true, w, d),
                ps.add(p + "up_proj.weight", false, true, w, d),
                ps.add(p + "down_proj.weight", false, true, d, w)
            };
        }
        shared = c.nShared() > 0 ? new SwiGlu(ps, prefix + "shared_experts.", rows, d, c.sharedWidth()) : null;
        logits = new Mat(rows, experts);
        int rk = rows * k;
        xg = new Mat(rk, d);
        ag = new Mat(rk, w);
        bg = new Mat(rk, w);
        hg = new Mat(rk, w);
        yg = new Mat(rk, d);
        dyg = new Mat(rk, d);
        dhg = new Mat(rk, w);
        dbg = new Mat(rk, w);
        dxg = new Mat(rk, d);
        dgate = new float[rk];
        lse = new float[rows];
    }

    /** x: [T, D] both faces; y: [T, D] overwritten (both faces). Fixed-routing variant when fixedSel != null. */
    void forward(Mat x, Mat y, int[] fixedSel) {
        Nd4j.gemm(x.nd, gateW.value.nd, logits.nd, false, true, 1, 0);
        logits.pull();
        Ops.logSumExpRows(logits.a, lse, rows, experts);
        if (fixedSel == null) {
            router.route(logits.a);
        } else {
            routeFixed(fixedSel);
        }
        for (int i = 0; i < rows * k; i++) {
            System.arraycopy(x.a, (i / k) * d, xg.a, router.pos[i] * d, d);
        }
        xg.push();
        for (int e = 0; e < experts; e++) {
            int r0 = router.offsets[e];
            int r1 = router.offsets[e + 1];
            if (r1 > r0) {
                INDArray xe = xg.rows(r0, r1);
                Nd4j.gemm(xe, expert[e][0].value.nd, ag.rows(r0, r1), false, true, 1, 0);
                Nd4j.gemm(xe, expert[e][1].value.nd, bg.rows(r0, r1), false, true, 1, 0);
            }
        }
        ag.pull();
        bg.pull();
        Ops.swiglu(ag.a, bg.a, hg.a, hg.length());
        hg.push();
        for (int e = 0; e < experts; e++) {
            int r0 = router.offsets[e];
            int r1 = router.offsets[e + 1];
            if (r1 > r0) {
                Nd4j.gemm(hg.rows(r0, r1), expert[e][2].value.nd, yg.rows(r0, r1), false, true, 1, 0);
            }
        }
        yg.pull();
        if (shared != null) {
            shared.forward(x, y);
        } else {
            Arrays.fill(y.a, 0);
        }
        for (int i = 0; i < rows * k; i++) {
            float g = router.gate[i];
            int src = router.pos[i] * d;
            int dst = (i / k) * d;
            for (int j = 0; j < d; j++) {
                y.a[dst + j] += g * yg.a[src + j];
            }
        }
        y.push();
        lastBalanceLoss =
                balance.mode() == BalanceMode.AUX ? router.balanceLoss(balance, group, new float[rows * experts]) : 0;
        lastBalanceLoss += router.zLoss(balance.zLoss(), lse, new float[rows * experts]);
    }

    private void routeFixed(int[] fixedSel) {
        Ops.softmaxRows(logits.a, router.scores, rows, experts);
        Arrays.fill(router.counts, 0);
        for (int i = 0; i < rows * k; i++) {
            int e = fixedSel[i];
            router.sel[i] = e;
            router.gate[i] = router.scores[(i / k) * experts + e];
            router.counts[e]++;
        }
        router.normaliseGates();
        router.layout();
    }

    /** dy: [T, D] both faces; dx: [T, D] overwritten (both faces). */
    void backward(Mat x, Mat dy, Mat dx) {
        if (shared != null) {
            shared.backward(x, dy, dx);
        } else {
            Arrays.fill(dx.a, 0);
        }
        for (int i = 0; i < rows * k; i++) {
            float g = router.gate[i];
            int src = (i / k) * d;
            int row = router.pos[i] * d;
            double dot = 0;
            for (int j = 0; j < d; j++) {
                dot += (double) dy.a[src + j] * yg.a[row + j];
                dyg.a[row + j] = g * dy.a[src + j];
            }
            dgate[i] = (float) dot;
        }
        dyg.push();
        for (int e = 0; e < experts; e++) {
            int r0 = router.offsets[e];
            int r1 = router.offsets[e + 1];
            if (r1 > r0) {
                INDArray dye = dyg.rows(r0, r1);
                Nd4j.gemm(dye, hg.rows(r0, r1), expert[e][2].grad.nd, true, false, 1, 1);
                Nd4j.gemm(dye, expert[e][2].value.nd, dhg.rows(r0, r1), false, false, 1, 0);
            }
        }
        dhg.pull();
        Ops.swigluBackward(ag.a, bg.a, dhg.a, dbg.a, dhg.length());
        dhg.push(); // ∂L/∂a
        dbg.push();
        for (int e = 0; e < experts; e++) {
            int r0 = router.offsets[e];
            int r1 = router.offsets[e + 1];
            if (r1 > r0) {
                INDArray xe = xg.rows(r0, r1);
                INDArray da = dhg.rows(r0, r1);
                INDArray db = dbg.rows(r0, r1);
                Nd4j.gemm(da, xe, expert[e][0].grad.nd, true, false, 1, 1);
                Nd4j.gemm(db, xe, expert[e][1].grad.nd, true, false, 1, 1);
                INDArray dxe = dxg.rows(r0, r1);
                Nd4j.gemm(da, expert[e][0].value.nd, dxe, false, false, 1, 0);
                Nd4j.gemm(db, expert[e][1].value.nd, dxe, false, false, 1, 1);
            }
        }
        dxg.pull();
        for (int i = 0; i < rows * k; i++) {
            int src = router.pos[i] * d;
            int dst = (i / k) * d;
            for (int j = 0; j < d; j++) {
                dx.a[dst + j] += dxg.a[src + j];
            }
        }
        routerBackward(x, dx);
    }

    /**
     * ∂L/∂scores (gates + balance loss) → softmax backward, plus the z-loss gradient on the logits → router weight
     * gradient and dx contribution.
     */
    private void routerBackward(Mat x, Mat dx) {
        float[] ds = new float[rows * experts]; // [T, E]
        router.gateBackward(dgate, ds);
        router.balanceLoss(balance, group, ds);
        float[] s = router.scores;
        float[] dz = logits.a;
        for (int t = 0; t < rows; t++) {
            int o = t * experts;
            double dot = 0;
            for (int e = 0; e < experts; e++) {
                dot += (double) s[o + e] * ds[o + e];
            }
            for (int e = 0; e < experts; e++) {
                dz[o + e] = (float) (s[o + e] * (ds[o + e] - dot));
            }
        }
        router.zLoss(balance.zLoss(), lse, dz);
        logits.push();
        dx.push();
        Nd4j.gemm(logits.nd, x.nd, gateW.grad.nd, true, false, 1, 1);
        Nd4j.gemm(logits.nd, gateW.value.nd, dx.nd, false, false, 1, 1);
        dx.pull();
    }

    /** Expert load counts of the last forward pass [E]. */
    int[] counts() {
        return router.counts.clone();
    }
}
