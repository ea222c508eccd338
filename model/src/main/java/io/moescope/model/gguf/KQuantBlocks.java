package io.moescope.model.gguf;

import java.nio.ByteBuffer;

/**
 * The 256-element super-block types (gguf.md §4.3): sixteen sub-blocks of 16 (Q2_K, Q3_K, Q6_K) or eight of 32
 * (Q4_K, Q5_K, IQ4_XS), each with its own small integer scale times the f16 super-block scale. The products are
 * rounded to float exactly where ggml rounds them: scale·d first, then ·q, then − min.
 */
enum KQuantBlocks implements BlockDecoder {
    /** scales:u8[16] (low nibble scale, high nibble min), qs:u8[64] (2-bit), d:f16, dmin:f16. */
    Q2_K(GgmlType.Q2_K) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            float d = Bytes.f16(b, o + 80);
            float dmin = Bytes.f16(b, o + 82);
            for (int e = 0; e < 256; e++) {
                int h = e >> 7;
                int j = (e >> 5) & 3;
                int l32 = e & 31;
                int s = Bytes.u8(b, o + 8 * h + 2 * j + (l32 >> 4));
                int q = (Bytes.u8(b, o + 16 + 32 * h + l32) >> (2 * j)) & 3;
                float dl = d * (s & 15);
                float ml = dmin * (s >> 4);
                y[y0 + e] = dl * q - ml;
            }
        }
    },
    /** hmask:u8[32], qs:u8[64] (low 2 bits), scales: 12 bytes of sixteen 6-bit signed scales, d:f16. */
    Q3_K(GgmlType.Q3_K) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            float d = Bytes.f16(b, o + 108);
            float[] dl = new float[16];
            for (int i = 0; i < 16; i++) {
                int low = i < 8 ? Bytes.u8(b, o + 96 + i) & 15 : Bytes.u8(b, o + 96 + i - 8) >> 4;
                int high = (Bytes.u8(b, o + 104 + (i & 3)) >> (2 * (i >> 2))) & 3;
                dl[i] = d * ((low | high << 4) - 32);
            }
            for (int e = 0; e < 256; e++) {
                int h = e >> 7;
                int j = (e >> 5) & 3;
                int l32 = e & 31;
                int q2 = (Bytes.u8(b, o + 32 + 32 * h + l32) >> (2 * j)) & 3;
                int hb = (Bytes.u8(b, o + l32) >> (4 * h + j)) & 1;
                y[y0 + e] = dl[e >> 4] * (q2 - (hb != 0 ? 0 : 4));
            }
        }
    },
    /** d:f16, dmin:f16, scales: 12 bytes of eight 6-bit scales and mins, qs:u8[128] (nibbles). */
    Q4_K(GgmlType.Q4_K) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            float d = Bytes.f16(b, o);
            float dmin = Bytes.f16(b, o + 2);
            for (int k = 0; k < 8; k++) {
                float dk = d * scale(b, o + 4, k);
                float mk = dmin * min(b, o + 4, k);
                int shift = 4 * (k & 1);
                int qs = o + 16 + 32 * (k >> 1);
                for (int l = 0; l < 32; l++) {
                    y[y0 + 32 * k + l] = dk * ((Bytes.u8(b, qs + l) >> shift) & 15) - mk;
                }
            }
        }

        @Override
        double dotBlock(ByteBuffer b, int o, float[] x, int x0) {
            float d = Bytes.f16(b, o);
            float dmin = Bytes.f16(b, o + 2);
            double sum = 0;
            for (int k = 0; k < 8; k++) {
                int shift = 4 * (k & 1);
                int qs = o + 16 + 32 * (k >> 1);
                double sq = 0;
                double sx = 0;
                for (int l = 0; l < 32; l++) {
                    double xv = x[x0 + 32 * k + l];
                    sq += ((Bytes.u8(b, qs + l) >> shift) & 15) * xv;
                    sx += xv;
                }
                sum += (double) (d * scale(b, o + 4, k)) * sq - (double) (dmin * min(b, o + 4, k)) * sx;
            }
            return sum;
        }
    },
    /** d:f16, dmin:f16, scales (as Q4_K), qh:u8[32] (fifth bit of sub-block k = bit k), qs:u8[128]. */
    Q5_K(GgmlType.Q5_K) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            float d = Bytes.f16(b, o);
            float dmin = Bytes.f16(b, o + 2);
            for (int k = 0; k < 8; k++) {
                float dk = d * scale(b, o + 4, k);
                float mk = dmin * min(b, o + 4, k);
                int shift = 4 * (k & 1);
                int qs = o + 48 + 32 * (k >> 1);
                for (int l = 0; l < 32; l++) {
                    int q = ((Bytes.u8(b, qs + l) >> shift) & 15) | ((Bytes.u8(b, o + 16 + l) >> k) & 1) << 4;
                    y[y0 + 32 * k + l] = dk * q - mk;
                }
            }
        }
    },
    /** ql:u8[128] (low 4 bits), qh:u8[64] (high 2 bits), scales:i8[16], d:f16; q − 32 in −32..31. */
    Q6_K(GgmlType.Q6_K) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            float d = Bytes.f16(b, o + 208);
            for (int e = 0; e < 256; e++) {
                int h = e >> 7;
                int r = (e >> 5) & 3;
                int l = e & 31;
                float dl = d * b.get(o + 192 + (e >> 4));
                y[y0 + e] = dl * q6(b, o, h, r, l);
            }
        }

        @Override
        double dotBlock(ByteBuffer b, int o, float[] x, int x0) {
            float d = Bytes.f16(b, o + 208);
            double sum = 0;
            for (int sub = 0; sub < 16; sub++) {
                double s = 0;
                for (int i = 0; i < 16; i++) {
                    int e = 16 * sub + i;
                    s += q6(b, o, e >> 7, (e >> 5) & 3, e & 31) * (double) x[x0 + e];
                }
                sum += (double) (d * b.get(o + 192 + sub)) * s;
            }
            return sum;
        }
    },
    /** d:f16, scales_h:u16, scales_l:u8[4] (eight 6-bit scales), qs:u8[128]; y = d·(ls − 32)·K[nibble]. */
    IQ4_XS(GgmlType.IQ4_XS) {
        @Override
        void block(ByteBuffer b, int o, float[] y, int y0) {
            float d = Bytes.f16(b, o);
            int scalesH = Bytes.u16(b, o + 2);
            for (int ib = 0; ib < 8; ib++) {
                int ls = ((Bytes.u8(b, o + 4 + (ib >> 1)) >> (4 * (ib & 1))) & 15) | ((scalesH >> (2 * ib)) & 3) << 4;
                float dl = d * (ls - 32);
                for (int j = 0; j < 16; j++) {
                    int q = Bytes.u8(b, o + 8 + 16 * ib + j);
                    y[y0 + 32 * ib + j] = dl * LegacyBlocks.IQ4_VALUES[q & 15];
                    y[y0 + 32 * ib + 16 + j] = dl * LegacyBlocks.IQ4_VALUES[q >> 4];
                }
            }
        }
    };

    private final GgmlType type;

    KQuantBlocks(GgmlType type) {
        this.type = type;
    }

    /** Decodes the one super-block at byte o into y[y0 .. y0 + 256). */
    abstract void block(ByteBuffer b, int o, float[] y, int y0);

    /** Σ w·x over the super-block at byte o; by default decode, then multiply. */
    double dotBlock(ByteBuffer b, int o, float[] x, int x0) {
        float[] w = new float[256];
        block(b, o, w, 0);
        double s = 0;
        for (int j = 0; j < 256; j++) {
            s += (double) w[j] * x[x0 + j];
        }
        return s;
    }

    /** Q4_K/Q5_K 6-bit scale k (0..7) from the 12 scale bytes at s. */
    static int scale(ByteBuffer b, int s, int k) {
        return k < 4 ? Bytes.u8(b, s + k) & 63 : (Bytes.u8(b, s + k + 4) & 15) | (Bytes.u8(b, s + k - 4) >> 6) << 4;
    }

    /** Q4_K/Q5_K 6-bit min k (0..7) from the 12 scale bytes at s. */
    static int min(ByteBuffer b, int s, int k) {
        return k < 4 ? Bytes.u8(b, s + k + 4) & 63 : (Bytes.u8(b, s + k + 4) >> 4) | (Bytes.u8(b, s + k) >> 6) << 4;
    }

    /** Q6_K quant of element 128h + 32r + l of the block at o, in −32..31. */
    static int q6(ByteBuffer b, int o, int h, int r, int l) {
        int ql = (Bytes.u8(b, o + 64 * h + 32 * (r & 1) + l) >> (4 * (r >> 1))) & 15;
        int qh = (Bytes.u8(b, o + 128 + 32 * h + l) >> (2 * r)) & 3;
        return (ql | qh << 4) - 32;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public void decode(ByteBuffer src, int offset, int blockCount, float[] dst, int dstOffset) {
        for (int blk = 0; blk < blockCount; blk++) {
            block(src, offset + blk * type.typeSize(), dst, dstOffset + 256 * blk);
        }
    }

    @Override
    public float dot(ByteBuffer src, int offset, int blockCount, float[] x, int xOffset) {
        double sum = 0;
        for (int blk = 0; blk < blockCount; blk++) {
            sum += dotBlock(src, offset + blk * type.typeSize(), x, xOffset + 256 * blk);
        }
        return (float) sum;
    }
}
