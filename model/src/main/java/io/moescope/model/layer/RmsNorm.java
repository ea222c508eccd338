package io.moescope.model.layer;

/** y = w ⊙ x / sqrt(mean(x²) + ε), applied to each row of width {@code weight.length}. */
public final class RmsNorm {

    private final float[] weight;
    private final float eps;

    public RmsNorm(float[] weight, double eps) {
        this.weight = weight.clone();
        this.eps = (float) eps;
    }

    public int width() {
        return weight.length;
    }

    /** Normalises {@code rows} consecutive rows of x (each {@code width()} wide) into out (may alias x). */
    public void apply(float[] x, int rows, float[] out) {
        apply(x, 0, rows, out);
    }

    public void apply(float[] x, int offset, int rows, float[] out) {
        int d = weight.length;
        for (int r = 0; r < rows; r++) {
            int base = offset + r * d;
            double ss = 0;
            for (int i = 0; i < d; i++) {
                ss += x[base + i] * x[base + i];
            }
            float inv = (float) (1.0 / Math.sqrt(ss / d + eps));
            for (int i = 0; i < d; i++) {
                out[base + i] = weight[i] * (x[base + i] * inv);
            }
        }
    }
}
