package io.moescope.model.tensor.quant;

import java.nio.ByteBuffer;

/**
 * A row's dot product with int8-quantised activations ({@link Q8Activations}): integer products per block, one float
 * scale multiply per block, as llama.cpp's {@code vec_dot} kernels. Faster than {@link RowKernel#dot} where the
 * FP32 path is compute-bound; it adds the activations' rounding error (see {@link Q8Activations}).
 * Implementations are stateless and thread-safe.
 */
interface Int8RowKernel {

    /** The activation block size this kernel reads: 32 (one scale per weight block) or 256 (per super-block). */
    int activationBlock();

    /** Σ_c W[c] · x_t[c] over the row of {@code blocks} blocks at byte off, x_t = token t of a. */
    float dot(ByteBuffer b, int off, int blocks, Q8Activations a, int t);

    /**
     * The order of each 128 activation codes {@link #dot} reads ({@link Q8Activations#paired}: position i holds column
     * order[i]), or null for the plain order ({@link Q8Activations#codes}). A shared array: do not write to it.
     */
    default int[] codeOrder() {
        return null;
    }
}
