package io.moescope.model.tensor.quant;

import java.nio.ByteBuffer;

/**
 * The two things a product needs from one block type, over a whole row of {@code blocks} blocks starting at byte
 * {@code off} of a little-endian buffer: a dot product with FP32 activations read in place, and the row widened to
 * FP32 for the blocked prefill product. Implementations are stateless and thread-safe.
 */
interface RowKernel {

    /**
     * Σ_c W[c] · x[xo + c] over the row, FP32 accumulation.
     *
     * @param sums per-32-element sums of x ({@code sums[so + c / 32]}), filled by {@link #sums32} when
     *             {@link #needsSums()}; ignored otherwise
     * @param row  scratch of at least the row's width, for kernels that decode the row first
     */
    float dot(ByteBuffer b, int off, int blocks, float[] x, int xo, float[] sums, int so, float[] row);

    /** Decodes the row into dst[d0 ..], bit-exactly as the scalar {@code BlockDecoder} does. */
    void widen(ByteBuffer b, int off, int blocks, float[] dst, int d0);

    /** True if {@link #dot} reads per-32 sums of x (types with a per-sub-block minimum). */
    default boolean needsSums() {
        return false;
    }

    /** sums[so + k] = Σ x[xo + 32k .. xo + 32k + 32) for k < n / 32. */
    static void sums32(float[] x, int xo, int n, float[] sums, int so) {
        for (int k = 0; k < n / 32; k++) {
            float s = 0;
            int base = xo + 32 * k;
            for (int j = 0; j < 32; j++) {
                s += x[base + j];
            }
            sums[so + k] = s;
        }
    }
}
