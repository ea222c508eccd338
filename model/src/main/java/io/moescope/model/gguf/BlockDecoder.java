package io.moescope.model.gguf;

import java.nio.ByteBuffer;

/**
 * Decodes ggml blocks of one {@link GgmlType} to FP32, bit-exactly as ggml's reference C and gguf-py's numpy
 * dequantisers do (float32 arithmetic in their order, no FMA; see docs gguf.md §4).
 *
 * <p>Reads are absolute ({@code buf.get(index)}): the buffer's position, limit and byte order are neither used nor
 * changed, so one mapped buffer can be shared by several threads. Offsets are byte offsets into the buffer; a block
 * never crosses a row, so a row of {@code cols} elements is {@code cols / blockSize()} whole blocks.
 */
public interface BlockDecoder {

    /** The type this decoder reads. */
    GgmlType type();

    /** Elements per block. */
    default int blockSize() {
        return type().blockSize();
    }

    /**
     * Decodes {@code blockCount} consecutive blocks starting at byte {@code offset} of {@code src} into
     * {@code dst[dstOffset .. dstOffset + blockCount * blockSize())}.
     */
    void decode(ByteBuffer src, int offset, int blockCount, float[] dst, int dstOffset);

    /**
     * Σ w[i] · x[xOffset + i] over the {@code blockCount * blockSize()} weights of the blocks at {@code offset}.
     * The scalar reference for a later vectorised kernel: accumulated in double, within 1e-6 (relative to
     * Σ |w[i] · x[i]|) of decoding then multiplying. This default decodes block by block; common types override it
     * with a factored form that multiplies each block scale once.
     */
    default float dot(ByteBuffer src, int offset, int blockCount, float[] x, int xOffset) {
        int n = blockSize();
        float[] w = new float[n];
        double sum = 0;
        for (int blk = 0; blk < blockCount; blk++) {
            decode(src, offset + blk * type().typeSize(), 1, w, 0);
            int base = xOffset + blk * n;
            for (int i = 0; i < n; i++) {
                sum += (double) w[i] * x[base + i];
            }
        }
        return (float) sum;
    }

    /**
     * The decoder for a type.
     *
     * @throws IllegalArgumentException if the type is not {@link GgmlType#supported() supported}
     */
    static BlockDecoder of(GgmlType type) {
        switch (type) {
            case F32:
                return FloatBlocks.F32;
            case F16:
                return FloatBlocks.F16;
            case BF16:
                return FloatBlocks.BF16;
            case Q4_0:
                return LegacyBlocks.Q4_0;
            case Q4_1:
                return LegacyBlocks.Q4_1;
            case Q5_0:
                return LegacyBlocks.Q5_0;
            case Q5_1:
                return LegacyBlocks.Q5_1;
            case Q8_0:
                return LegacyBlocks.Q8_0;
            case IQ4_NL:
                return LegacyBlocks.IQ4_NL;
            case MXFP4:
                return LegacyBlocks.MXFP4;
            case Q2_K:
                return KQuantBlocks.Q2_K;
            case Q3_K:
                return KQuantBlocks.Q3_K;
            case Q4_K:
                return KQuantBlocks.Q4_K;
            case Q5_K:
                return KQuantBlocks.Q5_K;
            case Q6_K:
                return KQuantBlocks.Q6_K;
            case IQ4_XS:
                return KQuantBlocks.IQ4_XS;
            default:
                throw new IllegalArgumentException("no decoder for ggml type " + type);
        }
    }
}
