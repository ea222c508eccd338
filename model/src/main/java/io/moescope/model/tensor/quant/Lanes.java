package io.moescope.model.tensor.quant;

import io.moescope.model.io.FloatDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes the block kernels share. Quantised values are handled sixteen at a time as a 128-bit
 * {@link ByteVector} of small signed integers (nibbles, 5- and 6-bit codes, int8, table values), then widened to
 * FP32 in {@code 16 / L} parts of L lanes (one part with AVX-512, two with AVX2).
 */
final class Lanes {

    /** The float species: the preferred one, at most 16 lanes (a block of 16 bytes widens into whole vectors). */
    static final VectorSpecies<Float> F =
            FloatVector.SPECIES_PREFERRED.length() <= 16 ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_512;

    static final int L = F.length();
    /** Float vectors per 16 bytes. */
    static final int PARTS = 16 / L;

    static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Lanes() {}

    /** 16 bytes at {@code off}. */
    static ByteVector load(ByteBuffer b, int off) {
        return ByteVector.fromByteBuffer(B, b, off, LE);
    }

    /** The low nibbles of v (0..15). */
    static ByteVector low(ByteVector v) {
        return v.and((byte) 15);
    }

    /** The high nibbles of v (0..15). */
    static ByteVector high(ByteVector v) {
        return v.lanewise(VectorOperators.LSHR, 4).and((byte) 15);
    }

    /** acc + Σ-lanewise q[j]·x[xo + j] for j < 16 (q widened exactly). */
    static FloatVector fma(ByteVector q, float[] x, int xo, FloatVector acc) {
        for (int p = 0; p < PARTS; p++) {
            FloatVector w = (FloatVector) q.convertShape(VectorOperators.B2F, F, p);
            acc = w.fma(FloatVector.fromArray(F, x, xo + p * L), acc);
        }
        return acc;
    }

    /** dst[off + j] = scale · q[j] for j < 16, rounded as ggml's scalar decode rounds it. */
    static void store(ByteVector q, float scale, float[] dst, int off) {
        for (int p = 0; p < PARTS; p++) {
            FloatVector w = (FloatVector) q.convertShape(VectorOperators.B2F, F, p);
            w.mul(scale).intoArray(dst, off + p * L);
        }
    }

    /** dst[off + j] = scale · q[j] − min for j < 16 (a multiply, then a subtraction, as ggml rounds them). */
    static void store(ByteVector q, float scale, float min, float[] dst, int off) {
        for (int p = 0; p < PARTS; p++) {
            FloatVector w = (FloatVector) q.convertShape(VectorOperators.B2F, F, p);
            w.mul(scale).sub(min).intoArray(dst, off + p * L);
        }
    }

    /** The IEEE half at byte {@code off} of a little-endian buffer. */
    static float f16(ByteBuffer b, int off) {
        int h = b.getShort(off);
        if ((h & 0x7C00) == 0x7C00) {
            return FloatDecoder.f16((short) h); // Inf, NaN: rare, kept out of the compiled loop
        }
        // |h| << 13 is the float with the half's bits and an exponent 112 too small; the scale is exact for
        // normals and subnormals alike
        float magnitude = Float.intBitsToFloat((h & 0x7FFF) << 13) * 0x1p112f;
        return h < 0 ? -magnitude : magnitude;
    }

    static FloatVector zero() {
        return FloatVector.zero(F);
    }
}
