package io.moescope.model.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.moescope.model.gguf.GgmlType;
import io.moescope.model.io.FloatDecoder;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The int8-activation decode path: the quantiser's error bound, the integer kernels against a scalar reference of
 * the same integer arithmetic (written from the block layouts in docs/gguf.md, not from the kernels), and the
 * error the path adds against FP32 activations on random data.
 */
class Int8KernelsTest {

    /** FP32 summation order: the kernels' per-lane accumulation and lane reduction against one double sum. */
    static final double ORDER_BOUND = 1e-5;
    /**
     * Measured (random-byte weights, Gaussian activations, 2048 columns): the int8 path's outputs differ from the FP32
     * path's by at most 0.016–0.020 of the outputs' rms with 32-blocks of activations (Q8_0) and 0.021–0.039 with
     * 256-blocks (Q4_K, Q6_K: one scale per 256 values, as ggml's Q8_K); pinned at 1.5× the worst.
     */
    static double int8VsFp32Bound(GgmlType type) {
        return type == GgmlType.Q8_0 ? 0.03 : 0.06;
    }

    static Stream<Arguments> cases() {
        return Stream.of(GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q6_K)
                .flatMap(t -> Stream.of(Arguments.of(t, 37, 1), Arguments.of(t, 131, 3), Arguments.of(t, 1031, 1)));
    }

    @ParameterizedTest(name = "{0} rows={1} T={2}")
    @MethodSource("cases")
    void integerKernelEqualsScalarIntegerArithmetic(GgmlType type, int rows, int tokens) {
        int cols = 2048;
        RandomBlocks q = new RandomBlocks(type, rows, cols, 97, 11 + rows + type.id());
        float[] x = QuantMatricesTest.gaussian(tokens * cols, 3 + tokens);
        float[] y = new float[tokens * rows];
        QuantMatrices.of(q, 0, rows, true).apply(x, tokens, y);
        Q8Activations a = Q8Activations.quantize(
                x, tokens, cols, QuantMatrices.int8Kernel(type).activationBlock());
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double[] ref = reference(type, q.rowBuffer(r), q.rowOffset(r), cols, a, t);
                double got = y[t * rows + r];
                if (!(Math.abs(got - ref[0]) <= ORDER_BOUND * ref[1])) {
                    fail(type + " row " + r + " token " + t + ": " + got + ", scalar integer reference " + ref[0]
                            + " (Σ|terms| " + ref[1] + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} rows={1} T={2}")
    @MethodSource("cases")
    void int8PathIsCloseToFp32Path(GgmlType type, int rows, int tokens) {
        int cols = 2048;
        RandomBlocks q = new RandomBlocks(type, rows, cols, 97, 5 + rows + type.id());
        float[] x = QuantMatricesTest.gaussian(tokens * cols, 17 + tokens);
        float[] int8 = new float[tokens * rows];
        float[] fp32 = new float[tokens * rows];
        QuantMatrices.of(q, 0, rows, true).apply(x, tokens, int8);
        QuantMatrices.of(q, 0, rows, false).apply(x, tokens, fp32);
        double ms = 0;
        for (float v : fp32) {
            ms += (double) v * v;
        }
        double rms = Math.sqrt(ms / fp32.length);
        double worst = 0;
        for (int i = 0; i < fp32.length; i++) {
            worst = Math.max(worst, Math.abs(int8[i] - fp32[i]) / rms);
        }
        System.out.printf("%s rows=%d T=%d: int8 vs fp32 max |Δ| = %.4f rms%n", type, rows, tokens, worst);
        assertTrue(worst <= int8VsFp32Bound(type), type + ": int8 path off by " + worst + " of the rms");
        assertTrue(worst > 0, type + ": the int8 path gave the FP32 results (was it used?)");
    }

    @Test
    void quantisedActivationsAreWithinHalfAStep() {
        float[] x = QuantMatricesTest.gaussian(2 * 512, 9);
        x[300] = 40f; // an outlier widens only its own block's step
        for (int block : new int[] {32, 256}) {
            Q8Activations a = Q8Activations.quantize(x, 2, 512, block);
            for (int i = 0; i < x.length; i++) {
                float d = a.scales[i / block];
                assertTrue(Math.abs(a.codes[i]) <= 127, "code " + a.codes[i]);
                assertTrue(Math.abs(x[i] - d * a.codes[i]) <= 0.5f * d * (1 + 1e-5f), "value " + i + " block " + block);
            }
            for (int k = 0; k < x.length / 32; k++) {
                int s = 0;
                for (int j = 0; j < 32; j++) {
                    s += a.codes[32 * k + j];
                }
                assertEquals(s, a.sums[k]);
            }
            assertEquals(127, a.codes[300]);
        }
        Q8Activations zeros = Q8Activations.quantize(new float[64], 1, 64, 32);
        assertEquals(0f, zeros.scales[1]);
        assertEquals(0, zeros.codes[40]);
    }

    @Test
    void nonFiniteActivationsGiveNonFiniteProducts() {
        RandomBlocks q = new RandomBlocks(GgmlType.Q4_K, 5, 512, 5, 1);
        float[] x = QuantMatricesTest.gaussian(512, 2);
        x[7] = Float.NaN;
        float[] y = new float[5];
        QuantMatrices.of(q, 0, 5, true).apply(x, 1, y);
        for (float v : y) {
            assertTrue(Float.isNaN(v), "NaN input gave " + v);
        }
    }

    @Test
    void thePropertyChoosesThePath() {
        assertTrue(QuantMatrices.int8Activations("int8"));
        assertTrue(!QuantMatrices.int8Activations("fp32"));
        assertThrows(IllegalArgumentException.class, () -> QuantMatrices.int8Activations("int4"));
    }

    /**
     * {result, Σ|terms|} in double: the same integer sums as the kernels, each scaled by the same FP32 product of
     * weight and activation scales.
     */
    static double[] reference(GgmlType type, ByteBuffer b, int off, int cols, Q8Activations a, int t) {
        double sum = 0;
        double abs = 0;
        int qo = t * cols;
        for (int blk = 0; blk < cols / type.blockSize(); blk++) {
            int o = off + blk * type.typeSize();
            double term;
            switch (type) {
                case Q8_0: {
                    int s = 0;
                    for (int j = 0; j < 32; j++) {
                        s += b.get(o + 2 + j) * a.codes[qo + 32 * blk + j];
                    }
                    term = (double) (f16(b, o) * a.scales[t * cols / 32 + blk]) * s;
                    break;
                }
                case Q4_K: {
                    long s = 0;
                    long m = 0;
                    for (int k = 0; k < 8; k++) {
                        int[] sm = scaleMinK4(b, o + 4, k);
                        int p = 0;
                        for (int l = 0; l < 32; l++) {
                            int byt = b.get(o + 16 + 32 * (k / 2) + l) & 0xFF;
                            int nib = k % 2 == 0 ? byt & 15 : byt >> 4;
                            p += nib * a.codes[qo + 256 * blk + 32 * k + l];
                        }
                        s += (long) sm[0] * p;
                        m += (long) sm[1] * a.sums[t * cols / 32 + 8 * blk + k];
                    }
                    float da = a.scales[t * cols / 256 + blk];
                    double mins = (double) (f16(b, o + 2) * da) * m;
                    abs += Math.abs(mins);
                    term = (double) (f16(b, o) * da) * s - mins;
                    break;
                }
                case Q6_K: {
                    long s = 0;
                    for (int e = 0; e < 256; e++) { // element e: half h, quarter r, lane l (ggml's dequantize order)
                        int h = e / 128;
                        int r = e % 128 / 32;
                        int l = e % 32;
                        int ql = b.get(o + 64 * h + l + 32 * (r % 2)) & 0xFF;
                        int lowBits = r < 2 ? ql & 15 : ql >> 4;
                        int highBits = (b.get(o + 128 + 32 * h + l) >> (2 * r)) & 3;
                        int scale = b.get(o + 192 + 8 * h + l / 16 + 2 * r);
                        s += (long) scale * ((lowBits | highBits << 4) - 32) * a.codes[qo + 256 * blk + e];
                    }
                    term = (double) (f16(b, o + 208) * a.scales[t * cols / 256 + blk]) * s;
                    break;
                }
                default:
                    throw new IllegalArgumentException(type.toString());
            }
            sum += term;
            abs += Math.abs(term);
        }
        return new double[] {sum, abs};
    }

    /** ggml's get_scale_min_k4: 6-bit scale and min j of the 12 bytes at s. */
    private static int[] scaleMinK4(ByteBuffer b, int s, int j) {
        int[] q = new int[12];
        for (int i = 0; i < 12; i++) {
            q[i] = b.get(s + i) & 0xFF;
        }
        if (j < 4) {
            return new int[] {q[j] & 63, q[j + 4] & 63};
        }
        return new int[] {(q[j + 4] & 0xF) | (q[j - 4] >> 6) << 4, (q[j + 4] >> 4) | (q[j] >> 6) << 4};
    }

    private static float f16(ByteBuffer b, int o) {
        return FloatDecoder.f16((short) ((b.get(o) & 0xFF) | (b.get(o + 1) & 0xFF) << 8));
    }
}
