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
 * ({@link RowKernel#sums32}), each scale applied once. Four accumulators keep the FMA chains short.
 */
enum KQuantKernels implements RowKernel {
    /** d:f16, dmin:f16, scales:12 bytes (eight 6-bit scales and mins), qs:u8[128]; sub-block k in nibbles. */
    Q4_K(144) {
        @Override
        float superBlock(ByteBuffer b, int o, float[] x, int xo, float[] sums, int so, FloatVector[] acc) {
            float d = Lanes.f16(b, o);
            float dmin = Lanes.f16(b, o + 2);
            long sm = scales(b, o + 4);
            long mins = mins(b, o + 4);
            float minSum = 0;
            for (int pair = 0; pair < 4; pair++) {
                int k = 2 * pair;
                int qs = o + 16 + 32 * pair;
                ByteVector q0 = load(b, qs);
                ByteVector q1 = load(b, qs + 16);
                int x0 = xo + 32 * k;
                FloatVector lo = fma(low(q1), x, x0 + 16, fma(low(q0), x, x0, zero()));
                FloatVector hi = fma(high(q1), x, x0 + 48, fma(high(q0), x, x0 + 32, zero()));
                int a = (pair & 1) * 2;
                acc[a] = lo.fma(FloatVector.broadcast(F, d * byteOf(sm, k)), acc[a]);
                acc[a + 1] = hi.fma(FloatVector.broadcast(F, d * byteOf(sm, k + 1)), acc[a + 1]);
                minSum += dmin * byteOf(mins, k) * sums[so + k] + dmin * byteOf(mins, k + 1) * sums[so + k + 1];
            }
            return minSum;
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
        float superBlock(ByteBuffer b, int o, float[] x, int xo, float[] sums, int so, FloatVector[] acc) {
            float d = Lanes.f16(b, o);
            float dmin = Lanes.f16(b, o + 2);
            long sm = scales(b, o + 4);
            long mins = mins(b, o + 4);
            ByteVector h0 = load(b, o + 16);
            ByteVector h1 = load(b, o + 32);
            float minSum = 0;
            for (int pair = 0; pair < 4; pair++) {
                int k = 2 * pair;
                int qs = o + 48 + 32 * pair;
                ByteVector q0 = load(b, qs);
                ByteVector q1 = load(b, qs + 16);
                int x0 = xo + 32 * k;
                FloatVector lo = fma(low(q1).or(fifth(h1, k)), x, x0 + 16, fma(low(q0).or(fifth(h0, k)), x, x0, zero()));
                FloatVector hi = fma(high(q1).or(fifth(h1, k + 1)), x, x0 + 48,
                        fma(high(q0).or(fifth(h0, k + 1)), x, x0 + 32, zero()));
                int a = (pair & 1) * 2;
                acc[a] = lo.fma(FloatVector.broadcast(F, d * byteOf(sm, k)), acc[a]);
                acc[a + 1] = hi.fma(FloatVector.broadcast(F, d * byteOf(sm, k + 1)), acc[a + 1]);
                minSum += dmin * byteOf(mins, k) * sums[so + k] + dmin * byteOf(mins, k + 1) * sums[so + k + 1];
            }
            return minSum;
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
        float superBlock(ByteBuffer b, int o, float[] x, int xo, float[] sums, int so, FloatVector[] acc) {
            float d = Lanes.f16(b, o + 208);
            for (int h = 0; h < 2; h++) {
                for (int c = 0; c < 2; c++) {
                    ByteVector qa = load(b, o + 64 * h + 16 * c);
                    ByteVector qb = load(b, o + 64 * h + 32 + 16 * c);
                    ByteVector qh = load(b, o + 128 + 32 * h + 16 * c);
                    int x0 = xo + 128 * h + 16 * c;
                    int s = o + 192 + 8 * h + c;
                    acc[0] = fma(q6(low(qa), qh, 0), x, x0, zero()).fma(scale(b, s, d), acc[0]);
                    acc[1] = fma(q6(low(qb), qh, 2), x, x0 + 32, zero()).fma(scale(b, s + 2, d), acc[1]);
                    acc[2] = fma(q6(high(qa), qh, 4), x, x0 + 64, zero()).fma(scale(b, s + 4, d), acc[2]);
                    acc[3] = fma(q6(high(qb), qh, 6), x, x0 + 96, zero()).fma(scale(b, s + 6, d), acc[3]);
                }
            }
            return 0;
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

    /**
     * Adds the super-block at byte o times x[xo .. xo + 256) into the four accumulators (scales applied) and returns
     * Σ_k min_k · Σx_k, to be subtracted.
     */
    abstract float superBlock(ByteBuffer b, int o, float[] x, int xo, float[] sums, int so, FloatVector[] acc);

    /** The super-block at byte o decoded into dst[d0 .. d0 + 256). */
    abstract void widenSuperBlock(ByteBuffer b, int o, float[] dst, int d0);

    @Override
    public boolean needsSums() {
        return this != Q6_K;
    }

    @Override
    public float dot(ByteBuffer b, int off, int blocks, float[] x, int xo, float[] sums, int so, float[] row) {
        FloatVector[] acc = {zero(), zero(), zero(), zero()};
        float minSum = 0;
        for (int k = 0; k < blocks; k++) {
            minSum += superBlock(b, off + k * blockBytes, x, xo + 256 * k, sums, so + 8 * k, acc);
        }
        return acc[0].add(acc[1]).add(acc[2].add(acc[3])).reduceLanes(VectorOperators.ADD) - minSum;
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
