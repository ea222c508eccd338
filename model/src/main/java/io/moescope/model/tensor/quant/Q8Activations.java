package io.moescope.model.tensor.quant;

/**
 * Activations [tokens, cols] quantised to int8 once per product, as llama.cpp does before its integer dot products:
 * each block of {@code block} values (32 as ggml's Q8_0, 256 as its Q8_K) gets one FP32 scale d = max|x| / 127 and
 * codes q = round(x / d) in [−127, 127], so x ≈ d · q with |error| ≤ d / 2 per value. Per-32 sums of the codes are
 * kept for the weight types with a per-sub-block minimum (Q4_K, Q5_K). For kernels that read their weights as
 * shorts the codes are also kept in the lane order of those loads ({@link #paired}). Plain arrays; not thread-safe to write, safe to read from the kernel
 * pool once built.
 */
final class Q8Activations {

    final int block;
    final int cols;
    /** codes[t · cols + c]: token t, column c; held as shorts, the width the kernels multiply in. */
    final short[] codes;
    /** scales[t · cols / block + k]: block k of token t. */
    final float[] scales;
    /** sums[t · cols / 32 + k] = Σ codes of the k-th 32 columns of token t. */
    final int[] sums;
    /**
     * The codes of each 128 columns in a kernel's lane order, or null: paired[base + i] = codes[base + order[i]] for
     * base a multiple of 128 ({@link Int8RowKernel#codeOrder}).
     */
    final short[] paired;

    private Q8Activations(int block, int cols, int tokens, boolean paired) {
        this.block = block;
        this.cols = cols;
        this.codes = new short[tokens * cols];
        this.scales = new float[tokens * cols / block];
        this.sums = new int[tokens * cols / 32];
        this.paired = paired ? new short[tokens * cols] : null;
    }

    /**
     * Quantises x[0 .. tokens · cols) in blocks of {@code block} (a multiple of 32 dividing cols). A non-finite value
     * makes its block's scale non-finite, so the products it enters are NaN or infinite as in FP32.
     */
    static Q8Activations quantize(float[] x, int tokens, int cols, int block) {
        return quantize(x, tokens, cols, block, null);
    }

    /**
     * As {@link #quantize(float[], int, int, int)}, also filling {@link #paired} in the given order of 128 columns if
     * it is not null (cols a multiple of 128 then).
     */
    static Q8Activations quantize(float[] x, int tokens, int cols, int block, int[] order) {
        Q8Activations a = new Q8Activations(block, cols, tokens, order != null);
        int n = tokens * cols;
        for (int k = 0, base = 0; base < n; k++, base += block) {
            float amax = 0;
            for (int j = 0; j < block; j++) {
                amax = Math.max(amax, Math.abs(x[base + j]));
            }
            float inverse = amax > 0 ? 127f / amax : 0f;
            a.scales[k] = amax / 127f;
            for (int j = 0; j < block; j++) {
                a.codes[base + j] = code(x[base + j] * inverse);
            }
        }
        for (int k = 0; k < n / 32; k++) {
            int s = 0;
            for (int j = 0; j < 32; j++) {
                s += a.codes[32 * k + j];
            }
            a.sums[k] = s;
        }
        if (order != null) {
            for (int base = 0; base < n; base += 128) {
                for (int i = 0; i < 128; i++) {
                    a.paired[base + i] = a.codes[base + order[i]];
                }
            }
        }
        return a;
    }

    /** round(v) clamped to ±127 (v is in range up to rounding; NaN, from a non-finite block, gives 0). */
    private static short code(float v) {
        return (short) Math.max(-127, Math.min(127, Math.round(v)));
    }
}
