package io.moescope.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.quant.QuantMatrices;
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
    void doubledValueTimesHalfScaleIsTheE2M1ValueTimesTwoToTheExponent() {
        // every code with every scale byte, against the OCP definition computed apart: value · 2^(s − 127)
        float[] e2m1 = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f, -0f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f};
        ByteBuffer packed = ByteBuffer.allocate(16);
        float[] out = new float[32];
        for (int s = 0; s < 255; s++) {
            assertEquals(Math.scalb(1f, s - 128), Mxfp4.halfScale(s), "halfScale " + s);
            assertEquals(Math.scalb(1f, s - 127), Mxfp4.scale(s), "scale " + s);
            for (int c = 0; c < 16; c++) {
                packed.put(0, (byte) (c | c << 4));
                Mxfp4.decodeRow(packed, 0, ByteBuffer.wrap(new byte[] {(byte) s}), 0, 1, out, 0);
                float want = e2m1[c] * Math.scalb(1f, s - 127);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(out[0]), "code " + c + " scale " + s);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(out[1]), "code " + c + " scale " + s);
            }
        }
        assertEquals(0x1p127f, Mxfp4.halfScale(255)); // ggml's finite form; the safetensors path reads ∞
    }

    @Test
    void nibbleOrderAndZeroSignFollowTheForm() {
        ByteBuffer packed = ByteBuffer.allocate(16);
        packed.put(0, (byte) 0x42); // low 2 (doubled 2), high 4 (doubled 4)
        float[] interleaved = new float[32];
        float[] halves = new float[32];
        Mxfp4.decodeBlock(packed, 0, 1f, Mxfp4.Form.SAFETENSORS, interleaved, 0);
        Mxfp4.decodeBlock(packed, 0, 1f, Mxfp4.Form.GGUF, halves, 0);
        assertArrayEquals(new float[] {2f, 4f, 0f}, java.util.Arrays.copyOf(interleaved, 3));
        assertEquals(2f, halves[0]);
        assertEquals(0f, halves[1]);
        assertEquals(4f, halves[16]);
        packed.put(0, (byte) 0x88); // code 8: −0 in transformers' table, +0 in ggml's
        Mxfp4.decodeBlock(packed, 0, 1f, Mxfp4.Form.SAFETENSORS, interleaved, 0);
        Mxfp4.decodeBlock(packed, 0, 1f, Mxfp4.Form.GGUF, halves, 0);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(interleaved[0]));
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(halves[0]));
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
        Matrix m = QuantMatrices.mxfp4(blocks, scales, 2, 32);
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
