package io.moescope.model.layer;

import io.moescope.model.config.RopeConfig;

/**
 * Rotary position embedding over a rotary width d. Half layout (HF rotate_half: j pairs with j+d/2) for
 * deepseek/mixtral/qwen/olmoe; interleaved (2i pairs with 2i+1) for DeepSeek-V2/V3. Frequencies include linear
 * and YaRN scaling; {@link #amplitude()} is YaRN's cos/sin multiplier.
 */
public final class Rope {

    private final int dim;
    private final boolean interleaved;
    private final double[] invFreq; // [d/2]
    private final double amplitude;

    public Rope(int dim, RopeConfig cfg, boolean interleaved) {
        this.dim = dim;
        this.interleaved = interleaved;
        this.invFreq = new double[dim / 2];
        for (int i = 0; i < dim / 2; i++) {
            invFreq[i] = 1.0 / Math.pow(cfg.theta(), 2.0 * i / dim);
        }
        if ("linear".equals(cfg.type())) {
            for (int i = 0; i < invFreq.length; i++) {
                invFreq[i] /= cfg.factor();
            }
            amplitude = 1.0;
        } else if (cfg.isYarn()) {
            amplitude = applyYarn(cfg);
        } else {
            amplitude = 1.0;
        }
    }

    private Rope(double[] invFreq) {
        this.dim = 2 * invFreq.length;
        this.interleaved = false;
        this.invFreq = invFreq;
        this.amplitude = 1.0;
    }

    /**
     * Gemma 4's "proportional" RoPE (transformers _compute_proportional_rope_parameters): half layout over the whole
     * head, the first ⌊fraction·headDim/2⌋ pairs at θ^(−2i/headDim) / factor, the remaining pairs not rotated.
     */
    public static Rope proportional(int headDim, double theta, double fraction, double factor) {
        double[] inv = new double[headDim / 2];
        int angles = (int) Math.floor(fraction * headDim / 2);
        for (int i = 0; i < Math.min(angles, inv.length); i++) {
            inv[i] = 1.0 / Math.pow(theta, 2.0 * i / headDim) / factor;
        }
        return new Rope(inv);
    }

    /** YaRN frequency blend (spec §0.4 steps 1–5); returns the cos/sin amplitude. */
    private double applyYarn(RopeConfig cfg) {
        double s = cfg.factor();
        double base = cfg.theta();
        int l0 = cfg.originalMaxPositions();
        double lo = correctionDim(cfg.betaFast(), base, l0);
        double hi = correctionDim(cfg.betaSlow(), base, l0);
        if (cfg.truncate()) {
            lo = Math.floor(lo);
            hi = Math.ceil(hi);
        }
        lo = Math.max(lo, 0);
        hi = Math.min(hi, dim - 1);
        if (lo == hi) {
            hi += 0.001;
        }
        for (int i = 0; i < invFreq.length; i++) {
            double ramp = Math.min(1, Math.max(0, (i - lo) / (hi - lo)));
            double keep = 1 - ramp;
            invFreq[i] = invFreq[i] / s * (1 - keep) + invFreq[i] * keep;
        }
        // DeepSeek remote code: mscale defaults to 1 and mscale_all_dim to 0 (absent keys parse as 0 here), so with
        // neither key the amplitude is 1 + 0.1·ln s, and with only mscale_all_dim it is
        // get_mscale(s,1)/get_mscale(s,m_all).
        double m = cfg.mscale() == 0 ? 1.0 : cfg.mscale();
        return mscale(s, m) / mscale(s, cfg.mscaleAllDim());
    }

    private double correctionDim(double rotations, double base, int l0) {
        return dim * Math.log(l0 / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
    }

    /** YaRN's get_mscale: 1 if s ≤ 1, else 1 + 0.1·m·ln s. */
    public static double mscale(double s, double m) {
        return s <= 1 ? 1.0 : 0.1 * m * Math.log(s) + 1.0;
    }

    public double amplitude() {
        return amplitude;
    }

    public int dim() {
        return dim;
    }

    /** Rotates x[offset .. offset+dim) in place for position pos. */
    public void rotate(float[] x, int offset, int pos) {
        int half = dim / 2;
        for (int i = 0; i < half; i++) {
            double angle = pos * (float) invFreq[i];
            float c = (float) (Math.cos(angle) * amplitude);
            float s = (float) (Math.sin(angle) * amplitude);
            int a = interleaved ? offset + 2 * i : offset + i;
            int b = interleaved ? a + 1 : a + half;
            float xa = x[a];
            float xb = x[b];
            x[a] = xa * c - xb * s;
            x[b] = xb * c + xa * s;
        }
    }
}
