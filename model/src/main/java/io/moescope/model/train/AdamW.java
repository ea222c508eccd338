package io.moescope.model.train;

import java.util.List;

/** AdamW (decoupled weight decay on matrices only) with global-norm gradient clipping, fused Java loops. */
final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double clip;

    AdamW(double beta1, double beta2, double eps, double weightDecay, double clip) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.clip = clip;
    }

    /** One update at 1-based step {@code step}; returns the pre-clip global gradient norm. */
    double step(List<Param> params, int step, double lr) {
        double sq = 0;
        for (Param p : params) {
            p.collectGrad();
            for (float g : p.grad.a) {
                sq += (double) g * g;
            }
        }
        double norm = Math.sqrt(sq);
        float gscale = (float) (clip > 0 && norm > clip ? clip / norm : 1.0);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        float stepSize = (float) (lr / c1);
        float sqrtC2 = (float) Math.sqrt(c2);
        float e = (float) eps;
        for (Param p : params) {
            float[] w = p.value.a;
            float[] g = p.grad.a;
            float[] m = p.m;
            float[] v = p.v;
            float decay = p.decay ? (float) (1 - lr * weightDecay) : 1f;
            for (int i = 0; i < w.length; i++) {
                float gi = g[i] * gscale;
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                w[i] = w[i] * decay - stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtC2 + e);
            }
            p.value.push();
        }
        return norm;
    }
}
