package io.moescope.model.layer;

import io.moescope.model.tensor.Matrix;

/** y = x · Wᵀ + b: a matrix with a bias per output row (gpt_oss router, o_proj and expert projections). */
public final class BiasedMatrix implements Matrix {

    private final Matrix w;
    private final float[] bias; // [rows]

    public BiasedMatrix(Matrix w, float[] bias) {
        if (bias.length != w.rows()) {
            throw new IllegalArgumentException(bias.length + " biases for " + w.rows() + " rows");
        }
        this.w = w;
        this.bias = bias.clone();
    }

    @Override
    public int rows() {
        return w.rows();
    }

    @Override
    public int cols() {
        return w.cols();
    }

    @Override
    public void apply(float[] x, int tokens, float[] y) {
        w.apply(x, tokens, y);
        int n = bias.length;
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < n; i++) {
                y[t * n + i] += bias[i];
            }
        }
    }

    @Override
    public long weightBytes() {
        return w.weightBytes() + 4L * bias.length;
    }
}
