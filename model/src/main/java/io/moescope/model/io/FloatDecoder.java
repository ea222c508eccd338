package io.moescope.model.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Exact conversion of stored little-endian floats (F32, F16, BF16, F8_E4M3, F64) to FP32, and FP32 to the two
 * 16-bit types with round-to-nearest-even (the encode direction, for the safetensors writer).
 */
public final class FloatDecoder {

    private static final float[] E4M3 = buildE4m3Table();

    private FloatDecoder() {}

    /** BF16 → F32 is exact: the 16 bits become the upper half of the float. */
    public static float bf16(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** IEEE half → F32 (exact, subnormals included). */
    public static float f16(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h >>> 15) << 31;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** FP8 E4M3 (the "fn" variant: no infinities, 0x7F/0xFF are NaN) → F32. */
    public static float e4m3(byte bits) {
        return E4M3[bits & 0xFF];
    }

    private static float[] buildE4m3Table() {
        float[] t = new float[256];
        for (int b = 0; b < 256; b++) {
            int sign = b >>> 7;
            int exp = (b >>> 3) & 0xF;
            int mant = b & 0x7;
            float v;
            if (exp == 0xF && mant == 0x7) {
                v = Float.NaN;
            } else if (exp == 0) {
                v = mant / 8f * (float) Math.pow(2, -6);
            } else {
                v = (1 + mant / 8f) * (float) Math.pow(2, exp - 7);
            }
            t[b] = sign == 1 ? -v : v;
        }
        return t;
    }

    /** F32 → IEEE half with round-to-nearest-even: overflow becomes ±infinity, NaN stays NaN, subnormals kept. */
    public static short toF16(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int exp = (x >>> 23) & 0xFF;
        int mant = x & 0x7FFFFF;
        if (exp == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 31) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) { // a subnormal half, or zero
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int h = mant >> shift;
            int rem = mant & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (h & 1) == 1)) {
                h++;
            }
            return (short) (sign | h);
        }
        int h = (e << 10) | (mant >> 13);
        int rem = mant & 0x1FFF;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) == 1)) {
            h++; // a carry into the exponent is the correct rounding (up to infinity)
        }
        return (short) (sign | h);
    }

    /** F32 → BF16 with round-to-nearest-even (NaN stays NaN). */
    public static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /**
     * Decodes {@code count} elements of {@code dtype} starting at the buffer's position into dst[dstOffset...].
     * The buffer's position is not changed.
     */
    public static void decode(ByteBuffer src, DType dtype, float[] dst, int dstOffset, int count) {
        ByteBuffer b = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int p = b.position();
        switch (dtype) {
            case F32:
                b.asFloatBuffer().get(dst, dstOffset, count);
                break;
            case BF16:
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = bf16(b.getShort(p + 2 * i));
                }
                break;
            case F16:
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = f16(b.getShort(p + 2 * i));
                }
                break;
            case F8_E4M3:
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = e4m3(b.get(p + i));
                }
                break;
            case F64:
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = (float) b.getDouble(p + 8 * i);
                }
                break;
            default:
                throw new IllegalArgumentException("not a float dtype: " + dtype);
        }
    }
}
