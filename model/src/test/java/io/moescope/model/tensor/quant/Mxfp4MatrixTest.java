package io.moescope.model.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.moescope.model.io.Mxfp4;
import io.moescope.model.tensor.Matrix;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * gpt-oss's safetensors MXFP4 through the block kernel ({@link QuantMatrices#mxfp4}) against the scalar dequantiser
 * {@link Mxfp4#decodeRow}: widening exact, products (decode T = 1, 3 and blocked prefill T = 4, 17, 64) within
 * {@link QuantMatricesTest#BOUND} of the double-precision product of the dequantised rows, and the pooled product
 * equal bit for bit to one row at a time. The GGUF form is the same kernel, tested by {@link QuantMatricesTest}.
 */
class Mxfp4MatrixTest {

    /** Random codes (every nibble) and scales 2^(s − 127) near 2^0 in direct buffers, as mapped. */
    record Weights(ByteBuffer blocks, ByteBuffer scales, int rows, int cols) {

        static Weights random(int rows, int cols, long seed, boolean extremeScales) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int n = rows * cols / Mxfp4.BLOCK;
            ByteBuffer b = ByteBuffer.allocateDirect(n * Mxfp4.BLOCK_BYTES);
            for (int i = 0; i < b.capacity(); i++) {
                b.put(i, (byte) rnd.nextInt(256));
            }
            ByteBuffer s = ByteBuffer.allocateDirect(n);
            for (int i = 0; i < n; i++) {
                s.put(i, (byte) (extremeScales ? rnd.nextInt(256) : 120 + rnd.nextInt(12)));
            }
            return new Weights(b, s, rows, cols);
        }

        float[] dequantized() {
            float[] w = new float[rows * cols];
            int perRow = cols / Mxfp4.BLOCK;
            for (int r = 0; r < rows; r++) {
                Mxfp4.decodeRow(blocks, r * perRow * Mxfp4.BLOCK_BYTES, scales, r * perRow, perRow, w, r * cols);
            }
            return w;
        }

        Matrix matrix() {
            return QuantMatrices.mxfp4(blocks, scales, rows, cols);
        }

        /** Rows [first, first + n) as their own matrix, from slices of the buffers (as the loader slices experts). */
        Matrix rows(int first, int n) {
            int perRow = cols / Mxfp4.BLOCK;
            ByteBuffer b = blocks.slice(first * perRow * Mxfp4.BLOCK_BYTES, n * perRow * Mxfp4.BLOCK_BYTES);
            return QuantMatrices.mxfp4(b, scales.slice(first * perRow, n * perRow), n, cols);
        }
    }

    @ParameterizedTest(name = "{0}x{1}, T={2}")
    @CsvSource({"37, 96, 1", "131, 160, 1", "13, 160, 3", "29, 96, 4", "29, 96, 17", "19, 2880, 64", "11, 64, 513"})
    void productMatchesDequantiseThenMultiply(int rows, int cols, int tokens) {
        Weights w = Weights.random(rows, cols, rows * 31L + cols, false);
        float[] x = QuantMatricesTest.gaussian(tokens * cols, tokens + 7L * cols);
        Matrix m = w.matrix();
        assertEquals(rows * (cols / 32) * 17L, m.weightBytes());
        float[] y = new float[tokens * rows];
        m.apply(x, tokens, y);
        double[] ref = QuantMatricesTest.reference(w.dequantized(), rows, cols, x, tokens);
        QuantMatricesTest.assertClose(ref, y, QuantMatricesTest.BOUND, "T=" + tokens);
    }

    /**
     * The prefill path's widened rows, put back in element order, are the dequantiser's values for every code and
     * scale byte (0, 1 subnormal, 255 ∞ as transformers reads it): bit for bit, except that code 8 widens to +0
     * (ggml's integer table) where transformers' table has −0 — equal values, which no product can tell apart.
     */
    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"1", "2"})
    void widenedRowsAreTheDequantisedValues(long seed) {
        int rows = 23;
        int cols = 160;
        Weights w = Weights.random(rows, cols, seed, true);
        float[] got = new float[rows * cols];
        ((Mxfp4Matrix) w.matrix()).widenRows(0, rows, got);
        float[] order = new float[cols]; // element index of each kernel-order column
        for (int c = 0; c < cols; c++) {
            order[c] = c;
        }
        float[] elementOf = Mxfp4Matrix.kernelOrder(order, cols);
        float[] want = w.dequantized();
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < cols; p++) {
                float g = got[r * cols + p];
                float v = want[r * cols + (int) elementOf[p]];
                boolean same = Float.floatToIntBits(g) == Float.floatToIntBits(v) || (g == 0 && v == 0);
                if (!same) {
                    fail("row " + r + " kernel column " + p + " widened to " + g + ", the dequantiser gives " + v);
                }
            }
        }
    }

    /** Over the pool's threshold, rows not a multiple of anything: the split does not change a single bit. */
    @ParameterizedTest(name = "T={0}")
    @CsvSource({"1", "2", "17"})
    void splitOverThreadsEqualsOneRowAtATime(int tokens) {
        int rows = 2053;
        int cols = 160;
        Weights w = Weights.random(rows, cols, 97, false);
        float[] x = QuantMatricesTest.gaussian(tokens * cols, tokens);
        float[] pooled = new float[tokens * rows];
        w.matrix().apply(x, tokens, pooled);
        float[] one = new float[tokens];
        for (int r = 0; r < rows; r++) {
            w.rows(r, 1).apply(x, tokens, one);
            for (int t = 0; t < tokens; t++) {
                if (Float.floatToRawIntBits(one[t]) != Float.floatToRawIntBits(pooled[t * rows + r])) {
                    fail("T=" + tokens + ": row " + r + " token " + t + " is " + pooled[t * rows + r] + " pooled, "
                            + one[t] + " alone");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"2, 48", "3, 64"})
    void buffersMustHoldTheShape(int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(2 * 16);
        ByteBuffer s = ByteBuffer.allocate(2);
        assertThrows(IllegalArgumentException.class, () -> QuantMatrices.mxfp4(b, s, rows, cols));
    }
}
