package io.moescope.jmh;

import io.moescope.model.gguf.GgmlType;
import io.moescope.model.io.FloatDecoder;
import io.moescope.model.tensor.MappedHalfMatrix;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.quant.QuantMatrices;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * MXFP4 products at gpt-oss-20b's expert shapes (down 2880×2880, gate|up 5760×2880, rows × cols), one kernel
 * thread ({@code -Dmoescope.threads=1}), one weight (4.4 / 8.8 MB: in the last-level cache after the first call):
 * the kernel's speed, not the memory's. {@code form}: the safetensors blocks + scales (gpt-oss checkpoints) or the
 * GGUF 17-byte blocks. {@code othersFirst} runs the other paths first in the same JVM (BF16 decode and prefill, the
 * other MXFP4 form, this matrix at 1 and 8 tokens), as the engine does before it decodes: JDK 17 binds the Vector
 * API's shared methods by JVM-wide type profiles (docs/benchmarks.md). Run with {@code -prof gc}: a
 * {@code gc.alloc.rate.norm} of more than a few hundred bytes per product means boxed vectors.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g", "-Dmoescope.threads=1"})
public class Mxfp4Bench {

    @Param({"safetensors", "gguf"})
    public String form;

    /** rows x cols */
    @Param({"2880x2880", "5760x2880"})
    public String shape;

    /** tokens per product (1 = decode, 8 = an expert's share of a 64-token prompt) */
    @Param({"1", "8"})
    public int tokens;

    @Param({"true"})
    public boolean othersFirst;

    private Matrix m;
    private float[] x;
    private float[] y;

    @Setup
    public void setup() {
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        Matrix other = gguf(rows, cols);
        m = form.equals("gguf") ? other : safetensors(rows, cols);
        if (form.equals("gguf")) {
            other = safetensors(rows, cols);
        }
        x = gaussian(tokens * cols, 1);
        y = new float[tokens * rows];
        if (othersFirst) {
            Matrix bf16 = bf16(1024, 2048);
            for (int r = 0; r < 30; r++) {
                for (int t : new int[] {1, 8}) {
                    for (Matrix w : new Matrix[] {bf16, other, m}) {
                        w.apply(gaussian(t * w.cols(), r), t, new float[t * w.rows()]);
                    }
                }
            }
        }
    }

    /** Safetensors form: blocks [rows, cols/32, 16] of random codes, scales [rows, cols/32] near 2^0. */
    static Matrix safetensors(int rows, int cols) {
        int blocks = rows * (cols / 32);
        SplittableRandom rnd = new SplittableRandom(2);
        ByteBuffer b = ByteBuffer.allocateDirect(16 * blocks).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < b.capacity(); i += 8) {
            b.putLong(i, rnd.nextLong());
        }
        ByteBuffer s = ByteBuffer.allocateDirect(blocks);
        for (int i = 0; i < blocks; i++) {
            s.put(i, (byte) (120 + rnd.nextInt(12)));
        }
        return QuantMatrices.mxfp4(b, s, rows, cols);
    }

    /** A BF16 weight in a direct buffer, read as the engine reads a mapped safetensors BF16 tensor. */
    static Matrix bf16(int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocateDirect(2 * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
        float[] w = gaussian(rows * cols, 3);
        for (int i = 0; i < w.length; i++) {
            b.putShort(2 * i, FloatDecoder.toBf16(w[i] / 45));
        }
        return new MappedHalfMatrix(List.of(new MappedHalfMatrix.Segment(b, 0, rows)), cols);
    }

    static Matrix gguf(int rows, int cols) {
        return QuantMatrices.of(new BenchBlocks(GgmlType.MXFP4, rows, cols, 1));
    }

    static float[] gaussian(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @Benchmark
    public float product() {
        m.apply(x, tokens, y);
        return y[0];
    }
}
