package io.moescope.model.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.model.io.FloatDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The blocked prefill product for each weight encoding (FP32 heap read in place, FP32 through a row source, BF16 in
 * uneven mapped segments, F16) against a double-precision product, on ragged shapes: token counts that fill no tile
 * (1, 3, 17, 513), widths that are no multiple of the vector length, row counts that leave kernel tails.
 */
class BlockedGemmTest {

    @ParameterizedTest(name = "{0}x{1}, {2} tokens")
    @CsvSource({
        "50,70,1",
        "50,70,3",
        "61,77,17",
        "130,300,64",
        "37,45,513",
        "97,1061,17",
        "12,33,8",
        "25,64,31",
        // BF16's fused few-token kernel (2..16 tokens): 4 x 4 blocks, token and row tails, widths past 2L chunks
        "50,70,2",
        "43,96,5",
        "97,1062,12",
        "130,300,16",
        "37,46,7",
        "8,64,4",
        "3,34,9"
    })
    void everyEncodingMatchesTheReferenceProduct(int rows, int cols, int tokens) {
        SplittableRandom rnd = new SplittableRandom(rows * 131L + cols * 17L + tokens);
        short[] bits = new short[rows * cols];
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            bits[i] = FloatDecoder.toBf16((float) rnd.nextGaussian());
            w[i] = FloatDecoder.bf16(bits[i]); // exact in BF16: every encoding below holds the same values
        }
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        double[] want = reference(w, rows, cols, x, tokens);

        float[] y = new float[tokens * rows];
        BlockedGemm.apply(w, rows, cols, x, tokens, y);
        assertClose(want, y, cols, "FP32 in place");

        y = new float[tokens * rows];
        BlockedGemm.apply((r0, n, dst) -> System.arraycopy(w, r0 * cols, dst, 0, n * cols), rows, cols, x, tokens, y);
        assertClose(want, y, cols, "FP32 row source");

        y = new float[tokens * rows];
        new HeapMatrix(w.clone(), rows, cols).apply(x, tokens, y);
        assertClose(want, y, cols, "HeapMatrix");

        y = new float[tokens * rows];
        bf16Segments(bits, rows, cols).apply(x, tokens, y);
        assertClose(want, y, cols, "MappedHalfMatrix BF16");

        // IEEE half: small values exactly representable in F16
        float[] wh = new float[rows * cols];
        ByteBuffer hb = ByteBuffer.allocateDirect(Math.max(1, 2 * rows * cols)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < wh.length; i++) {
            short h = (short) (0x3000 + (i * 37 % 0x1000) | (i % 3 == 0 ? 0x8000 : 0));
            hb.putShort(2 * i, h);
            wh[i] = FloatDecoder.f16(h);
        }
        y = new float[tokens * rows];
        new MappedHalfMatrix(List.of(new MappedHalfMatrix.Segment(hb, 0, rows)), cols, true).apply(x, tokens, y);
        assertClose(reference(wh, rows, cols, x, tokens), y, cols, "MappedHalfMatrix F16");
    }

    @ParameterizedTest(name = "{0} tokens")
    @CsvSource({"5", "16", "40"})
    void resultDoesNotDependOnTheSplitOrKernel(int tokens) {
        // a single row computed alone (tail kernel, one thread) equals the same row inside a full product
        int rows = 103;
        int cols = 129;
        SplittableRandom rnd = new SplittableRandom(tokens);
        float[] w = new float[rows * cols];
        float[] x = new float[tokens * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] all = new float[tokens * rows];
        BlockedGemm.apply(w, rows, cols, x, tokens, all);
        for (int r = 0; r < rows; r += 7) {
            float[] one = new float[tokens];
            BlockedGemm.apply(java.util.Arrays.copyOfRange(w, r * cols, (r + 1) * cols), 1, cols, x, tokens, one);
            for (int t = 0; t < tokens; t++) {
                assertEquals(
                        Float.floatToIntBits(all[t * rows + r]),
                        Float.floatToIntBits(one[t]),
                        "row " + r + " token " + t);
            }
        }
    }

    @ParameterizedTest(name = "{0} tokens")
    @CsvSource({"2", "5", "8", "16"})
    void bf16FewTokenResultDoesNotDependOnTheRowBlock(int tokens) {
        // a row inside a 4-row block of the fused kernel equals the same row computed alone (one-row path)
        int rows = 23;
        int cols = 100;
        SplittableRandom rnd = new SplittableRandom(31L * tokens);
        short[] bits = new short[rows * cols];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = FloatDecoder.toBf16((float) rnd.nextGaussian());
        }
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] all = new float[tokens * rows];
        MappedHalfMatrix m = bf16Segments(bits, rows, cols);
        m.apply(x, tokens, all);
        for (int t = 0; t < tokens; t++) { // and equals each token's one-token (decode) product, bit for bit
            float[] step = new float[rows];
            m.apply(java.util.Arrays.copyOfRange(x, t * cols, (t + 1) * cols), 1, step);
            for (int r = 0; r < rows; r++) {
                assertEquals(
                        Float.floatToIntBits(all[t * rows + r]),
                        Float.floatToIntBits(step[r]),
                        "decode step, row " + r + " token " + t);
            }
        }
        for (int r = 0; r < rows; r += 3) {
            short[] row = java.util.Arrays.copyOfRange(bits, r * cols, (r + 1) * cols);
            ByteBuffer b = ByteBuffer.allocateDirect(2 * cols).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < cols; i++) {
                b.putShort(2 * i, row[i]);
            }
            float[] one = new float[tokens];
            new MappedHalfMatrix(List.of(new MappedHalfMatrix.Segment(b, 0, 1)), cols).apply(x, tokens, one);
            for (int t = 0; t < tokens; t++) {
                assertEquals(
                        Float.floatToIntBits(all[t * rows + r]),
                        Float.floatToIntBits(one[t]),
                        "row " + r + " token " + t);
            }
        }
    }

    @Test
    void theKernelsShareTheEnginesOneFloatSpecies() {
        // a second float shape anywhere in the JVM makes the Vector API's shared type profiles bimorphic, and C2
        // then boxes the vectors of every kernel compiled afterwards (2-5x slower; BlockedGemm's class comment)
        assertSame(VectorKernels.F, BlockedGemm.F);
    }

    private static MappedHalfMatrix bf16Segments(short[] bits, int rows, int cols) {
        List<MappedHalfMatrix.Segment> segs = new ArrayList<>();
        int[] cuts = {0, rows / 3, rows / 3 + rows / 4, rows};
        for (int k = 0; k < 3; k++) {
            int n = cuts[k + 1] - cuts[k];
            ByteBuffer b = ByteBuffer.allocateDirect(Math.max(1, 2 * n * cols)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n * cols; i++) {
                b.putShort(2 * i, bits[cuts[k] * cols + i]);
            }
            segs.add(new MappedHalfMatrix.Segment(b, cuts[k], n));
        }
        return new MappedHalfMatrix(segs, cols);
    }

    private static double[] reference(float[] w, int rows, int cols, float[] x, int tokens) {
        double[] want = new double[tokens * rows];
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int c = 0; c < cols; c++) {
                    s += (double) w[r * cols + c] * x[t * cols + c];
                }
                want[t * rows + r] = s;
            }
        }
        return want;
    }

    /** FP32 rounding of a cols-term dot product of unit-variance values. */
    private static void assertClose(double[] want, float[] y, int cols, String what) {
        for (int i = 0; i < y.length; i++) {
            double tol = 1e-5 * Math.sqrt(cols) * 4 + 1e-5 * Math.abs(want[i]);
            assertTrue(Math.abs(y[i] - want[i]) <= tol, what + " [" + i + "] " + y[i] + " vs " + want[i]);
        }
    }
}
