package io.moescope.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Finite-difference check (central differences in FP64 through {@link RefModel}) of the hand-written FP32 backward,
 * for every parameter tensor: embedding, RMSNorms, attention with RoPE, dense MLP, router + routed + shared experts
 * (incl. the expert-level and device-level balance losses, the router z-loss, renormalised top-k gates and a layout
 * without shared experts), final norm, lm head + cross-entropy.
 */
class GradientCheckTest {
    static final ModelConfig TINY = new ModelConfig(23, 8, 12, 6, 3, 2, 6, 1, 2, 10000.0, 1e-6, 16, 0, 1);

    @ParameterizedTest
    @CsvSource({
        "AUX, true, false, 0, 1",
        "AUX, false, false, 0, 1",
        "NONE, false, false, 0, 1",
        "NONE, false, true, 0.2, 1",
        "AUX, false, true, 0.2, 0",
        "AUX_FREE, false, true, 0.5, 0"
    })
    void analyticGradientsMatchFiniteDifferences(
            BalanceMode mode, boolean seqAux, boolean normTopK, double zLoss, int shared) {
        int batch = 2;
        int seq = 5;
        BalanceConfig bc = new BalanceConfig(mode, 0.3, 0.2, 2, 0, seqAux, zLoss);
        ModelConfig cfg = TINY.withExperts(
                TINY.nRouted(), TINY.moeIntermediate(), shared, TINY.topK(), TINY.maxPositions(), normTopK);
        Model m = new Model(cfg, batch, seq, bc);
        Random rnd = new Random(11);
        Map<String, double[]> ref = new HashMap<>();
        for (Param p : m.params().all()) {
            float[] a = p.value.a;
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (p.shape.length == 1 ? 1 + 0.2 * rnd.nextGaussian() : 0.5 * rnd.nextGaussian());
            }
            p.value.push();
            double[] dv = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                dv[i] = a[i];
            }
            ref.put(p.name, dv);
        }
        int t = batch * seq;
        int[] ids = new int[t];
        int[] targets = new int[t];
        for (int i = 0; i < t; i++) {
            ids[i] = rnd.nextInt(TINY.vocab());
            targets[i] = rnd.nextInt(TINY.vocab());
        }
        for (Param p : m.params().all()) {
            p.zeroGrad();
        }
        double loss = m.forward(ids, targets) + m.balanceLoss();
        m.backward();
        int[][] sel = new int[TINY.layers()][];
        for (int l = 0; l < TINY.layers(); l++) {
            sel[l] = m.moe[l] == null ? null : m.moe[l].router.sel.clone();
        }
        RefModel rm = new RefModel(cfg, batch, seq, bc);
        double refLoss = rm.loss(ref, ids, targets, sel);
        assertEquals(refLoss, loss, 1e-4 * Math.abs(refLoss), "FP32 forward matches FP64 reference");
        if (mode == BalanceMode.AUX || zLoss > 0) {
            assertTrue(m.balanceLoss() > 0.05, "balance / z-loss is part of the objective");
        }
        int checked = 0;
        double worst = 0;
        for (Param p : m.params().all()) {
            p.collectGrad();
            double[] w = ref.get(p.name);
            for (int n = 0; n < 5; n++) {
                int i = rnd.nextInt(w.length);
                double keep = w[i];
                double eps = 1e-5;
                w[i] = keep + eps;
                double up = rm.loss(ref, ids, targets, sel);
                w[i] = keep - eps;
                double down = rm.loss(ref, ids, targets, sel);
                w[i] = keep;
                double numeric = (up - down) / (2 * eps);
                double analytic = p.grad.a[i];
                double err = Math.abs(numeric - analytic) / (Math.abs(numeric) + Math.abs(analytic) + 1e-3);
                worst = Math.max(worst, err);
                assertTrue(err < 2e-3, p.name + "[" + i + "] analytic " + analytic + " numeric " + numeric);
                checked++;
            }
        }
        assertTrue(checked > 100, "checked every parameter tensor");
        System.out.printf(
                "gradient check %s seqAux=%s normTopK=%s zLoss=%s shared=%d: %d coordinates, worst relative "
                        + "error %.2e%n",
                mode, seqAux, normTopK, zLoss, shared, checked, worst);
    }
}
