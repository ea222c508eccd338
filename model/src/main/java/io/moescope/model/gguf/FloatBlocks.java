package io.moescope.model.gguf;

import io.moescope.model.io.FloatDecoder;
import java.nio.ByteBuffer;

/** Unquantised float types: one element per "block", converted exactly (NaN payloads kept). */
enum FloatBlocks implements BlockDecoder {
    F32(GgmlType.F32) {
        @Override
        float value(ByteBuffer b, int i) {
            return Float.intBitsToFloat(Bytes.i32(b, i));
        }
    },
    F16(GgmlType.F16) {
        @Override
        float value(ByteBuffer b, int i) {
            return Bytes.f16(b, i);
        }
    },
    BF16(GgmlType.BF16) {
        @Override
        float value(ByteBuffer b, int i) {
            return FloatDecoder.bf16((short) Bytes.u16(b, i));
        }
    };

    private final GgmlType type;

    FloatBlocks(GgmlType type) {
        this.type = type;
    }

    /** The element whose bytes start at i. */
    abstract float value(ByteBuffer b, int i);

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public void decode(ByteBuffer src, int offset, int blockCount, float[] dst, int dstOffset) {
        int size = type.typeSize();
        for (int i = 0; i < blockCount; i++) {
            dst[dstOffset + i] = value(src, offset + i * size);
        }
    }

    @Override
    public float dot(ByteBuffer src, int offset, int blockCount, float[] x, int xOffset) {
        int size = type.typeSize();
        double sum = 0;
        for (int i = 0; i < blockCount; i++) {
            sum += (double) value(src, offset + i * size) * x[xOffset + i];
        }
        return (float) sum;
    }
}
