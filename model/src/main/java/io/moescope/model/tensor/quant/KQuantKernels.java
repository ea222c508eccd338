package io.moescope.model.tensor.quant;

import static io.moescope.model.tensor.quant.Lanes.F;
import static io.moescope.model.tensor.quant.Lanes.fma;
import static io.moescope.model.tensor.quant.Lanes.high;
import static io.moescope.model.tensor.quant.Lanes.load;
import static io.moescope.model.tensor.quant.Lanes.low;
import static io.moescope.model.tensor.quant.Lanes.store;
import static io.moescope.model.tensor.quant.Lanes.zero;

import java.nio.ByteBuffer;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * In-place kernels for the 256-element super-blocks real Q4_K_M / Q5_K_M files are made of. A sub-block's dot
 * product is factored as scale · Σ q·x − min · Σ x: the Σ q·x in FP32 vectors, Σ x precomputed once per product
 * ({@link RowKernel#sums32}), each scale applied once. Each constant has its own small dot loop, one sub-block per
 * iteration, so that C2 inlines every vector call and the vectors stay in registers (a
 * shared loop calling per-type code, or a loop body over C2's inlining node budget, boxes them: 100× slower).
 */
enum KQuantKernels implements RowKernel {
    /** d:f16, dmin:f16, scales:12 bytes (eight 6-bit scales and mins), qs:u8[128]; sub-block k in nibbles. */
    Q4_K(144) {
        @Override
        public float dot(ByteBuffer b, int off, int blocks, float[] x, int xo, float[] sums, int so, float[] row) {
            FloatVector acc = zero();
            for (int blk = 0; blk < blocks; blk++) {
                int o = off + 144 * blk;
                float d = Lanes.f16(b, o);
                long sc = scales(b, o + 4);
                for (int k = 0; k < 8; k++) {
                    int qs = o + 16 + 32 * (k >> 1);
                    int shift = 4 * (k & 1);
                    int xk = xo + 256 * blk + 32 * k;
                    FloatVector p = fma(nibble(load(b, qs), shift), x, xk, zero());
                    p = fma(nibble(load(b, qs + 16), shift), x, xk + 16, p);
                    acc = p.fma(scale(d, sc, k), acc);
                }
            }
            return acc.reduceLanes(VectorOperators.ADD) - minSum(b, off, 144, blocks, sums, so);
        }

        @Override
        void widenSuperBlock(ByteBuffer b, int o, float[] dst, int d0) {
            float d = Lanes.f16(b, o);
            float dmin = Lanes.f16(b, o + 2);
            long sm = scales(b, o + 4);
            long mins = mins(b, o + 4);
            for (int k = 0; k < 8; k++) {
                float dk = d * byteOf(sm, k);
                float mk = dmin * byteOf(mins, k);
                int qs = o + 16 + 32 * (k >> 1);
                ByteVector q0 = load(b, qs);
                ByteVector q1 = load(b, qs + 16);
                store((k & 1) == 0 ? low(q0) : high(q0), dk, mk, dst, d0 + 32 * k);
                store((k & 1) == 0 ? low(q1) : high(q1), dk, mk, dst, d0 + 32 * k + 16);
            }
        }
    },
    /** d, dmin, scales (as Q4_K), qh:u8[32] (bit k = fifth bit of sub-block k), qs:u8[128]. */
    Q5_K(176) {
        @Override
        public float dot(ByteBuffer b, int off, int blocks, float[] x, int xo, float[] sums, int so, float[] row) {
            FloatVector acc = zero();
            for (int blk = 0; blk < blocks; blk++) {
                int o = off + 176 * blk;
                float d = Lanes.f16(b, o);
                long sc = scales(b, o + 4);
                for (int k = 0; k < 8; k++) {
                    int qs = o + 48 + 32 * (k >> 1);
                    int shift = 4 * (k & 1);
                    int xk = xo + 256 * blk + 32 * k;
                    FloatVector p = fma(nibble(load(b, qs), shift).or(fifth(load(b, o + 16), k)), x, xk, zero());
                    p = fma(nibble(load(b, qs + 16), shift).or(fifth(load(b, o + 32), k)), x, xk + 16, p);
                    acc = p.fma(scale(d, sc, k), acc);
                }
            }
            return acc.reduceLanes(VectorOperators.ADD) - minSum(b, off, 176, blocks, sums, so);
        }

        @Override
        void widenSuperBlock(ByteBuffer b, int o, float[] dst, int d0) {
            float d = Lanes.f16(b, o);
            float dmin = Lanes.f16(b, o + 2);
            long sm = scales(b, o + 4);
            long mins = mins(b, o + 4);
            ByteVector h0 = load(b, o + 16);
            ByteVector h1 = load(b, o + 32);
            for (int k = 0; k < 8; k++) {
                float dk = d * byteOf(sm, k);
                float mk = dmin * byteOf(mins, k);
                int qs = o + 48 + 32 * (k >> 1);
                ByteVector q0 = load(b, qs);
                ByteVector q1 = load(b, qs + 16);
                ByteVector n0 = (k & 1) == 0 ? low(q0) : high(q0);
                ByteVector n1 = (k & 1) == 0 ? low(q1) : high(q1);
                store(n0.or(fifth(h0, k)), dk, mk, dst, d0 + 32 * k);
                store(n1.or(fifth(h1, k)), dk, mk, dst, d0 + 32 * k + 16);
            }
        }
    },
    /** ql:u8[128] (low 4 bits), qh:u8[64] (high 2 bits), scales:i8[16] (one per 16 elements), d:f16; q − 32. */
    Q6_K(210) {
        @Override
        public float dot(ByteBuffer b, int off, int blocks, float[] x, int xo, float[] sums, int so, float[] row) {
            FloatVector acc = zero();
            for (int blk = 0; blk < blocks; blk++) {
                int o = off + 210 * blk;
                float d = Lanes.f16(b, o + 208);
                for (int g = 0; g < 16; g++) { // group g: elements 16g .. 16g + 16, h = g / 8, r = g / 2 % 4, c = g % 2
                    int h = g >> 3;
                    int r = (g >> 1) & 3;
                    int c = g & 1;
                    ByteVector ql = nibble(load(b, o + 64 * h + 32 * (r & 1) + 16 * c), 4 * (r >> 1));
                    ByteVector q = q6(ql, load(b, o + 128 + 32 * h + 16 * c), 2 * r);
                    acc = fma(q, x, xo + 256 * blk + 16 * g, zero()).fma(scale(b, o + 192 + g, d), acc);
                }
            }
            return acc.reduceLanes(VectorOperators.ADD);
        }

        @Override
        void widenSuperBlock(ByteBuffer b, int o, float[] dst, int d0) {
            float d = Lanes.f16(b, o + 208);
            for (int h = 0; h < 2; h++) {
                for (int c = 0; c < 2; c++) {
                    ByteVector qa = load(b, o + 64 * h + 16 * c);
                    ByteVector qb = load(b, o + 64 * h + 32 + 16 * c);
                    ByteVector qh = load(b, o + 128 + 32 * h + 16 * c);
                    int y = d0 + 128 * h + 16 * c;
                    int s = o + 192 + 8 * h + c;
                    store(q6(low(qa), qh, 0), d * b.get(s), dst, y);
                    store(q6(low(qb), qh, 2), d * b.get(s + 2), dst, y + 32);
                    store(q6(high(qa), qh, 4), d * b.get(s + 4), dst, y + 64);
                    store(q6(high(qb), qh, 6), d * b.get(s + 6), dst, y + 96);
                }
            }
        }
    };

    private final int blockBytes;

    KQuantKernels(int blockBytes) {
        this.blockBytes = blockBytes;
    }

    /** The super-block at byte o decoded into dst[d0 .. d0 + 256). */
    abstract void widenSuperBlock(ByteBuffer b, int o, float[] dst, int d0);

    @Override
    public boolean needsSums() {
        return this != Q6_K;
    }

    @Override
    public void widen(ByteBuffer b, int off, int blocks, float[] dst, int d0) {
        for (int k = 0; k < blocks; k++) {
            widenSuperBlock(b, off + k * blockBytes, dst, d0 + 256 * k);
        }
    }

    /** The eight 6-bit scales of a Q4_K/Q5_K super-block from its 12 scale bytes at s: scale k in byte k. */
    static long scales(ByteBuffer b, int s) {
        int u0 = b.getInt(s);
        int u2 = b.getInt(s + 8);
        int lo = u0 & 0x3F3F3F3F;
        int hi = (u2 & 0x0F0F0F0F) | ((u0 >>> 6) & 0x03030303) << 4;
        return (lo & 0xFFFFFFFFL) | (long) hi << 32;
    }

    /** The eight 6-bit mins, min k in byte k. */
    static long mins(ByteBuffer b, int s) {
        int u1 = b.getInt(s + 4);
        int u2 = b.getInt(s + 8);
        int lo = u1 & 0x3F3F3F3F;
        int hi = ((u2 >>> 4) & 0x0F0F0F0F) | ((u1 >>> 6) & 0x03030303) << 4;
        return (lo & 0xFFFFFFFFL) | (long) hi << 32;
    }

    /** Byte k of a packed long. */
    static int byteOf(long packed, int k) {
        return (int) (packed >>> (8 * k)) & 0xFF;
    }

    /** d · scale k, rounded as ggml rounds it, broadcast. */
    private static FloatVector scale(float d, long scales, int k) {
        return FloatVector.broadcast(F, d * byteOf(scales, k));
    }

    /**
     * Σ over the row's super-blocks and their sub-blocks k of (dmin · min_k) · Σx_k: the minimum terms, summed in a
     * scalar pass after the vector loop (inside it, the extra code stopped C2 from inlining the vector calls).
     */
    private static float minSum(ByteBuffer b, int off, int blockBytes, int blocks, float[] sums, int so) {
        float s = 0;
        for (int blk = 0; blk < blocks; blk++) {
            int o = off + blockBytes * blk;
            float dmin = Lanes.f16(b, o + 2);
            long mins = mins(b, o + 4);
            for (int k = 0; k < 8; k++) {
                s += dmin * byteOf(mins, k) * sums[so + 8 * blk + k];
            }
        }
        return s;
    }

    /** The nibble at bit {@code shift} (0 or 4) of each byte. */
    private static ByteVector nibble(ByteVector v, int shift) {
        return v.lanewise(VectorOperators.LSHR, shift).and((byte) 15);
    }

    /** The fifth bit of sub-block k from the qh bytes, as bit 4. */
    private static ByteVector fifth(ByteVector qh, int k) {
        return qh.lanewise(VectorOperators.LSHR, k).and((byte) 1).lanewise(VectorOperators.LSHL, 4);
    }

    /** A Q6_K code: four low bits | two high bits (qh >> shift) << 4, minus 32. */
    private static ByteVector q6(ByteVector lowBits, ByteVector qh, int shift) {
        return lowBits.or(qh.lanewise(VectorOperators.LSHR, shift).and((byte) 3).lanewise(VectorOperators.LSHL, 4))
                .sub((byte) 32);
    }

    private static FloatVector scale(ByteBuffer b, int s, float d) {
        return FloatVector.broadcast(F, d * b.get(s));
    }
}
