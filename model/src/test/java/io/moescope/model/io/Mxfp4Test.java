package io.moescope.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moescope.model.tensor.Mxfp4Matrix;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** MXFP4 decoding against hand-worked values (E2M1 codes, E8M0 scales, nibble order). */
class Mxfp4Test {

    @Test
    void decodesCodesTimesTheBlockScale() {
        ByteBuffer blocks = ByteBuffer.allocate(32);
        blocks.put(0, (byte) 0x71); // low nibble 1 (0.5) first, then 7 (6.0)
        blocks.put(1, (byte) 0xF9); // 9 (-0.5), then 15 (-6.0)
        blocks.put(16, (byte) 0x2C); // second block: 12 (-2.0), then 2 (1.0)
        ByteBuffer scales = ByteBuffer.wrap(new byte[] {(byte) 128, (byte) 125}); // 2^1, 2^-2
        float[] out = new float[64];
        Mxfp4.decodeRow(blocks, 0, scales, 0, 2, out, 0);
        assertArrayEquals(new float[] {1f, 12f, -1f, -12f, 0f}, java.util.Arrays.copyOf(out, 5));
        assertEquals(-0.5f, out[32]);
        assertEquals(0.25f, out[33]);
        assertEquals(0f, out[63]);
    }

    @Test
    void scaleIsTwoToTheBiasedExponent() {
        assertEquals(1f, Mxfp4.scale(127));
        assertEquals(0x1p-127f, Mxfp4.scale(0));
        assertEquals(Float.POSITIVE_INFINITY, Mxfp4.scale(255));
    }

    @Test
    void matrixRowsAreDecodedBlocksDotTheInput() {
        // 2 rows × 32 columns; row 0 all code 2 (1.0) × 2^0, row 1 all code 10 (-1.0) × 2^3
        ByteBuffer blocks = ByteBuffer.allocate(32);
        for (int i = 0; i < 16; i++) {
            blocks.put(i, (byte) 0x22);
            blocks.put(16 + i, (byte) 0xAA);
        }
        ByteBuffer scales = ByteBuffer.wrap(new byte[] {127, (byte) 130});
        Mxfp4Matrix m = new Mxfp4Matrix(blocks, scales, 2, 32);
        float[] x = new float[64];
        for (int i = 0; i < 32; i++) {
            x[i] = i;
            x[32 + i] = 1;
        }
        float[] y = new float[4];
        m.apply(x, 2, y);
        assertArrayEquals(new float[] {496f, -8 * 496f, 32f, -256f}, y);
        assertEquals(2 * 17, m.weightBytes());
    }
}
