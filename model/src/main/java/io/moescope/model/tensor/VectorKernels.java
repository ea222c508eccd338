package io.moescope.model.tensor;

import io.moescope.model.io.FloatDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * y = x · Wᵀ kernels on the JDK Vector API, FP32 accumulation. W is row-major [rows, cols], either FP32 in a heap
 * array or BF16 in a (memory-mapped) little-endian buffer, widened on the fly (BF16 → FP32 is a 16-bit left shift).
 * IEEE half (F16) weights take the same path with an exact vector conversion.
 * One token: four rows per pass sharing each x load. Several tokens: each weight vector is loaded (and widened)
 * once and used for four tokens, so a row is read from memory once per batch.
 *
 * <p>Output: {@code y[t * yStride + yBase + r]} for local row r of W.
 */
public final class VectorKernels {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private VectorKernels() {}

    // ------------------------------------------------------------------ FP32, heap

    public static void f32(
            float[] w, int cols, float[] x, int tokens, float[] y, int yStride, int yBase, int r0, int r1) {
        if (tokens == 1) {
            f32Decode(w, cols, x, y, yBase, r0, r1);
            return;
        }
        int bound = F.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int wb = r * cols;
            int t = 0;
            for (; t + 3 < tokens; t += 4) {
                int x0 = t * cols;
                int x1 = x0 + cols;
                int x2 = x1 + cols;
                int x3 = x2 + cols;
                FloatVector a0 = FloatVector.zero(F);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                int c = 0;
                for (; c < bound; c += L) {
                    FloatVector wv = FloatVector.fromArray(F, w, wb + c);
                    a0 = wv.fma(FloatVector.fromArray(F, x, x0 + c), a0);
                    a1 = wv.fma(FloatVector.fromArray(F, x, x1 + c), a1);
                    a2 = wv.fma(FloatVector.fromArray(F, x, x2 + c), a2);
                    a3 = wv.fma(FloatVector.fromArray(F, x, x3 + c), a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD);
                float s1 = a1.reduceLanes(VectorOperators.ADD);
                float s2 = a2.reduceLanes(VectorOperators.ADD);
                float s3 = a3.reduceLanes(VectorOperators.ADD);
                for (; c < cols; c++) {
                    float wc = w[wb + c];
                    s0 += wc * x[x0 + c];
                    s1 += wc * x[x1 + c];
                    s2 += wc * x[x2 + c];
                    s3 += wc * x[x3 + c];
                }
                y[t * yStride + yBase + r] = s0;
                y[(t + 1) * yStride + yBase + r] = s1;
                y[(t + 2) * yStride + yBase + r] = s2;
                y[(t + 3) * yStride + yBase + r] = s3;
            }
            for (; t < tokens; t++) {
                y[t * yStride + yBase + r] = f32Dot(w, wb, x, t * cols, cols, bound);
            }
        }
    }

    private static void f32Decode(float[] w, int cols, float[] x, float[] y, int yBase, int r0, int r1) {
        int bound = F.loopBound(cols);
        int r = r0;
        for (; r + 3 < r1; r += 4) {
            int b0 = r * cols;
            int b1 = b0 + cols;
            int b2 = b1 + cols;
            int b3 = b2 + cols;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int c = 0;
            for (; c < bound; c += L) {
                FloatVector xv = FloatVector.fromArray(F, x, c);
                a0 = FloatVector.fromArray(F, w, b0 + c).fma(xv, a0);
                a1 = FloatVector.fromArray(F, w, b1 + c).fma(xv, a1);
                a2 = FloatVector.fromArray(F, w, b2 + c).fma(xv, a2);
                a3 = FloatVector.fromArray(F, w, b3 + c).fma(xv, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD);
            float s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD);
            float s3 = a3.reduceLanes(VectorOperators.ADD);
            for (; c < cols; c++) {
                float xc = x[c];
                s0 += w[b0 + c] * xc;
                s1 += w[b1 + c] * xc;
                s2 += w[b2 + c] * xc;
                s3 += w[b3 + c] * xc;
            }
            y[yBase + r] = s0;
            y[yBase + r + 1] = s1;
            y[yBase + r + 2] = s2;
            y[yBase + r + 3] = s3;
        }
        for (; r < r1; r++) {
            y[yBase + r] = f32Dot(w, r * cols, x, 0, cols, bound);
        }
    }

    private static float f32Dot(float[] w, int wb, float[] x, int xb, int cols, int bound) {
        FloatVector a = FloatVector.zero(F);
        int c = 0;
        for (; c < bound; c += L) {
            a = FloatVector.fromArray(F, w, wb + c).fma(FloatVector.fromArray(F, x, xb + c), a);
        }
        float s = a.reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) {
            s += w[wb + c] * x[xb + c];
        }
        return s;
    }

    /** Σ a[ao+i]·b[bo+i] for i < n. */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += L) {
            acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /** y[yo+i] += a·x[xo+i] for i < n. */
    public static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        int bound = F.loopBound(n);
        FloatVector av = FloatVector.broadcast(F, a);
        int i = 0;
        for (; i < bound; i += L) {
            // lanewise(FMA) rather than fma(): fma's own call of lanewise is profiled in the JDK's shared method,
            // which also sees the half-width vectors of BlockedGemm; C2 then inlined both shapes, merged them and
            // boxed every vector (1.8 MB per token on the embedded model, 2-10x slower decode, varying run to run)
            FloatVector.fromArray(F, x, xo + i)
                    .lanewise(VectorOperators.FMA, av, FloatVector.fromArray(F, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += a * x[xo + i];
        }
    }

    // ------------------------------------------------------------------ BF16, buffer

    /** BF16 weights: row r starts at byte {@code 2 * r * cols} of {@code w} (little-endian). */
    public static void bf16(
            ByteBuffer w, int cols, float[] x, int tokens, float[] y, int yStride, int yBase, int r0, int r1) {
        half(w, false, cols, x, tokens, y, yStride, yBase, r0, r1);
    }

    /** 16-bit float weights, BF16 ({@code f16 = false}) or IEEE half ({@code f16 = true}), widened exactly. */
    public static void half(
            ByteBuffer w,
            boolean f16,
            int cols,
            float[] x,
            int tokens,
            float[] y,
            int yStride,
            int yBase,
            int r0,
            int r1) {
        if (tokens == 1) {
            bf16Decode(w, f16, cols, x, y, yBase, r0, r1);
            return;
        }
        int bound = F.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int wb = 2 * r * cols;
            int t = 0;
            for (; t + 3 < tokens; t += 4) {
                int x0 = t * cols;
                int x1 = x0 + cols;
                int x2 = x1 + cols;
                int x3 = x2 + cols;
                FloatVector a0 = FloatVector.zero(F);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                int c = 0;
                for (; c < bound; c += L) {
                    FloatVector wv = widen(w, wb + 2 * c, f16);
                    a0 = wv.fma(FloatVector.fromArray(F, x, x0 + c), a0);
                    a1 = wv.fma(FloatVector.fromArray(F, x, x1 + c), a1);
                    a2 = wv.fma(FloatVector.fromArray(F, x, x2 + c), a2);
                    a3 = wv.fma(FloatVector.fromArray(F, x, x3 + c), a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD);
                float s1 = a1.reduceLanes(VectorOperators.ADD);
                float s2 = a2.reduceLanes(VectorOperators.ADD);
                float s3 = a3.reduceLanes(VectorOperators.ADD);
                for (; c < cols; c++) {
                    float wc = scalar(w, wb + 2 * c, f16);
                    s0 += wc * x[x0 + c];
                    s1 += wc * x[x1 + c];
                    s2 += wc * x[x2 + c];
                    s3 += wc * x[x3 + c];
                }
                y[t * yStride + yBase + r] = s0;
                y[(t + 1) * yStride + yBase + r] = s1;
                y[(t + 2) * yStride + yBase + r] = s2;
                y[(t + 3) * yStride + yBase + r] = s3;
            }
            for (; t < tokens; t++) {
                y[t * yStride + yBase + r] = bf16Dot(w, f16, wb, x, t * cols, cols, bound);
            }
        }
    }

    private static void bf16Decode(
            ByteBuffer w, boolean f16, int cols, float[] x, float[] y, int yBase, int r0, int r1) {
        int bound = F.loopBound(cols);
        int r = r0;
        for (; r + 3 < r1; r += 4) {
            int b0 = 2 * r * cols;
            int b1 = b0 + 2 * cols;
            int b2 = b1 + 2 * cols;
            int b3 = b2 + 2 * cols;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int c = 0;
            for (; c < bound; c += L) {
                FloatVector xv = FloatVector.fromArray(F, x, c);
                a0 = widen(w, b0 + 2 * c, f16).fma(xv, a0);
                a1 = widen(w, b1 + 2 * c, f16).fma(xv, a1);
                a2 = widen(w, b2 + 2 * c, f16).fma(xv, a2);
                a3 = widen(w, b3 + 2 * c, f16).fma(xv, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD);
            float s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD);
            float s3 = a3.reduceLanes(VectorOperators.ADD);
            for (; c < cols; c++) {
                float xc = x[c];
                s0 += scalar(w, b0 + 2 * c, f16) * xc;
                s1 += scalar(w, b1 + 2 * c, f16) * xc;
                s2 += scalar(w, b2 + 2 * c, f16) * xc;
                s3 += scalar(w, b3 + 2 * c, f16) * xc;
            }
            y[yBase + r] = s0;
            y[yBase + r + 1] = s1;
            y[yBase + r + 2] = s2;
            y[yBase + r + 3] = s3;
        }
        for (; r < r1; r++) {
            y[yBase + r] = bf16Dot(w, f16, 2 * r * cols, x, 0, cols, bound);
        }
    }

    private static float bf16Dot(ByteBuffer w, boolean f16, int wb, float[] x, int xb, int cols, int bound) {
        FloatVector a = FloatVector.zero(F);
        int c = 0;
        for (; c < bound; c += L) {
            a = widen(w, wb + 2 * c, f16).fma(FloatVector.fromArray(F, x, xb + c), a);
        }
        float s = a.reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) {
            s += scalar(w, wb + 2 * c, f16) * x[xb + c];
        }
        return s;
    }

    // ------------------------------------------------------------------ BF16, even/odd layout

    private static final IntVector HI16 = IntVector.broadcast(I, 0xFFFF0000);

    /**
     * x rows rearranged for {@link #bf16EvenOdd}: within each chunk of 2L columns the even columns come first, then
     * the odd ones; tail columns (cols mod 2L) stay in place.
     */
    public static float[] deinterleave(float[] x, int tokens, int cols) {
        float[] d = new float[tokens * cols];
        int chunk = 2 * L;
        int bound = cols / chunk * chunk;
        for (int t = 0; t < tokens; t++) {
            int base = t * cols;
            for (int c = 0; c < bound; c += chunk) {
                for (int j = 0; j < L; j++) {
                    d[base + c + j] = x[base + c + 2 * j];
                    d[base + c + L + j] = x[base + c + 2 * j + 1];
                }
            }
            System.arraycopy(x, base + bound, d, base + bound, cols - bound);
        }
        return d;
    }

    /**
     * BF16 product without a widening instruction: 2L BF16 values are loaded as L ints; {@code int << 16} is the
     * even element as FP32 and {@code int & 0xFFFF0000} the odd one, multiplied with x's even and odd columns
     * ({@code xd} from {@link #deinterleave}). About twice as fast as converting lanes when the weights are in cache.
     */
    public static void bf16EvenOdd(
            ByteBuffer w, int cols, float[] xd, int tokens, float[] y, int yStride, int yBase, int r0, int r1) {
        int chunk = 2 * L;
        int bound = cols / chunk * chunk;
        if (tokens == 1) {
            int r = r0;
            for (; r + 3 < r1; r += 4) {
                int b0 = 2 * r * cols;
                int b1 = b0 + 2 * cols;
                int b2 = b1 + 2 * cols;
                int b3 = b2 + 2 * cols;
                FloatVector a0 = FloatVector.zero(F);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                int c = 0;
                for (; c < bound; c += chunk) {
                    FloatVector xe = FloatVector.fromArray(F, xd, c);
                    FloatVector xo = FloatVector.fromArray(F, xd, c + L);
                    IntVector i0 = IntVector.fromByteBuffer(I, w, b0 + 2 * c, LE);
                    IntVector i1 = IntVector.fromByteBuffer(I, w, b1 + 2 * c, LE);
                    IntVector i2 = IntVector.fromByteBuffer(I, w, b2 + 2 * c, LE);
                    IntVector i3 = IntVector.fromByteBuffer(I, w, b3 + 2 * c, LE);
                    a0 = i0.lanewise(VectorOperators.LSHL, 16)
                            .reinterpretAsFloats()
                            .fma(xe, a0);
                    a1 = i1.lanewise(VectorOperators.LSHL, 16)
                            .reinterpretAsFloats()
                            .fma(xe, a1);
                    a2 = i2.lanewise(VectorOperators.LSHL, 16)
                            .reinterpretAsFloats()
                            .fma(xe, a2);
                    a3 = i3.lanewise(VectorOperators.LSHL, 16)
                            .reinterpretAsFloats()
                            .fma(xe, a3);
                    a0 = i0.and(HI16).reinterpretAsFloats().fma(xo, a0);
                    a1 = i1.and(HI16).reinterpretAsFloats().fma(xo, a1);
                    a2 = i2.and(HI16).reinterpretAsFloats().fma(xo, a2);
                    a3 = i3.and(HI16).reinterpretAsFloats().fma(xo, a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD);
                float s1 = a1.reduceLanes(VectorOperators.ADD);
                float s2 = a2.reduceLanes(VectorOperators.ADD);
                float s3 = a3.reduceLanes(VectorOperators.ADD);
                for (; c < cols; c++) {
                    float xc = xd[c];
                    s0 += scalar(w, b0 + 2 * c, false) * xc;
                    s1 += scalar(w, b1 + 2 * c, false) * xc;
                    s2 += scalar(w, b2 + 2 * c, false) * xc;
                    s3 += scalar(w, b3 + 2 * c, false) * xc;
                }
                y[yBase + r] = s0;
                y[yBase + r + 1] = s1;
                y[yBase + r + 2] = s2;
                y[yBase + r + 3] = s3;
            }
            for (; r < r1; r++) {
                y[yBase + r] = evenOddDot(w, 2 * r * cols, xd, 0, cols, bound);
            }
            return;
        }
        for (int r = r0; r < r1; r++) {
            int wb = 2 * r * cols;
            int t = 0;
            for (; t + 3 < tokens; t += 4) {
                int x0 = t * cols;
                int x1 = x0 + cols;
                int x2 = x1 + cols;
                int x3 = x2 + cols;
                FloatVector a0 = FloatVector.zero(F);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                int c = 0;
                for (; c < bound; c += chunk) {
                    IntVector iv = IntVector.fromByteBuffer(I, w, wb + 2 * c, LE);
                    FloatVector we = iv.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                    FloatVector wo = iv.and(HI16).reinterpretAsFloats();
                    a0 = we.fma(FloatVector.fromArray(F, xd, x0 + c), a0);
                    a1 = we.fma(FloatVector.fromArray(F, xd, x1 + c), a1);
                    a2 = we.fma(FloatVector.fromArray(F, xd, x2 + c), a2);
                    a3 = we.fma(FloatVector.fromArray(F, xd, x3 + c), a3);
                    a0 = wo.fma(FloatVector.fromArray(F, xd, x0 + c + L), a0);
                    a1 = wo.fma(FloatVector.fromArray(F, xd, x1 + c + L), a1);
                    a2 = wo.fma(FloatVector.fromArray(F, xd, x2 + c + L), a2);
                    a3 = wo.fma(FloatVector.fromArray(F, xd, x3 + c + L), a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD);
                float s1 = a1.reduceLanes(VectorOperators.ADD);
                float s2 = a2.reduceLanes(VectorOperators.ADD);
                float s3 = a3.reduceLanes(VectorOperators.ADD);
                for (; c < cols; c++) {
                    float wc = scalar(w, wb + 2 * c, false);
                    s0 += wc * xd[x0 + c];
                    s1 += wc * xd[x1 + c];
                    s2 += wc * xd[x2 + c];
                    s3 += wc * xd[x3 + c];
                }
                y[t * yStride + yBase + r] = s0;
                y[(t + 1) * yStride + yBase + r] = s1;
                y[(t + 2) * yStride + yBase + r] = s2;
                y[(t + 3) * yStride + yBase + r] = s3;
            }
            for (; t < tokens; t++) {
                y[t * yStride + yBase + r] = evenOddDot(w, wb, xd, t * cols, cols, bound);
            }
        }
    }

    /**
     * A few tokens (an expert's share of a prompt) against BF16 rows: blocks of 4 rows × 4 tokens, 16 accumulators.
     * Each group of four rows is first copied as ints into a heap array (a bulk copy, 2 bytes per weight: the rows
     * then sit in L1), because {@code IntVector.fromByteBuffer} on a mapped buffer runs at half the speed of
     * {@code fromArray} in this loop (docs/benchmarks.md); each 2L-column step widens the four rows once (one shift or
     * mask per L values, as in {@link #bf16EvenOdd}) and loads each token's x once for all four rows. Token tails take
     * {@link #evenOddDot}, row tails and odd widths {@link #bf16EvenOdd}. Same arguments as {@link #bf16EvenOdd};
     * {@code xd} from {@link #deinterleave}.
     */
    public static void bf16Block(
            ByteBuffer w, int cols, float[] xd, int tokens, float[] y, int yStride, int yBase, int r0, int r1) {
        int t4 = tokens / 4 * 4;
        if (cols % 2 != 0) {
            bf16EvenOdd(w, cols, xd, tokens, y, yStride, yBase, r0, r1);
            return;
        }
        int chunk = 2 * L;
        int bound = cols / chunk * chunk;
        int half = cols / 2; // ints per row
        IntBuffer ints = w.duplicate().clear().order(LE).asIntBuffer();
        int[] rows4 = new int[4 * half];
        int r = r0;
        for (; r + 3 < r1; r += 4) {
            ints.get(r * half, rows4, 0, 4 * half);
            for (int t = 0; t < t4; t += 4) {
                block4x4(rows4, half, xd, t * cols, cols, bound, y, t * yStride + yBase + r, yStride);
            }
            for (int t = t4; t < tokens; t++) {
                block4x1(rows4, half, xd, t * cols, bound, y, t * yStride + yBase + r);
            }
            for (int t = 0; bound < cols && t < tokens; t++) { // the columns past the last full 2L step
                for (int i = 0; i < 4; i++) {
                    for (int c = bound; c < cols; c++) {
                        y[t * yStride + yBase + r + i] += scalar(w, 2 * ((r + i) * cols + c), false) * xd[t * cols + c];
                    }
                }
            }
        }
        if (r < r1) {
            bf16EvenOdd(w, cols, xd, tokens, y, yStride, yBase, r, r1);
        }
    }

    /**
     * Four rows (ints, {@code half} per row, from 0) × four tokens (x rows from x0, stride cols) over the first
     * {@code bound} columns; y[yo + k · yStride + i] = row i · token k.
     */
    private static void block4x4(
            int[] w, int half, float[] xd, int x0, int cols, int bound, float[] y, int yo, int yStride) {
        int x1 = x0 + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        int b1 = half;
        int b2 = 2 * half;
        int b3 = 3 * half;
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a03 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a13 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a23 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        FloatVector a33 = a00;
        for (int c = 0; c < bound; c += 2 * L) {
            int ci = c / 2;
            for (int h = 0; h < 2; h++) { // h = 0: even columns (int << 16), 1: odd (int & 0xFFFF0000)
                FloatVector w0 = half(IntVector.fromArray(I, w, ci), h);
                FloatVector w1 = half(IntVector.fromArray(I, w, b1 + ci), h);
                FloatVector w2 = half(IntVector.fromArray(I, w, b2 + ci), h);
                FloatVector w3 = half(IntVector.fromArray(I, w, b3 + ci), h);
                int xc = c + h * L;
                FloatVector x = FloatVector.fromArray(F, xd, x0 + xc);
                a00 = w0.fma(x, a00);
                a10 = w1.fma(x, a10);
                a20 = w2.fma(x, a20);
                a30 = w3.fma(x, a30);
                x = FloatVector.fromArray(F, xd, x1 + xc);
                a01 = w0.fma(x, a01);
                a11 = w1.fma(x, a11);
                a21 = w2.fma(x, a21);
                a31 = w3.fma(x, a31);
                x = FloatVector.fromArray(F, xd, x2 + xc);
                a02 = w0.fma(x, a02);
                a12 = w1.fma(x, a12);
                a22 = w2.fma(x, a22);
                a32 = w3.fma(x, a32);
                x = FloatVector.fromArray(F, xd, x3 + xc);
                a03 = w0.fma(x, a03);
                a13 = w1.fma(x, a13);
                a23 = w2.fma(x, a23);
                a33 = w3.fma(x, a33);
            }
        }
        y[yo] = a00.reduceLanes(VectorOperators.ADD);
        y[yo + 1] = a10.reduceLanes(VectorOperators.ADD);
        y[yo + 2] = a20.reduceLanes(VectorOperators.ADD);
        y[yo + 3] = a30.reduceLanes(VectorOperators.ADD);
        yo += yStride;
        y[yo] = a01.reduceLanes(VectorOperators.ADD);
        y[yo + 1] = a11.reduceLanes(VectorOperators.ADD);
        y[yo + 2] = a21.reduceLanes(VectorOperators.ADD);
        y[yo + 3] = a31.reduceLanes(VectorOperators.ADD);
        yo += yStride;
        y[yo] = a02.reduceLanes(VectorOperators.ADD);
        y[yo + 1] = a12.reduceLanes(VectorOperators.ADD);
        y[yo + 2] = a22.reduceLanes(VectorOperators.ADD);
        y[yo + 3] = a32.reduceLanes(VectorOperators.ADD);
        yo += yStride;
        y[yo] = a03.reduceLanes(VectorOperators.ADD);
        y[yo + 1] = a13.reduceLanes(VectorOperators.ADD);
        y[yo + 2] = a23.reduceLanes(VectorOperators.ADD);
        y[yo + 3] = a33.reduceLanes(VectorOperators.ADD);
    }

    /** Four rows × one token, as {@link #block4x4}: the token tails of {@link #bf16Block}. */
    private static void block4x1(int[] w, int half, float[] xd, int x0, int bound, float[] y, int yo) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int c = 0; c < bound; c += 2 * L) {
            int ci = c / 2;
            IntVector i0 = IntVector.fromArray(I, w, ci);
            IntVector i1 = IntVector.fromArray(I, w, half + ci);
            IntVector i2 = IntVector.fromArray(I, w, 2 * half + ci);
            IntVector i3 = IntVector.fromArray(I, w, 3 * half + ci);
            FloatVector x = FloatVector.fromArray(F, xd, x0 + c);
            a0 = half(i0, 0).fma(x, a0);
            a1 = half(i1, 0).fma(x, a1);
            a2 = half(i2, 0).fma(x, a2);
            a3 = half(i3, 0).fma(x, a3);
            x = FloatVector.fromArray(F, xd, x0 + c + L);
            a0 = half(i0, 1).fma(x, a0);
            a1 = half(i1, 1).fma(x, a1);
            a2 = half(i2, 1).fma(x, a2);
            a3 = half(i3, 1).fma(x, a3);
        }
        y[yo] = a0.reduceLanes(VectorOperators.ADD);
        y[yo + 1] = a1.reduceLanes(VectorOperators.ADD);
        y[yo + 2] = a2.reduceLanes(VectorOperators.ADD);
        y[yo + 3] = a3.reduceLanes(VectorOperators.ADD);
    }

    /** The even (h = 0) or odd (h = 1) BF16 values of L ints as FP32. */
    private static FloatVector half(IntVector iv, int h) {
        return (h == 0 ? iv.lanewise(VectorOperators.LSHL, 16) : iv.and(HI16)).reinterpretAsFloats();
    }

    /**
     * One token, weights streamed from memory: rows one after another, so the reads are a single sequential stream
     * the hardware prefetcher follows across pages (the four-row kernel keeps four streams, one page each for a
     * 2048-column BF16 row, and measured 30–60 % slower on matrices larger than the L2). Four accumulators over
     * two chunks per step. Same arguments as {@link #bf16EvenOdd} with {@code tokens == 1}.
     */
    public static void bf16EvenOddStream(ByteBuffer w, int cols, float[] xd, float[] y, int yBase, int r0, int r1) {
        int chunk = 2 * L;
        int bound = cols / chunk * chunk;
        int bound2 = cols / (2 * chunk) * (2 * chunk);
        for (int r = r0; r < r1; r++) {
            int wb = 2 * r * cols;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int c = 0;
            for (; c < bound2; c += 2 * chunk) {
                IntVector i0 = IntVector.fromByteBuffer(I, w, wb + 2 * c, LE);
                IntVector i1 = IntVector.fromByteBuffer(I, w, wb + 2 * c + 2 * chunk, LE);
                a0 = i0.lanewise(VectorOperators.LSHL, 16)
                        .reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xd, c), a0);
                a1 = i0.and(HI16).reinterpretAsFloats().fma(FloatVector.fromArray(F, xd, c + L), a1);
                a2 = i1.lanewise(VectorOperators.LSHL, 16)
                        .reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xd, c + chunk), a2);
                a3 = i1.and(HI16).reinterpretAsFloats().fma(FloatVector.fromArray(F, xd, c + chunk + L), a3);
            }
            for (; c < bound; c += chunk) {
                IntVector i0 = IntVector.fromByteBuffer(I, w, wb + 2 * c, LE);
                a0 = i0.lanewise(VectorOperators.LSHL, 16)
                        .reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xd, c), a0);
                a1 = i0.and(HI16).reinterpretAsFloats().fma(FloatVector.fromArray(F, xd, c + L), a1);
            }
            float s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
            for (; c < cols; c++) {
                s += scalar(w, wb + 2 * c, false) * xd[c];
            }
            y[yBase + r] = s;
        }
    }

    private static float evenOddDot(ByteBuffer w, int wb, float[] xd, int xb, int cols, int bound) {
        FloatVector a = FloatVector.zero(F);
        int c = 0;
        for (; c < bound; c += 2 * L) {
            IntVector iv = IntVector.fromByteBuffer(I, w, wb + 2 * c, LE);
            a = iv.lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats()
                    .fma(FloatVector.fromArray(F, xd, xb + c), a);
            a = iv.and(HI16).reinterpretAsFloats().fma(FloatVector.fromArray(F, xd, xb + c + L), a);
        }
        float s = a.reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) {
            s += scalar(w, wb + 2 * c, false) * xd[xb + c];
        }
        return s;
    }

    /** L 16-bit floats at byte offset {@code off}, widened exactly to FP32. */
    static FloatVector widen(ByteBuffer w, int off, boolean f16) {
        ShortVector s = ShortVector.fromByteBuffer(S, w, off, LE);
        IntVector i = (IntVector) s.convertShape(VectorOperators.S2I, I, 0); // sign-extended
        if (!f16) {
            return i.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
        }
        // IEEE half: |h| << 13 is a float whose exponent is off by 112; scaling by 2^112 fixes normals and
        // subnormals exactly; Inf/NaN (exponent 31) get the float's all-ones exponent; then the sign.
        IntVector mag = i.and(0x7FFF);
        IntVector shifted = mag.lanewise(VectorOperators.LSHL, 13);
        IntVector bits = shifted.reinterpretAsFloats()
                .mul(0x1p112f)
                .reinterpretAsInts()
                .blend(shifted.or(0x7F800000), mag.compare(VectorOperators.GE, 0x7C00));
        return bits.or(i.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    static float scalar(ByteBuffer w, int off, boolean f16) {
        short h = w.getShort(off);
        return f16 ? FloatDecoder.f16(h) : Float.intBitsToFloat((h & 0xFFFF) << 16);
    }

    /** Widens {@code count} BF16 values at byte offset {@code off} into dst[dstOff..]. */
    public static void widenTo(ByteBuffer w, int off, float[] dst, int dstOff, int count) {
        widenTo(w, false, off, dst, dstOff, count);
    }

    /**
     * Widens {@code n} BF16 rows of {@code cols} values (row-major from byte {@code off}) to FP32 in the column order
     * of {@link #deinterleave}: within each chunk of 2L columns the even columns first, then the odd ones; tail
     * columns in place. A product with a deinterleaved x is the product in natural order (the same permutation on
     * both sides), and the widening is one shift or mask per L values instead of a lane conversion.
     */
    public static void widenBf16EvenOdd(ByteBuffer w, int off, int cols, int n, float[] dst, int dstOff) {
        int chunk = 2 * L;
        int bound = cols / chunk * chunk;
        for (int r = 0; r < n; r++) {
            int wb = off + 2 * r * cols;
            int d = dstOff + r * cols;
            int c = 0;
            for (; c < bound; c += chunk) {
                IntVector iv = IntVector.fromByteBuffer(I, w, wb + 2 * c, LE);
                iv.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, d + c);
                iv.and(HI16).reinterpretAsFloats().intoArray(dst, d + c + L);
            }
            for (; c < cols; c++) {
                dst[d + c] = scalar(w, wb + 2 * c, false);
            }
        }
    }

    /** Widens {@code count} 16-bit floats (BF16, or IEEE half if {@code f16}) into dst[dstOff..]. */
    public static void widenTo(ByteBuffer w, boolean f16, int off, float[] dst, int dstOff, int count) {
        int bound = F.loopBound(count);
        int i = 0;
        for (; i < bound; i += L) {
            widen(w, off + 2 * i, f16).intoArray(dst, dstOff + i);
        }
        for (; i < count; i++) {
            dst[dstOff + i] = scalar(w, off + 2 * i, f16);
        }
    }
}
