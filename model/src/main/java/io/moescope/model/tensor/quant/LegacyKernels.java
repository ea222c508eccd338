package io.moescope.model.tensor.quant;

import static io.moescope.model.tensor.quant.Lanes.F;
import static io.moescope.model.tensor.quant.Lanes.fma;
import static io.moescope.model.tensor.quant.Lanes.high;
import static io.moescope.model.tensor.quant.Lanes.load;
import static io.moescope.model.tensor.quant.Lanes.low;
import static io.moescope.model.tensor.quant.Lanes.store;
import static io.moescope.model.tensor.quant.Lanes.zero;

import io.moescope.model.io.Mxfp4;
import java.nio.ByteBuffer;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * In-place kernels for the 32-element block types: one scale per block, so a block's dot product is
 * scale · Σ q·x with the Σ in FP32 vectors and the scale applied once. Two accumulators (even and odd blocks)
 * keep the FMA chain short. Low nibbles are elements 0..15 of a block, high nibbles 16..31.
 */
enum LegacyKernels implements RowKernel {
    /** d:f16, qs:i8[32]. */
    Q8_0(34) {
        @Override
        public float dot(ByteBuffer b, int off, int blocks, float[] x, int xo, float[] sums, int so, float[] row) {
            FloatVector even = zero();
            FloatVector odd = zero();
            int k = 0;
            for (; k + 1 < blocks; k += 2) {
                even = q8(b, off + 34 * k, x, xo + 32 * k, even);
                odd = q8(b, off + 34 * k + 34, x, xo + 32 * k + 32, odd);
            }
            if (k < blocks) {
                even = q8(b, off + 34 * k, x, xo + 32 * k, even);
            }
            return even.add(odd).reduceLanes(VectorOperators.ADD);
        }

        @Override
        void widenBlock(ByteBuffer b, int o, float[] dst, int d) {
            float scale = Lanes.f16(b, o);
            store(load(b, o + 2), scale, dst, d);
            store(load(b, o + 18), scale, dst, d + 16);
        }
    },
    /** d:f16, qs:u8[16]; nibble − 8. */
    Q4_0(18) {
        @Override
        public float dot(ByteBuffer b, int off, int blocks, float[] x, int xo, float[] sums, int so, float[] row) {
            FloatVector even = zero();
            FloatVector odd = zero();
            int k = 0;
            for (; k + 1 < blocks; k += 2) {
                even = q4(b, off + 18 * k, x, xo + 32 * k, even);
                odd = q4(b, off + 18 * k + 18, x, xo + 32 * k + 32, odd);
            }
            if (k < blocks) {
                even = q4(b, off + 18 * k, x, xo + 32 * k, even);
            }
            return even.add(odd).reduceLanes(VectorOperators.ADD);
        }

        @Override
        void widenBlock(ByteBuffer b, int o, float[] dst, int d) {
            float scale = Lanes.f16(b, o);
            ByteVector q = load(b, o + 2);
            store(low(q).sub((byte) 8), scale, dst, d);
            store(high(q).sub((byte) 8), scale, dst, d + 16);
        }
    },
    /** d:f16, qs:u8[16]; d · K[nibble] with the non-linear IQ4 table (integers, so they fit a byte lookup). */
    IQ4_NL(18) {
        @Override
        public float dot(ByteBuffer b, int off, int blocks, float[] x, int xo, float[] sums, int so, float[] row) {
            FloatVector even = zero();
            FloatVector odd = zero();
            int k = 0;
            for (; k + 1 < blocks; k += 2) {
                even = table(b, off + 18 * k + 2, IQ4, Lanes.f16(b, off + 18 * k), x, xo + 32 * k, even);
                odd = table(b, off + 18 * k + 20, IQ4, Lanes.f16(b, off + 18 * k + 18), x, xo + 32 * k + 32, odd);
            }
            if (k < blocks) {
                even = table(b, off + 18 * k + 2, IQ4, Lanes.f16(b, off + 18 * k), x, xo + 32 * k, even);
            }
            return even.add(odd).reduceLanes(VectorOperators.ADD);
        }

        @Override
        void widenBlock(ByteBuffer b, int o, float[] dst, int d) {
            float scale = Lanes.f16(b, o);
            ByteVector q = load(b, o + 2);
            store(low(q).selectFrom(IQ4), scale, dst, d);
            store(high(q).selectFrom(IQ4), scale, dst, d + 16);
        }
    },
    /**
     * e:u8 (E8M0), qs:u8[16]; 2^(e−128) · K4[nibble], K4 the doubled E2M1 values. The same code reads gpt-oss's
     * safetensors form ({@link #mxfp4Dot}, {@link Mxfp4Matrix}).
     */
    MXFP4(17) {
        @Override
        public float dot(ByteBuffer b, int off, int blocks, float[] x, int xo, float[] sums, int so, float[] row) {
            return mxfp4Dot(b, off + 1, 17, b, off, 17, GGUF_HALF_SCALES, blocks, x, xo);
        }

        @Override
        void widenBlock(ByteBuffer b, int o, float[] dst, int d) {
            mxfp4Block(b, o + 1, GGUF_HALF_SCALES[b.get(o) & 0xFF], dst, d);
        }
    };

    /** ggml's kvalues_iq4nl. */
    static final ByteVector IQ4 = ByteVector.fromArray(
            Lanes.B, new byte[] {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113}, 0);
    /** ggml's kvalues_mxfp4: E2M1 doubled. */
    static final ByteVector E2M1 = ByteVector.fromArray(Lanes.B, Mxfp4.doubledValues(), 0);

    private final int blockBytes;

    LegacyKernels(int blockBytes) {
        this.blockBytes = blockBytes;
    }

    /** MXFP4 scale byte → scale halved to match the doubled table, as ggml reads it (255: the finite 2^127). */
    static final float[] GGUF_HALF_SCALES = halfScales(Mxfp4.Form.GGUF);
    /** The same as transformers reads gpt-oss's safetensors scales (255: ∞). */
    static final float[] SAFETENSORS_HALF_SCALES = halfScales(Mxfp4.Form.SAFETENSORS);

    private static float[] halfScales(Mxfp4.Form form) {
        float[] t = new float[256];
        for (int e = 0; e < 256; e++) {
            t[e] = form.halfScale(e);
        }
        return t;
    }

    /**
     * Σ over a row of MXFP4 blocks, in either storage: block k's 16 code bytes at {@code codes[co + codeStride · k]},
     * its scale byte at {@code exps[eo + expStride · k]} (GGUF: one buffer, strides 17; safetensors: the blocks and
     * scales tensors, strides 16 and 1). x is in GGUF element order: low nibbles are elements 0..15 of a block.
     */
    static float mxfp4Dot(
            ByteBuffer codes,
            int co,
            int codeStride,
            ByteBuffer exps,
            int eo,
            int expStride,
            float[] halfScales,
            int blocks,
            float[] x,
            int xo) {
        FloatVector even = zero();
        FloatVector odd = zero();
        int k = 0;
        for (; k + 1 < blocks; k += 2) {
            int c = co + codeStride * k;
            int e = eo + expStride * k;
            even = table(codes, c, E2M1, halfScales[exps.get(e) & 0xFF], x, xo + 32 * k, even);
            odd = table(
                    codes, c + codeStride, E2M1, halfScales[exps.get(e + expStride) & 0xFF], x, xo + 32 * k + 32, odd);
        }
        if (k < blocks) {
            even = table(
                    codes,
                    co + codeStride * k,
                    E2M1,
                    halfScales[exps.get(eo + expStride * k) & 0xFF],
                    x,
                    xo + 32 * k,
                    even);
        }
        return even.add(odd).reduceLanes(VectorOperators.ADD);
    }

    /** The 16 code bytes at {@code qs} times halfScale into dst[d .. d + 32), GGUF element order. */
    static void mxfp4Block(ByteBuffer b, int qs, float halfScale, float[] dst, int d) {
        ByteVector q = load(b, qs);
        store(low(q).selectFrom(E2M1), halfScale, dst, d);
        store(high(q).selectFrom(E2M1), halfScale, dst, d + 16);
    }

    /** acc + the Q8_0 block at byte o times x[xo .. xo + 32), lanewise. */
    private static FloatVector q8(ByteBuffer b, int o, float[] x, int xo, FloatVector acc) {
        FloatVector p = fma(load(b, o + 18), x, xo + 16, fma(load(b, o + 2), x, xo, zero()));
        return p.fma(FloatVector.broadcast(F, Lanes.f16(b, o)), acc);
    }

    /** acc + the Q4_0 block at byte o times x[xo .. xo + 32). */
    private static FloatVector q4(ByteBuffer b, int o, float[] x, int xo, FloatVector acc) {
        ByteVector q = load(b, o + 2);
        FloatVector p = fma(high(q).sub((byte) 8), x, xo + 16, fma(low(q).sub((byte) 8), x, xo, zero()));
        return p.fma(FloatVector.broadcast(F, Lanes.f16(b, o)), acc);
    }

    /** acc + scale · table[nibbles at byte qs] times x[xo .. xo + 32) (IQ4_NL, MXFP4). */
    private static FloatVector table(
            ByteBuffer b, int qs, ByteVector table, float scale, float[] x, int xo, FloatVector acc) {
        ByteVector q = load(b, qs);
        FloatVector p = fma(high(q).selectFrom(table), x, xo + 16, fma(low(q).selectFrom(table), x, xo, zero()));
        return p.fma(FloatVector.broadcast(F, scale), acc);
    }

    /** The block at byte o decoded into dst[d .. d + 32). */
    abstract void widenBlock(ByteBuffer b, int o, float[] dst, int d);

    @Override
    public void widen(ByteBuffer b, int off, int blocks, float[] dst, int d0) {
        for (int k = 0; k < blocks; k++) {
            widenBlock(b, off + k * blockBytes, dst, d0 + 32 * k);
        }
    }
}
