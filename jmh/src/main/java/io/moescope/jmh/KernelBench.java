package io.moescope.jmh;

import io.moescope.model.io.FloatDecoder;
import io.moescope.model.tensor.HeapMatrix;
import io.moescope.model.tensor.MappedHalfMatrix;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.NdMatrix;
import io.moescope.model.tensor.VectorKernels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's matrix products at the shapes that matter: OLMoE-1B-7B expert/attention products (2048 wide) in BF16
 * and FP32, and the teaching model's 256-wide products, per path (Vector API kernels, ND4J gemm, tiled gemm).
 * Weights are spread over {@code copies} matrices (≥ 64 MB in all for the large shapes) so that each call streams
 * from memory rather than from cache, as in decode. Bytes/s = weight bytes ÷ time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class KernelBench {

    /** rows x cols */
    @Param({"2048x2048", "2048x1024", "256x256"})
    public String shape;

    /** tokens per product (1 = decode) */
    @Param({"1", "8", "64"})
    public int tokens;

    private int rows;
    private int cols;
    private Matrix[] bf16;
    private Matrix[] f32;
    private Matrix[] nd4j;
    private ByteBuffer[] raw;
    private float[] x;
    private float[] y;
    private int next;

    @Setup
    public void setup() {
        String[] rc = shape.split("x");
        rows = Integer.parseInt(rc[0]);
        cols = Integer.parseInt(rc[1]);
        long bytes = 2L * rows * cols;
        int copies = (int) Math.max(2, Math.min(64, (128L << 20) / bytes));
        SplittableRandom rnd = new SplittableRandom(1);
        bf16 = new Matrix[copies];
        f32 = new Matrix[copies];
        nd4j = new Matrix[Math.min(copies, 16)];
        raw = new ByteBuffer[copies];
        for (int k = 0; k < copies; k++) {
            float[] w = new float[rows * cols];
            ByteBuffer b = ByteBuffer.allocateDirect(2 * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < w.length; i++) {
                short s = FloatDecoder.toBf16((float) (rnd.nextGaussian() / Math.sqrt(cols)));
                b.putShort(2 * i, s);
                w[i] = FloatDecoder.bf16(s);
            }
            raw[k] = b;
            List<MappedHalfMatrix.Segment> segs = new ArrayList<>();
            segs.add(new MappedHalfMatrix.Segment(b, 0, rows));
            bf16[k] = new MappedHalfMatrix(segs, cols);
            f32[k] = new HeapMatrix(w, rows, cols);
            if (k < nd4j.length) {
                nd4j[k] = new NdMatrix(w.clone(), rows, cols);
            }
        }
        x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        y = new float[tokens * rows];
    }

    private int pick(int n) {
        next = next + 1 == n ? 0 : next + 1;
        return next;
    }

    /** BF16 weights (as mapped from a file), the engine's path for this token count. */
    @Benchmark
    public float bf16Engine() {
        bf16[pick(bf16.length)].apply(x, tokens, y);
        return y[0];
    }

    /** BF16 weights, Vector API kernel on one thread, whatever the token count (no gemm, no pool). */
    @Benchmark
    public float bf16VectorOneThread() {
        VectorKernels.bf16(raw[pick(raw.length)], cols, x, tokens, y, rows, 0, 0, rows);
        return y[0];
    }

    /** FP32 heap weights, the engine's path. */
    @Benchmark
    public float f32Engine() {
        f32[pick(f32.length)].apply(x, tokens, y);
        return y[0];
    }

    /** FP32 weights in ND4J, gemm per call (the engine before the Vector API kernels). */
    @Benchmark
    public float f32Nd4jGemm() {
        nd4j[pick(nd4j.length)].apply(x, tokens, y);
        return y[0];
    }
}
