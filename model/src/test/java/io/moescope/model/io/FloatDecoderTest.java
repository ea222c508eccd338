package io.moescope.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Every BF16, F16 and F8_E4M3 bit pattern against a reference built from sign, exponent and mantissa with scalb. */
class FloatDecoderTest {

    /** sign · mant · 2^exp, or NaN/±inf, from the fields of a binary format with the given widths and bias. */
    private static float reference(int bits, int expBits, int mantBits, boolean hasInfinity) {
        int sign = bits >>> (expBits + mantBits) & 1;
        int exp = bits >>> mantBits & ((1 << expBits) - 1);
        int mant = bits & ((1 << mantBits) - 1);
        int bias = (1 << (expBits - 1)) - 1;
        int maxExp = (1 << expBits) - 1;
        float v;
        if (hasInfinity && exp == maxExp) {
            v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else if (!hasInfinity && exp == maxExp && mant == (1 << mantBits) - 1) {
            v = Float.NaN;
        } else if (exp == 0) {
            v = Math.scalb((float) mant, 1 - bias - mantBits);
        } else {
            v = Math.scalb((float) ((1 << mantBits) + mant), exp - bias - mantBits);
        }
        return sign == 1 ? -v : v;
    }

    private static void assertSame(float want, float got, String what) {
        if (Float.isNaN(want)) {
            assertTrue(Float.isNaN(got), what + ": expected NaN, got " + got);
        } else {
            assertEquals(
                    Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), what + ": " + want + " vs " + got);
        }
    }

    @Test
    void everyBf16Value() {
        for (int b = 0; b < 65536; b++) {
            assertSame(reference(b, 8, 7, true), FloatDecoder.bf16((short) b), "bf16 0x" + Integer.toHexString(b));
        }
    }

    @Test
    void everyF16Value() {
        for (int b = 0; b < 65536; b++) {
            assertSame(reference(b, 5, 10, true), FloatDecoder.f16((short) b), "f16 0x" + Integer.toHexString(b));
        }
        assertEquals(65504f, FloatDecoder.f16((short) 0x7BFF));
        assertEquals(0x1p-24f, FloatDecoder.f16((short) 0x0001));
        assertEquals(Float.NEGATIVE_INFINITY, FloatDecoder.f16((short) 0xFC00));
    }

    @Test
    void everyE4m3Value() {
        for (int b = 0; b < 256; b++) {
            assertSame(reference(b, 4, 3, false), FloatDecoder.e4m3((byte) b), "e4m3 0x" + Integer.toHexString(b));
        }
        assertEquals(448f, FloatDecoder.e4m3((byte) 0x7E));
        assertEquals(-448f, FloatDecoder.e4m3((byte) 0xFE));
        assertEquals(0x1p-6f, FloatDecoder.e4m3((byte) 0x08));
        assertEquals(0x1p-9f, FloatDecoder.e4m3((byte) 0x01));
        assertEquals(256f, FloatDecoder.e4m3((byte) 0x78));
        assertTrue(Float.isNaN(FloatDecoder.e4m3((byte) 0x7F)));
        assertTrue(Float.isNaN(FloatDecoder.e4m3((byte) 0xFF)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(FloatDecoder.e4m3((byte) 0x80)));
    }

    @Test
    void toBf16RoundsToNearestEven() {
        assertEquals((short) 0x3F80, FloatDecoder.toBf16(1f));
        assertEquals((short) 0x3F80, FloatDecoder.toBf16(1f + 0x1p-8f), "halfway, even below");
        assertEquals((short) 0x3F82, FloatDecoder.toBf16(1f + 3 * 0x1p-8f), "halfway, even above");
        assertEquals((short) 0x3F81, FloatDecoder.toBf16(1f + 0x1p-8f + 0x1p-20f), "just above halfway");
        assertEquals((short) 0x7F80, FloatDecoder.toBf16(Float.POSITIVE_INFINITY));
        assertEquals((short) 0x7F80, FloatDecoder.toBf16(Float.MAX_VALUE), "rounds up to infinity");
        assertTrue(Float.isNaN(FloatDecoder.bf16(FloatDecoder.toBf16(Float.NaN))));
        for (int b = 0; b < 65536; b++) {
            float f = FloatDecoder.bf16((short) b);
            if (!Float.isNaN(f)) {
                assertEquals((short) b, FloatDecoder.toBf16(f), "bf16 values are fixed points");
            }
        }
    }

    @Test
    void decodeReadsLittleEndianFromTheBufferPosition() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.position(3);
        b.putShort((short) 0x3C00).putShort((short) 0xC000); // f16 1, -2
        b.position(3);
        float[] out = new float[4];
        FloatDecoder.decode(b, DType.F16, out, 1, 2);
        assertEquals(1f, out[1]);
        assertEquals(-2f, out[2]);
        assertEquals(3, b.position(), "position unchanged");

        b.clear().position(5);
        b.putFloat(1.5f).putFloat(-0.25f);
        b.position(5);
        FloatDecoder.decode(b, DType.F32, out, 0, 2);
        assertEquals(1.5f, out[0]);
        assertEquals(-0.25f, out[1]);

        b.clear().position(1);
        b.putShort((short) 0x4049).put((byte) 0x7E);
        b.position(1);
        FloatDecoder.decode(b, DType.BF16, out, 0, 1);
        assertEquals(3.140625f, out[0]);
        b.position(3);
        FloatDecoder.decode(b, DType.F8_E4M3, out, 0, 1);
        assertEquals(448f, out[0]);

        b.clear().position(7);
        b.putDouble(0.1);
        b.position(7);
        FloatDecoder.decode(b, DType.F64, out, 0, 1);
        assertEquals(0.1f, out[0]);
        assertThrows(IllegalArgumentException.class, () -> FloatDecoder.decode(b, DType.I32, new float[1], 0, 1));
    }

    @Test
    void f16EncodeRoundsToNearestEvenAndInvertsTheDecoder() {
        assertEquals(0x3C00, FloatDecoder.toF16(1f) & 0xFFFF);
        assertEquals(0xC000, FloatDecoder.toF16(-2f) & 0xFFFF);
        assertEquals(0x7BFF, FloatDecoder.toF16(65504f) & 0xFFFF, "largest finite half");
        assertEquals(0x7C00, FloatDecoder.toF16(1e6f) & 0xFFFF, "overflow is infinity");
        assertEquals(0xFC00, FloatDecoder.toF16(Float.NEGATIVE_INFINITY) & 0xFFFF);
        assertTrue(Float.isNaN(FloatDecoder.f16(FloatDecoder.toF16(Float.NaN))), "NaN stays NaN");
        assertEquals(0x0001, FloatDecoder.toF16(0x1p-24f) & 0xFFFF, "smallest subnormal");
        assertEquals(0x0000, FloatDecoder.toF16(0x1p-26f) & 0xFFFF, "below half the smallest subnormal: zero");
        assertEquals(0x3C00, FloatDecoder.toF16(1f + 0x1p-11f) & 0xFFFF, "tie rounds to even (down)");
        assertEquals(0x3C02, FloatDecoder.toF16(1f + 3 * 0x1p-11f) & 0xFFFF, "tie rounds to even (up)");
        for (int h = 0; h < 0x10000; h++) {
            float f = FloatDecoder.f16((short) h);
            if (!Float.isNaN(f)) {
                assertEquals(h, FloatDecoder.toF16(f) & 0xFFFF, "every half survives decode then encode: " + h);
            }
        }
    }
}
