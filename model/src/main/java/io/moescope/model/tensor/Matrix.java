package io.moescope.model.tensor;

/**
 * A weight matrix W stored PyTorch-style as [rows = out_features, cols = in_features]: the engine's one seam for
 * matrix products, so a kernel can be swapped or benchmarked in one place.
 */
public interface Matrix {

    int rows();

    int cols();

    /**
     * y = x · Wᵀ for a batch of tokens.
     *
     * @param x      [tokens, cols] row-major (at least tokens*cols values)
     * @param tokens number of rows of x
     * @param y      [tokens, rows] row-major, overwritten
     */
    void apply(float[] x, int tokens, float[] y);

    /** Bytes of weight data this matrix reads per full product (for bandwidth figures). */
    long weightBytes();
}
