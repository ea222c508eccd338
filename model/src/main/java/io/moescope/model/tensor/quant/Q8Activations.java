package io.moescope.model.tensor.quant;

/**
 * Activations [tokens, cols] quantised to int8 once per product, as llama.cpp does before its integer dot products:
 * each block of {@code block} values (32 as ggml's Q8_0, 256 as its Q8_K) gets one FP32 scale d = max|x| / 127 and
 * codes q = round(x / d) in [−127, 127], so x ≈ d · q with |error| ≤ d / 2 per value. Per-32 sums of the codes are
 * kept for the weight types with a per-sub-block minimum (Q4_K, Q5_K). For Q4_K's kernel the codes are also kept
 * in {@linkplain #nibbleOrder nibble order}. Plain arrays; not thread-safe to write, safe to read from the kernel
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
     * The codes of each 128 columns in the order a 64-byte load of Q4_K nibbles read as 32 little-endian shorts
     * delivers them, or null: see {@link #nibbleOrder}. Same indexing as {@link #codes}.
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
        return quantize(x, tokens, cols, block, false);
    }

    /** As {@link #quantize(float[], int, int, int)}, also filling {@link #paired} if asked (cols a multiple of 128). */
    static Q8Activations quantize(float[] x, int tokens, int cols, int block, boolean paired) {
        Q8Activations a = new Q8Activations(block, cols, tokens, paired);
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
        if (paired) {
            for (int base = 0; base < n; base += 128) {
                for (int i = 0; i < 128; i++) {
                    a.paired[base + i] = a.codes[base + nibbleOrder(i)];
                }
            }
        }
        return a;
    }

    /**
     * The column (within its 128) of position i of {@link #paired}. 64 bytes of Q4_K nibbles hold sub-blocks
     * 0..3 of a 128-column group (bytes 0..31: sub-blocks 0 and 1 in low and high nibbles, bytes 32..63: 2 and 3);
     * read as 32 shorts, lane l < 16 holds bytes 2l, 2l + 1 of the first half and lane l ≥ 16 those of the second.
     * Its four nibbles, bits 0–3, 8–11, 4–7, 12–15, are the four parts P = 0..3 of 32 positions each: part P, lane
     * l is column 32 · (P / 2 + 2 · (l / 16)) + 2 · (l % 16) + P % 2.
     */
    static int nibbleOrder(int i) {
        int part = i / 32;
        int lane = i % 32;
        return 32 * (part / 2 + 2 * (lane / 16)) + 2 * (lane % 16) + part % 2;
    }

    /** round(v) clamped to ±127 (v is in range up to rounding; NaN, from a non-finite block, gives 0). */
    private static short code(float v) {
        return (short) Math.max(-127, Math.min(127, Math.round(v)));
    }
}
