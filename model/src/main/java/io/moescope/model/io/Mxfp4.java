package io.moescope.model.io;

import java.nio.ByteBuffer;

/**
 * MXFP4 (OCP microscaling FP4), the one definition of its value table, its scale and its dequantiser, for both
 * forms it is stored in: blocks of 32 FP4 E2M1 codes packed two per byte, with one E8M0 scale byte per block.
 *
 * <ul>
 *   <li>gpt-oss safetensors: a tensor {@code X_blocks [..., rows, cols/32, 16]} uint8 with {@code X_scales [...,
 *       rows, cols/32]} uint8; the low nibble of byte i is element 2i, the high nibble element 2i + 1
 *       ({@link Form#SAFETENSORS}); {@link #decodeRow}, and the engine's products through the GGUF type's vector kernel
 *       ({@code tensor.quant.QuantMatrices.mxfp4}, which reorders the activations to the kernel's nibble order).
 *   <li>GGUF type MXFP4 (id 39): 17-byte blocks {@code e:u8, qs:u8[16]}; the low nibble of byte i is element i, the
 *       high nibble element i + 16 ({@link Form#GGUF}); gguf's block decoder and the Vector API kernel.
 * </ul>
 *
 * <p>Both compute {@code K4[code] · halfScale(e)}, ggml's form (its E2M1 table is doubled so that it is
 * integral, and its scale halved). That product is exactly the E2M1 value times 2^(e − 127): the two factors differ
 * from those by powers of two, so the one rounding is of the same real number.
 */
public final class Mxfp4 {

    /** Values per block. */
    public static final int BLOCK = 32;
    /** Bytes per block of packed values. */
    public static final int BLOCK_BYTES = 16;

    /** E2M1 code → value × 2 (ggml's kvalues_mxfp4): sign bit 3, exponent bits 2..1, mantissa bit 0. */
    private static final byte[] DOUBLED = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

    /**
     * How a form packs a block: where a byte's two nibbles go, the sign of code 8 (E2M1's −0) and what scale byte
     * 255 (NaN in the OCP spec) means.
     */
    public enum Form {
        /**
         * gpt-oss safetensors: byte i holds elements 2i (low nibble) and 2i + 1; code 8 is −0 and scale 255 is
         * 2^128 = ∞ (transformers' table and ldexp).
         */
        SAFETENSORS(2, 1, true),
        /** GGUF: byte i holds elements i (low nibble) and i + 16; code 8 is +0, scale 255 the finite 2^127 (ggml). */
        GGUF(1, BLOCK_BYTES, false);

        private final int step;
        private final int high;
        private final boolean transformers;
        private final float[] values = new float[16];

        Form(int step, int high, boolean transformers) {
            this.step = step;
            this.high = high;
            this.transformers = transformers;
            for (int c = 0; c < 16; c++) {
                values[c] = transformers && c >= 8 ? -Math.abs((float) DOUBLED[c]) : DOUBLED[c];
            }
        }

        /** The element of its block that byte i's low (or high) nibble holds. */
        public int element(int i, boolean highNibble) {
            return step * i + (highNibble ? high : 0);
        }

        /** The scale byte e halved, as this form reads it: {@link #halfScale}, except 255 → ∞ in safetensors. */
        public float halfScale(int e) {
            return transformers && (e & 0xff) == 255 ? Float.POSITIVE_INFINITY : Mxfp4.halfScale(e);
        }
    }

    private Mxfp4() {}

    /** The 16 doubled E2M1 values, code order (a copy, for table look-ups in vector lanes). */
    public static byte[] doubledValues() {
        return DOUBLED.clone();
    }

    /**
     * The E8M0 scale byte e halved: 2^(e − 128), exactly (subnormal for e &lt; 2), as ggml's
     * {@code ggml_e8m0_to_fp32_half} and gguf-py give it; e = 255 gives the finite 2^127.
     */
    public static float halfScale(int e) {
        int s = e & 0xff;
        return Float.intBitsToFloat(s < 2 ? 0x00200000 << s : (s - 1) << 23);
    }

    /**
     * The E8M0 scale 2^(s − 127) as the safetensors path reads it: s = 255 (NaN in the OCP spec) gives 2^128 = ∞,
     * as transformers' ldexp does.
     */
    public static float scale(int s) {
        return (s & 0xff) == 255 ? Float.POSITIVE_INFINITY : 2 * halfScale(s);
    }

    /**
     * Decodes one block: the 16 packed bytes at {@code packed[at ..]} into dst[d .. d + 32), each value
     * {@code K4[code] · halfScale} (K4 the doubled E2M1 values in the form's sign of zero). Reads are absolute: the buffer's position and order are not used.
     */
    public static void decodeBlock(ByteBuffer packed, int at, float halfScale, Form form, float[] dst, int d) {
        float[] values = form.values;
        for (int i = 0; i < BLOCK_BYTES; i++) {
            int v = packed.get(at + i) & 0xff;
            dst[d + form.element(i, false)] = values[v & 15] * halfScale;
            dst[d + form.element(i, true)] = values[v >>> 4] * halfScale;
        }
    }

    /**
     * Decodes one row of {@code blocks} safetensors blocks: blocks[blockOffset ..] (16 bytes each) with
     * scales[scaleOffset ..] (one byte each) into dst[dstOffset .. dstOffset + 32·blocks).
     */
    public static void decodeRow(
            ByteBuffer packed,
            int blockOffset,
            ByteBuffer scales,
            int scaleOffset,
            int blocks,
            float[] dst,
            int dstOffset) {
        for (int b = 0; b < blocks; b++) {
            // 255 decodes as ∞ (see scale): the doubled value times ∞ is the value times ∞
            float half = Form.SAFETENSORS.halfScale(scales.get(scaleOffset + b));
            decodeBlock(packed, blockOffset + b * BLOCK_BYTES, half, Form.SAFETENSORS, dst, dstOffset + b * BLOCK);
        }
    }
}
