package io.moescope.model.tensor.quant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Integer dot products of ggml weight blocks with int8 activations. The JDK 17 Vector API has no
 * {@code pmaddubsw}/{@code vpdpbusd}, so the products are taken in 512-bit vectors of shorts: Q8_0's 32 weight bytes
 * widened, the K-quants' 64 bytes of bit fields read as 32 shorts and their codes cut out there (the activation codes
 * then in the matching lane order, {@link Int8RowKernel#codeOrder}); the activation codes are shorts already
 * (|w · q| ≤ 32 · 127 for the K-quants, 128 · 127 for Q8_0: no overflow); adjacent products are then summed into
 * ints. A block's (or sub-block's) integer sum is exact; its scale is applied once: an int multiply by the 6- or
 * 8-bit sub-block scale inside a super-block (≤ 2^23 per lane), one FP32 FMA per super-block (K-quants) or per
 * 32-block (Q8_0). Needs 512-bit vectors to pay off; see {@link QuantMatrices#int8Kernel}.
 */
enum Int8Kernels implements Int8RowKernel {
    /** d:f16, qs:i8[32] against 32-blocks of activations: Σ_k d_k · a_k · Σ w·q. */
    Q8_0(32) {
        @Override
        public float dot(ByteBuffer b, int off, int blocks, Q8Activations a, int t) {
            short[] q = a.codes;
            float[] scales = a.scales;
            int qo = t * a.cols;
            int so = t * (a.cols / 32);
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            int k = 0;
            for (; k + 1 < blocks; k += 2) { // two chains: the FMA's latency, not its throughput, bounded one
                int o = off + 34 * k;
                ShortVector p0 =
                        widen(ByteVector.fromByteBuffer(B, b, o + 2, LE)).mul(codes(q, qo + 32 * k));
                ShortVector p1 =
                        widen(ByteVector.fromByteBuffer(B, b, o + 36, LE)).mul(codes(q, qo + 32 * k + 32));
                acc0 = toFloat(pairSum(p0)).fma(FloatVector.broadcast(F, Lanes.f16(b, o) * scales[so + k]), acc0);
                acc1 = toFloat(pairSum(p1))
                        .fma(FloatVector.broadcast(F, Lanes.f16(b, o + 34) * scales[so + k + 1]), acc1);
            }
            if (k < blocks) {
                int o = off + 34 * k;
                ShortVector p =
                        widen(ByteVector.fromByteBuffer(B, b, o + 2, LE)).mul(codes(q, qo + 32 * k));
                acc0 = toFloat(pairSum(p)).fma(FloatVector.broadcast(F, Lanes.f16(b, o) * scales[so + k]), acc0);
            }
            return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        }
    },
    /**
     * Q4_K against 256-blocks: per super-block a · (d · Σ_k s_k Σ w·q − dmin · Σ_k m_k Σ q), the nibbles w in 0..15,
     * the min term from the activations' per-32 code sums in a scalar pass. Each 128 columns' 64 nibble bytes are
     * read as 32 shorts in one load (no widening), their four nibbles cut out with a shift and an and, against the
     * activation codes kept in that order ({@link Q8Activations#paired}); the even and odd columns' products of a
     * sub-block pair are added as shorts (≤ 2 · 15 · 127) before the pair sum into ints.
     */
    Q4_K(256) {
        @Override
        public float dot(ByteBuffer b, int off, int blocks, Q8Activations a, int t) {
            short[] q = a.paired;
            int qo = t * a.cols;
            int so = t * (a.cols / 256);
            FloatVector acc = FloatVector.zero(F);
            for (int blk = 0; blk < blocks; blk++) {
                int o = off + 144 * blk;
                long sc = KQuantKernels.scales(b, o + 4);
                IntVector sum = IntVector.zero(I);
                for (int g = 0; g < 2; g++) { // sub-blocks 4g .. 4g + 3: 64 bytes, 128 columns
                    ShortVector w = ShortVector.fromByteBuffer(S, b, o + 16 + 64 * g, LE);
                    int xq = qo + 256 * blk + 128 * g;
                    ShortVector even = w.and((short) 15)
                            .mul(codes(q, xq))
                            .add(w.lanewise(VectorOperators.LSHR, 8)
                                    .and((short) 15)
                                    .mul(codes(q, xq + 32)));
                    ShortVector odd = w.lanewise(VectorOperators.LSHR, 4)
                            .and((short) 15)
                            .mul(codes(q, xq + 64))
                            .add(w.lanewise(VectorOperators.LSHR, 12).mul(codes(q, xq + 96)));
                    // int lanes 0..7 belong to sub-block 4g (even) / 4g + 1 (odd), lanes 8..15 to 4g + 2 / 4g + 3
                    IntVector s4 = IntVector.broadcast(I, (int) (sc >>> (32 * g)));
                    sum = sum.add(pairSum(even)
                                    .mul(s4.lanewise(VectorOperators.LSHR, EVEN_SHIFTS)
                                            .and(0xFF)))
                            .add(pairSum(odd)
                                    .mul(s4.lanewise(VectorOperators.LSHR, ODD_SHIFTS)
                                            .and(0xFF)));
                }
                acc = toFloat(sum).fma(FloatVector.broadcast(F, Lanes.f16(b, o) * a.scales[so + blk]), acc);
            }
            return acc.reduceLanes(VectorOperators.ADD) - minTerms(b, off, blocks, a, t);
        }

        @Override
        public int[] codeOrder() {
            return Q4_K_ORDER;
        }
    },
    /**
     * Q6_K against 256-blocks: codes w − 32 in −32..31, one signed 8-bit scale per 16 values. Per half of 128 values
     * the 64 ql bytes are read as 32 shorts (lanes 0..15: values 0..31 and 64..95 of the half, in low and high
     * nibbles of even and odd bytes; lanes 16..31: values 32..63 and 96..127) and the 64 qh bytes of the super-block
     * as 32 shorts, the half's 16 moved into both lane halves by one shuffle and lined up by a per-lane shift; the
     * 6-bit codes are cut out there, against the activation codes in that lane order. One nibble pair (P = 0, 1 or
     * 2, 3) per loop iteration: all four overflowed C2's inlining node budget ({@code NodeCountInliningCutoff}),
     * which boxes the vectors (1.6 ms instead of 0.25 per 1024×2048 product).
     */
    Q6_K(256) {
        @Override
        public float dot(ByteBuffer b, int off, int blocks, Q8Activations a, int t) {
            short[] q = a.paired;
            int qo = t * a.cols;
            int so = t * (a.cols / 256);
            FloatVector acc = FloatVector.zero(F);
            for (int blk = 0; blk < blocks; blk++) {
                int o = off + 210 * blk;
                IntVector sum = IntVector.zero(I);
                for (int i = 0; i < 4; i++) { // half h; u = 0: low nibbles (P = 0, 1), u = 4: high (P = 2, 3)
                    int h = i >> 1;
                    int u = 4 * (i & 1);
                    ShortVector ql = ShortVector.fromByteBuffer(S, b, o + 64 * h, LE);
                    ShortVector qh = ShortVector.fromByteBuffer(S, b, o + 128, LE)
                            .rearrange(h == 0 ? QH_HALF0 : QH_HALF1)
                            .lanewise(VectorOperators.LSHR, QH_SHIFTS);
                    int xq = qo + 256 * blk + 128 * h + 16 * u;
                    ShortVector p = ql.lanewise(VectorOperators.LSHR, u)
                            .and((short) 15)
                            .or(qh.lanewise(VectorOperators.LSHL, 4 - u).and((short) 0x30))
                            .sub((short) 32)
                            .mul(codes(q, xq))
                            .add(ql.lanewise(VectorOperators.LSHR, 8 + u)
                                    .and((short) 15)
                                    .or(qh.lanewise(VectorOperators.LSHR, 4 + u).and((short) 0x30))
                                    .sub((short) 32)
                                    .mul(codes(q, xq + 32)));
                    // int lane m takes scale 8h + u + m / 4 (signed bytes)
                    sum = sum.add(pairSum(p).mul(signedBytes(b.getInt(o + 192 + 8 * h + u))));
                }
                acc = toFloat(sum).fma(FloatVector.broadcast(F, Lanes.f16(b, o + 208) * a.scales[so + blk]), acc);
            }
            return acc.reduceLanes(VectorOperators.ADD);
        }

        @Override
        public int[] codeOrder() {
            return Q6_K_ORDER;
        }
    };

    static final VectorSpecies<Byte> B = ByteVector.SPECIES_256;
    static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Int lanes 8..15: the pair sums of a 32-value chunk's second 16 values. */
    static final VectorMask<Integer> UPPER = VectorMask.fromLong(I, 0xFF00L);
    /** qh shorts 0..15 (half 0), then 16..31 (half 1), in both lane halves. */
    static final VectorShuffle<Short> QH_HALF0 = VectorShuffle.fromOp(S, i -> i % 16);

    static final VectorShuffle<Short> QH_HALF1 = VectorShuffle.fromOp(S, i -> 16 + i % 16);
    /** Lanes 16..31 read the qh bit pairs of the second ql run, two bits up. */
    static final ShortVector QH_SHIFTS = ShortVector.zero(S).blend((short) 2, VectorMask.fromLong(S, 0xFFFF0000L));
    /** Left shifts that bring byte m / 4 of an int to the top of int lane m. */
    static final IntVector BYTE_SHIFTS = IntVector.zero(I)
            .addIndex(1)
            .lanewise(VectorOperators.LSHR, 2)
            .mul(-8)
            .add(24);
    /** Column order of Q4_K's lanes: part P = i / 32, lane l = i % 32 is column 32 (P/2 + 2 (l/16)) + 2 (l%16) + P%2. */
    static final int[] Q4_K_ORDER = order(false);
    /** Column order of Q6_K's lanes: part P, lane l is column 32 (l/16 + 2 (P/2)) + 2 (l%16) + P%2. */
    static final int[] Q6_K_ORDER = order(true);
    /** Bit shifts that move scale byte 0 (int lanes 0..7) and byte 2 (8..15) of an int to its low byte. */
    static final IntVector EVEN_SHIFTS = IntVector.broadcast(I, 0).blend(16, UPPER);
    /** The same for bytes 1 and 3. */
    static final IntVector ODD_SHIFTS = IntVector.broadcast(I, 8).blend(24, UPPER);

    private final int activationBlock;

    Int8Kernels(int activationBlock) {
        this.activationBlock = activationBlock;
    }

    @Override
    public int activationBlock() {
        return activationBlock;
    }

    /** Int lane m: byte m / 4 of {@code packed}, sign-extended. */
    private static IntVector signedBytes(int packed) {
        return IntVector.broadcast(I, packed)
                .lanewise(VectorOperators.LSHL, BYTE_SHIFTS)
                .lanewise(VectorOperators.ASHR, 24);
    }

    /**
     * The columns (within 128) that the four nibble positions P of 32 short lanes l hold: each lane the bytes 2 (l %
     * 16) and 2 (l % 16) + 1 of the first (l < 16) or second 32-byte half of a 64-byte load; P = 0, 1 the low nibbles
     * of the even and odd byte, P = 2, 3 their high nibbles. Q4_K: the load's halves are sub-blocks 0/1 and 2/3 (low /
     * high nibbles); Q6_K: they are values 0..31 / 32..63 (low nibbles) and 64..95 / 96..127 (high).
     */
    private static int[] order(boolean q6) {
        int[] order = new int[128];
        for (int i = 0; i < 128; i++) {
            int part = i / 32;
            int lane = i % 32;
            int run = q6 ? lane / 16 + 2 * (part / 2) : part / 2 + 2 * (lane / 16);
            order[i] = 32 * run + 2 * (lane % 16) + part % 2;
        }
        return order;
    }

    /**
     * 32 bytes as 32 shorts. The kernels do their bit work on the widened shorts, never on the {@code ByteVector}:
     * the FP32 kernels use 128-bit byte vectors, and with both shapes in one JVM C2 left this file's 256-bit byte
     * shifts and ors to the Java fallback (half of all Q4_K_M decode samples, docs/benchmarks.md).
     */
    private static ShortVector widen(ByteVector v) {
        return (ShortVector) v.convertShape(VectorOperators.B2S, S, 0);
    }

    /** 32 activation codes. */
    private static ShortVector codes(short[] q, int off) {
        return ShortVector.fromArray(S, q, off);
    }

    /**
     * p[2j] + p[2j + 1] as ints, exact while |p[2j] + p[2j + 1]| < 2^15: p's bits read as 16 ints v = H · 2^16 + L'
     * (L' the low short read unsigned); v · 65537 ≡ (H + L') · 2^16 + L' (mod 2^32), so the arithmetic shift by 16
     * gives H + L' as a signed short, which is H + L. A multiply and a shift, where two lane widenings would compete
     * for the shuffle port.
     */
    private static IntVector pairSum(ShortVector p) {
        return p.reinterpretAsInts().mul(65537).lanewise(VectorOperators.ASHR, 16);
    }

    private static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convertShape(VectorOperators.I2F, F, 0);
    }

    /** Σ_blk a_blk · dmin_blk · Σ_k m_k · (Σ codes of sub-block k): Q4_K's minimum terms. */
    private static float minTerms(ByteBuffer b, int off, int blocks, Q8Activations a, int t) {
        int so = t * (a.cols / 256);
        int sums = t * (a.cols / 32);
        float s = 0;
        for (int blk = 0; blk < blocks; blk++) {
            int o = off + 144 * blk;
            long mins = KQuantKernels.mins(b, o + 4);
            int m = 0;
            for (int k = 0; k < 8; k++) {
                m += KQuantKernels.byteOf(mins, k) * a.sums[sums + 8 * blk + k];
            }
            s += Lanes.f16(b, o + 2) * a.scales[so + blk] * m;
        }
        return s;
    }
}
