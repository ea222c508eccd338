package io.moescope.model.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.moescope.model.gguf.GgmlType;
import io.moescope.model.tensor.Matrix;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported type, decode (T = 1, 3) and blocked prefill (T = 17, 64, 513), against the scalar
 * decode → double-precision product, with FP32 activations (the int8-activation path: {@link Int8KernelsTest}). Bound: |y − ref| ≤ 1e-4 · max(|ref|, rms of the outputs) for every output.
 * Row counts are not multiples of the 6-row kernel, the split or the buffer chunks; widths of the float types are
 * not multiples of the vector length.
 */
class QuantMatricesTest {

    static final double BOUND = 1e-4;

    static Stream<GgmlType> supported() {
        return Arrays.stream(GgmlType.values()).filter(GgmlType::supported);
    }

    /** A width that is whole blocks: two or three blocks, or a ragged width for the one-element types. */
    static int width(GgmlType type, int variant) {
        if (type.blockSize() == 1) {
            return variant == 0 ? 37 : 301;
        }
        return type.blockSize() == 256 ? 256 * (variant + 1) : 32 * (3 + 2 * variant);
    }

    static Stream<Arguments> cases() {
        return supported()
                .flatMap(t -> Stream.of(
                        Arguments.of(t, 37, width(t, 0), 1),
                        Arguments.of(t, 131, width(t, 1), 1),
                        Arguments.of(t, 13, width(t, 1), 3),
                        Arguments.of(t, 23, width(t, 1), 4), // the few-token path (QuantMatrix.fusedRange)
                        Arguments.of(t, 9, width(t, 0), 5),
                        Arguments.of(t, 29, width(t, 0), 17),
                        Arguments.of(t, 19, width(t, 1), 64),
                        Arguments.of(t, 11, width(t, 0), 513)));
    }

    static float[] gaussian(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /** y = x · Wᵀ in double from the dequantised weights. */
    static double[] reference(float[] w, int rows, int cols, float[] x, int tokens) {
        double[] y = new double[tokens * rows];
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int c = 0; c < cols; c++) {
                    s += (double) w[r * cols + c] * x[t * cols + c];
                }
                y[t * rows + r] = s;
            }
        }
        return y;
    }

    /** The largest |y − ref| / max(|ref|, rms(ref)); fails at the first output over the bound. */
    static double assertClose(double[] ref, float[] y, double bound, String what) {
        double rms = Math.sqrt(Arrays.stream(ref).map(v -> v * v).sum() / ref.length);
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            double rel = Math.abs(y[i] - ref[i]) / Math.max(Math.abs(ref[i]), rms);
            worst = Math.max(worst, rel);
            if (!(rel <= bound)) {
                fail(what + ": output " + i + " is " + y[i] + ", reference " + ref[i] + " (rms " + rms + ")");
            }
        }
        return worst;
    }

    @ParameterizedTest(name = "{0} {1}x{2}, T={3}")
    @MethodSource("cases")
    void productMatchesDequantiseThenMultiply(GgmlType type, int rows, int cols, int tokens) {
        RandomBlocks q = new RandomBlocks(type, rows, cols, 5, rows * 31L + cols + type.id());
        float[] x = gaussian(tokens * cols, tokens + 7L * cols);
        Matrix m = QuantMatrices.of(q, 0, rows, false);
        assertEquals(rows, m.rows());
        assertEquals(cols, m.cols());
        assertEquals(rows * type.rowBytes(cols), m.weightBytes());
        float[] y = new float[tokens * rows];
        m.apply(x, tokens, y);
        assertClose(reference(q.dequantized(), rows, cols, x, tokens), y, BOUND, type + " T=" + tokens);
    }

    /** Widening (the prefill path's decode) is bit-exact with the scalar ggml decoder, for every type. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void widenedRowsAreBitExact(GgmlType type) {
        int cols = width(type, 1);
        RandomBlocks q = new RandomBlocks(type, 23, cols, 4, type.id());
        QuantMatrix m = (QuantMatrix) QuantMatrices.of(q);
        float[] got = new float[23 * cols];
        m.widenRows(0, 23, got);
        float[] want = q.dequantized();
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
                fail(type + ": element " + i + " widened to " + got[i] + ", the decoder gives " + want[i]);
            }
        }
    }

    static Stream<Arguments> supportedBothWays() {
        return supported().flatMap(t -> Stream.of(Arguments.of(t, false), Arguments.of(t, true)));
    }

    /**
     * The pooled product of the whole matrix equals, bit for bit, one-row matrices computed one after another on
     * this thread: the result does not depend on how rows are split between threads (FP32 and int8 activations).
     */
    @ParameterizedTest(name = "{0} int8={1}")
    @MethodSource("supportedBothWays")
    void splitOverThreadsEqualsOneRowAtATime(GgmlType type, boolean int8) {
        int cols = width(type, 1);
        int rows = type.blockSize() == 256 ? 1031 : 2053; // over the pool's threshold, not a multiple of anything
        RandomBlocks q = new RandomBlocks(type, rows, cols, 97, 5 + type.id());
        for (int tokens : new int[] {1, 5, 17}) {
            float[] x = gaussian(tokens * cols, tokens);
            float[] pooled = new float[tokens * rows];
            QuantMatrices.of(q, 0, rows, int8).apply(x, tokens, pooled);
            float[] one = new float[tokens];
            for (int r = 0; r < rows; r++) {
                QuantMatrices.of(q, r, 1, int8).apply(x, tokens, one);
                for (int t = 0; t < tokens; t++) {
                    if (Float.floatToRawIntBits(one[t]) != Float.floatToRawIntBits(pooled[t * rows + r])) {
                        fail(type + " T=" + tokens + ": row " + r + " token " + t + " is " + pooled[t * rows + r]
                                + " pooled, " + one[t] + " alone");
                    }
                }
            }
        }
    }

    @Test
    void rowRangeIsThoseRows() {
        RandomBlocks q = new RandomBlocks(GgmlType.Q4_K, 40, 512, 7, 3);
        float[] x = gaussian(512 * 5, 9);
        float[] all = new float[5 * 40];
        QuantMatrices.of(q).apply(x, 5, all);
        Matrix expert = QuantMatrices.of(q, 16, 8);
        float[] part = new float[5 * 8];
        expert.apply(x, 5, part);
        for (int t = 0; t < 5; t++) {
            for (int r = 0; r < 8; r++) {
                assertEquals(all[t * 40 + 16 + r], part[t * 8 + r], type(t, r));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> QuantMatrices.of(q, 35, 6));
        assertThrows(IllegalArgumentException.class, () -> QuantMatrices.of(q, -1, 2));
    }

    private static String type(int t, int r) {
        return "token " + t + " row " + r;
    }

    @Test
    void theTypesOfRealFilesReadBlocksInPlace() {
        EnumSet<GgmlType> inPlace = EnumSet.noneOf(GgmlType.class);
        supported().filter(QuantMatrices::inPlace).forEach(inPlace::add);
        assertEquals(
                EnumSet.of(
                        GgmlType.Q8_0,
                        GgmlType.Q4_0,
                        GgmlType.IQ4_NL,
                        GgmlType.MXFP4,
                        GgmlType.Q4_K,
                        GgmlType.Q5_K,
                        GgmlType.Q6_K),
                inPlace);
        assertTrue(QuantMatrices.of(new RandomBlocks(GgmlType.Q6_K, 3, 256, 2, 1))
                .toString()
                .contains("2 segments"));
    }
}
