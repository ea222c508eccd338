package io.moescope.model.tensor.quant;

import io.moescope.model.gguf.BlockDecoder;
import io.moescope.model.gguf.GgmlType;
import io.moescope.model.gguf.QuantizedMatrix;
import io.moescope.model.io.FloatDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test weights in any supported block type: random bytes (so every code, nibble and scale bit pattern occurs) with
 * the f16 scale fields overwritten by sane values (|d| in [2^-10, 2^-1), finite), MXFP4 exponents near 2^0. Held in
 * several heap buffers of {@code rowsPerChunk} rows, like the loader's 1 GiB chunks, so row ranges cross buffers.
 */
final class RandomBlocks implements QuantizedMatrix {

    private final GgmlType type;
    private final BlockDecoder decoder;
    private final int rows;
    private final int cols;
    private final int rowsPerChunk;
    private final int rowBytes;
    private final List<ByteBuffer> chunks = new ArrayList<>();

    RandomBlocks(GgmlType type, int rows, int cols, int rowsPerChunk, long seed) {
        this.type = type;
        this.decoder = BlockDecoder.of(type);
        this.rows = rows;
        this.cols = cols;
        this.rowsPerChunk = rowsPerChunk;
        this.rowBytes = (int) type.rowBytes(cols);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int first = 0; first < rows; first += rowsPerChunk) {
            int n = Math.min(rowsPerChunk, rows - first);
            // a little slack in front, so rows do not start at byte 0 of their buffer
            ByteBuffer b = ByteBuffer.allocate(7 + n * rowBytes).order(ByteOrder.BIG_ENDIAN);
            for (int i = 0; i < b.capacity(); i++) {
                b.put(i, (byte) rnd.nextInt(256));
            }
            for (int blk = 0; blk < n * cols / type.blockSize(); blk++) {
                saneScales(b, 7 + blk * type.typeSize(), rnd);
            }
            chunks.add(b);
        }
    }

    private void saneScales(ByteBuffer b, int o, SplittableRandom rnd) {
        switch (type) {
            case F32:
                putLe32(b, o, Float.floatToIntBits((float) rnd.nextGaussian()));
                break;
            case F16:
                putLe16(b, o, FloatDecoder.toF16((float) rnd.nextGaussian()));
                break;
            case BF16:
                putLe16(b, o, FloatDecoder.toBf16((float) rnd.nextGaussian()));
                break;
            case MXFP4:
                b.put(o, (byte) (120 + rnd.nextInt(12)));
                break;
            case Q4_1:
            case Q5_1:
            case Q4_K:
            case Q5_K:
                putLe16(b, o, half(rnd));
                putLe16(b, o + 2, half(rnd));
                break;
            case Q2_K:
                putLe16(b, o + 80, half(rnd));
                putLe16(b, o + 82, half(rnd));
                break;
            case Q3_K:
                putLe16(b, o + 108, half(rnd));
                break;
            case Q6_K:
                putLe16(b, o + 208, half(rnd));
                break;
            default: // Q8_0, Q4_0, Q5_0, IQ4_NL, IQ4_XS: d first
                putLe16(b, o, half(rnd));
        }
    }

    /** A random normal half in ±[2^-10, 2^-1). */
    private static short half(SplittableRandom rnd) {
        int exp = 5 + rnd.nextInt(9);
        return (short) (rnd.nextInt(2) << 15 | exp << 10 | rnd.nextInt(1024));
    }

    private static void putLe16(ByteBuffer b, int o, short v) {
        b.put(o, (byte) v);
        b.put(o + 1, (byte) (v >> 8));
    }

    private static void putLe32(ByteBuffer b, int o, int v) {
        putLe16(b, o, (short) v);
        putLe16(b, o + 2, (short) (v >> 16));
    }

    /** All rows decoded by the scalar reference decoder. */
    float[] dequantized() {
        float[] w = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            dequantizeRow(r, w, r * cols);
        }
        return w;
    }

    @Override
    public String name() {
        return "random." + type;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void dequantizeRow(long row, float[] out, int outOffset) {
        decoder.decode(rowBuffer(row), rowOffset(row), cols / type.blockSize(), out, outOffset);
    }

    @Override
    public float dot(long row, float[] x) {
        return decoder.dot(rowBuffer(row), rowOffset(row), cols / type.blockSize(), x, 0);
    }

    @Override
    public ByteBuffer rowBuffer(long row) {
        return chunks.get((int) (row / rowsPerChunk));
    }

    @Override
    public int rowOffset(long row) {
        return 7 + (int) (row % rowsPerChunk) * rowBytes;
    }

    @Override
    public BlockDecoder decoder() {
        return decoder;
    }
}
