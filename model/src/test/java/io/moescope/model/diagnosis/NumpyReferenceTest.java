package io.moescope.model.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A random softmax routing case (E = 8, k = 2, T = 12, D = 4, M = 2) whose expected values were computed
 * directly with numpy by tools/reference/diagnosis_check.py check (outputs recorded below).
 */
class NumpyReferenceTest {

    static final float[][] LOGITS = {
        {0.002f, 0.448f, -0.411f, -1.336f, -0.682f, -1.487f, 0.090f, 2.010f},
        {-0.738f, -0.931f, 0.735f, 0.535f, 0.158f, -1.396f, -0.044f, 1.043f},
        {-2.016f, -0.686f, -2.852f, -1.934f, -2.763f, -0.353f, -1.901f, 0.407f},
        {0.235f, -0.280f, -3.775f, -0.808f, -0.073f, 0.170f, -2.295f, -0.717f},
        {-1.468f, -1.213f, 1.591f, -1.211f, -0.049f, 1.327f, -0.875f, -0.168f},
        {0.166f, 0.096f, -1.838f, 0.114f, 2.038f, -2.321f, 1.289f, 0.179f},
        {-0.962f, 3.001f, 1.143f, -1.799f, 0.112f, 0.865f, -0.283f, 1.024f},
        {-0.100f, 1.001f, 2.158f, -1.013f, 0.305f, -0.695f, 0.191f, -1.781f},
        {-0.869f, -0.294f, 1.348f, 1.718f, -1.985f, -1.192f, 0.970f, -2.989f},
        {-0.695f, -0.146f, 1.886f, 1.034f, -0.491f, -0.553f, -0.375f, 2.285f},
        {-0.642f, -0.456f, 0.529f, -0.181f, -0.296f, -1.671f, -0.017f, -0.665f},
        {1.749f, 0.980f, -0.036f, 1.003f, -0.510f, 1.578f, -0.008f, 0.875f}
    };
    static final int[][] CHOSEN = {
        {7, 1}, {7, 2}, {7, 5}, {0, 5}, {2, 5}, {4, 6}, {1, 2}, {2, 1}, {3, 2}, {7, 2}, {2, 6}, {0, 5}
    };

    @Test
    void everyLossAndMetricAgreesWithNumpy() {
        Routing r =
                new Routing(8, 2, new DiagnosisOptions(4, 2, new double[] {1.0}, new int[] {10}, Double.NaN)).start();
        for (int t = 0; t < LOGITS.length; t++) {
            r.token(LOGITS[t], softmax(LOGITS[t]), null, CHOSEN[t]);
        }
        LayerReport l = r.end().layer();
        LossValues v = l.losses();
        assertEquals(1.231658970316251, v.switchAux(), 1e-6);
        assertEquals(0.019244671411191423, v.gshardAux(), 1e-6);
        assertEquals(2.312171086668968, v.transformersAux(), 1e-6);
        assertEquals(1.156085543334484, v.deepseekExpert(), 1e-6);
        assertEquals(1.156085543334484, v.deepseekV3Seq(), 1e-6); // softmax: s′ = s, one sequence
        assertEquals(1.0258444100618362, v.deepseekDevice(), 1e-6);
        assertEquals(0.9771954317887623, v.deepseekV2Comm(), 1e-6);
        assertEquals(6.5099906584123906, v.zLoss(), 1e-5);
        assertEquals(0.7621426651423943, l.scoreEntropy(), 1e-6);
        assertEquals(0.6236095644623235, l.load().cv(), 1e-12);
        assertEquals(0.42857142857142855, l.load().balancedness(), 1e-12);
        assertEquals(0.9115656675102923, l.load().loadEntropy(), 1e-12);
        assertEquals(0.3333333333333333, l.load().gini(), 1e-12);
    }

    private static float[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : z) {
            max = Math.max(max, x);
        }
        double sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            sum += e[i];
        }
        float[] s = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            s[i] = (float) (e[i] / sum);
        }
        return s;
    }
}
