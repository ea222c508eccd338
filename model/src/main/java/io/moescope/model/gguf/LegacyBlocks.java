package io.moescope.model.gguf;

import io.moescope.model.io.Mxfp4;
import java.nio.ByteBuffer;

/**
 * The 32-element block types (gguf.md §4.2, §4.4). In every one of them the low nibbles (or low bits) of byte j
 * give element j and the high nibbles element j + 16: the two halves are not interleaved.
 */
enum LegacyBlocks implements BlockDecoder {
    /** d:f16, qs:i8[32]; y = q·d. */
    Q8_0(GgmlType.Q8_0) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            float d = Bytes.f16(b, o);
            for (int j = 0; j < 32; j++) {
                y[y0 + j] = b.get(o + 2 + j) * d;
            }
        }

        @Override
        double dotBlock(ByteBuffer b, int o, float[] x, int x0) {
            double s = 0;
            for (int j = 0; j < 32; j++) {
                s += b.get(o + 2 + j) * (double) x[x0 + j];
            }
            return Bytes.f16(b, o) * s;
        }
    },
    /** d:f16, qs:u8[16]; y = (nibble − 8)·d. */
    Q4_0(GgmlType.Q4_0) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            float d = Bytes.f16(b, o);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(b, o + 2 + j);
                y[y0 + j] = ((q & 15) - 8) * d;
                y[y0 + j + 16] = ((q >> 4) - 8) * d;
            }
        }

        @Override
        double dotBlock(ByteBuffer b, int o, float[] x, int x0) {
            double s = 0;
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(b, o + 2 + j);
                s += ((q & 15) - 8) * (double) x[x0 + j] + ((q >> 4) - 8) * (double) x[x0 + j + 16];
            }
            return Bytes.f16(b, o) * s;
        }
    },
    /** d:f16, m:f16, qs:u8[16]; y = nibble·d + m. */
    Q4_1(GgmlType.Q4_1) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            float d = Bytes.f16(b, o);
            float m = Bytes.f16(b, o + 2);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(b, o + 4 + j);
                y[y0 + j] = (q & 15) * d + m;
                y[y0 + j + 16] = (q >> 4) * d + m;
            }
        }

        @Override
        double dotBlock(ByteBuffer b, int o, float[] x, int x0) {
            double s = 0;
            double sx = 0;
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(b, o + 4 + j);
                s += (q & 15) * (double) x[x0 + j] + (q >> 4) * (double) x[x0 + j + 16];
                sx += (double) x[x0 + j] + x[x0 + j + 16];
            }
            return Bytes.f16(b, o) * s + Bytes.f16(b, o + 2) * sx;
        }
    },
    /** d:f16, qh:u32, qs:u8[16]; 5-bit q = nibble | qh bit << 4; y = (q − 16)·d. */
    Q5_0(GgmlType.Q5_0) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            float d = Bytes.f16(b, o);
            int qh = Bytes.i32(b, o + 2);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(b, o + 6 + j);
                y[y0 + j] = (((q & 15) | ((qh >>> j) & 1) << 4) - 16) * d;
                y[y0 + j + 16] = (((q >> 4) | ((qh >>> (j + 16)) & 1) << 4) - 16) * d;
            }
        }
    },
    /** d:f16, m:f16, qh:u32, qs:u8[16]; y = q·d + m. */
    Q5_1(GgmlType.Q5_1) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            float d = Bytes.f16(b, o);
            float m = Bytes.f16(b, o + 2);
            int qh = Bytes.i32(b, o + 4);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(b, o + 8 + j);
                y[y0 + j] = ((q & 15) | ((qh >>> j) & 1) << 4) * d + m;
                y[y0 + j + 16] = ((q >> 4) | ((qh >>> (j + 16)) & 1) << 4) * d + m;
            }
        }
    },
    /** d:f16, qs:u8[16]; y = d·K[nibble] with a non-linear 16-entry table. */
    IQ4_NL(GgmlType.IQ4_NL) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            float d = Bytes.f16(b, o);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(b, o + 2 + j);
                y[y0 + j] = d * IQ4_VALUES[q & 15];
                y[y0 + j + 16] = d * IQ4_VALUES[q >> 4];
            }
        }
    },
    /** e:u8 (E8M0 exponent), qs:u8[16]; y = d·K4[nibble], d = 2^(e − 128), K4 the doubled E2M1 values ({@link Mxfp4}). */
    MXFP4(GgmlType.MXFP4) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            Mxfp4.decodeBlock(b, o + 1, Mxfp4.halfScale(Bytes.u8(b, o)), Mxfp4.Form.GGUF, y, y0);
        }
    };

    /** ggml's kvalues_iq4nl, shared with IQ4_XS. */
    static final float[] IQ4_VALUES = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    private final GgmlType type;

    LegacyBlocks(GgmlType type) {
        this.type = type;
    }

    /** Decodes the one block at byte o into y[y0 .. y0 + 32). */
    abstract void block(ByteBuffer b, int o, float[] y, int y0);

    /** Σ w·x over the block at byte o; by default decode, then multiply. */
    double dotBlock(ByteBuffer b, int o, float[] x, int x0) {
        float[] w = new float[32];
        block(b, o, w, 0);
        double s = 0;
        for (int j = 0; j < 32; j++) {
            s += (double) w[j] * x[x0 + j];
        }
        return s;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public void decode(ByteBuffer src, int offset, int blockCount, float[] dst, int dstOffset) {
        for (int blk = 0; blk < blockCount; blk++) {
            block(src, offset + blk * type.typeSize(), dst, dstOffset + 32 * blk);
        }
    }

    @Override
    public float dot(ByteBuffer src, int offset, int blockCount, float[] x, int xOffset) {
        double sum = 0;
        for (int blk = 0; blk < blockCount; blk++) {
            sum += dotBlock(src, offset + blk * type.typeSize(), x, xOffset + 32 * blk);
        }
        return (float) sum;
    }
}
