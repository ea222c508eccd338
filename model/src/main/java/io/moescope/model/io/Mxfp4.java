package io.moescope.model.io;

import java.nio.ByteBuffer;

/**
 * MXFP4 (OCP microscaling FP4) as gpt-oss checkpoints store their experts: blocks of 32 FP4 E2M1 values packed two
 * per byte (low nibble = even element), one E8M0 scale byte per block (value 2^(s − 127)). A tensor
 * {@code X_blocks [..., rows, cols/32, 16]} uint8 goes with {@code X_scales [..., rows, cols/32]} uint8.
 *
 * <p>The GGUF reader has its own MXFP4 dequantiser (gguf package); the two should become one.
 */
public final class Mxfp4 {

    /** Values per block. */
    public static final int BLOCK = 32;
    /** Bytes per block of packed values. */
    public static final int BLOCK_BYTES = 16;

    /** E2M1 code → value: sign bit 3, exponent bits 2..1, mantissa bit 0. */
    private static final float[] FP4 = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f, -0f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f};

    private Mxfp4() {}

    /** The E8M0 scale 2^(s − 127) (s = 255, NaN in the OCP spec, decodes as 2^128 = ∞, as transformers' ldexp does). */
    public static float scale(int s) {
        return Math.scalb(1f, (s & 0xff) - 127);
    }

    /**
     * Decodes one row of {@code blocks} values: blocks[blockOffset ..] (16 bytes each) with scales[scaleOffset ..]
     * (one byte each) into dst[dstOffset .. dstOffset + 32·blocks).
     */
    public static void decodeRow(
            ByteBuffer packed,
            int blockOffset,
            ByteBuffer scales,
            int scaleOffset,
            int blocks,
            float[] dst,
            int dstOffset) {
        int d = dstOffset;
        for (int b = 0; b < blocks; b++) {
            float s = scale(scales.get(scaleOffset + b));
            int base = blockOffset + b * BLOCK_BYTES;
            for (int i = 0; i < BLOCK_BYTES; i++) {
                int v = packed.get(base + i) & 0xff;
                dst[d++] = FP4[v & 15] * s;
                dst[d++] = FP4[v >>> 4] * s;
            }
        }
    }
}
