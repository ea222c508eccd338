package io.moescope.jmh;

import io.moescope.model.gguf.BlockDecoder;
import io.moescope.model.gguf.GgmlType;
import io.moescope.model.gguf.QuantizedMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * A benchmark weight in a ggml block type: random bytes in one direct (off-heap, like a mapping) buffer, the f16
 * block scales overwritten with small normal values so products stay finite. The kernels' speed does not depend
 * on the values; their accuracy is tested in the model module.
 */
final class BenchBlocks implements QuantizedMatrix {

    private final GgmlType type;
    private final int rows;
    private final int cols;
    private final int rowBytes;
    private final ByteBuffer buf;

    BenchBlocks(GgmlType type, int rows, int cols, long seed) {
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = (int) type.rowBytes(cols);
        this.buf = ByteBuffer.allocateDirect(rows * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i + 8 <= buf.capacity(); i += 8) {
            buf.putLong(i, rnd.nextLong());
        }
        int scaleAt = type == GgmlType.Q6_K ? 208 : type == GgmlType.Q2_K ? 80 : type == GgmlType.Q3_K ? 108 : 0;
        for (int o = 0; o < buf.capacity(); o += type.typeSize()) {
            if (type == GgmlType.MXFP4) {
                buf.put(o, (byte) (120 + rnd.nextInt(12)));
            } else if (type.blockSize() > 1) {
                buf.putShort(o + scaleAt, (short) (0x1000 + rnd.nextInt(0x1000)));
                if (type != GgmlType.Q6_K && type != GgmlType.Q3_K) {
                    buf.putShort(o + scaleAt + 2, (short) (0x1000 + rnd.nextInt(0x1000)));
                }
            }
        }
    }

    @Override
    public String name() {
        return "bench." + type;
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
        decoder().decode(buf, rowOffset(row), cols / type.blockSize(), out, outOffset);
    }

    @Override
    public float dot(long row, float[] x) {
        return decoder().dot(buf, rowOffset(row), cols / type.blockSize(), x, 0);
    }

    @Override
    public ByteBuffer rowBuffer(long row) {
        return buf;
    }

    @Override
    public int rowOffset(long row) {
        return (int) row * rowBytes;
    }

    @Override
    public BlockDecoder decoder() {
        return BlockDecoder.of(type);
    }
}
