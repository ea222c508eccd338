package io.moescope.jmh;

import io.moescope.model.gguf.GgmlType;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.quant.QuantMatrices;
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
 * Products on GGUF block types through {@link QuantMatrices} (the engine's path, split over the kernel pool):
 * OLMoE-1B-7B expert shapes (gate/up 1024×2048, down 2048×1024) and an lm_head-sized 50304×2048, rows × cols.
 * Decode (tokens = 1) streams the weights from memory: they are spread over enough copies (≥ 256 MB) that no call
 * finds its matrix in cache; GB/s = weight bytes ÷ time. Prefill (tokens = 64, 512): GFLOP/s = 2·rows·cols·tokens
 * ÷ time. The weight bytes per shape and type are printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
public class QuantKernelBench {

    @Param({"Q8_0", "Q4_K", "Q6_K", "Q5_K", "Q4_0", "MXFP4"})
    public String type;

    /** rows x cols */
    @Param({"1024x2048", "2048x1024", "50304x2048"})
    public String shape;

    /** tokens per product (1 = decode) */
    @Param({"1"})
    public int tokens;

    /**
     * Decode activations: int8 (integer kernels where the type has one) or fp32. JMH forks a JVM per parameter set,
     * so setting {@code moescope.quant.activations} before the first {@link QuantMatrices} call chooses the path.
     */
    @Param({"int8", "fp32"})
    public String activations;

    /** MiB of weight copies a decode run cycles through: 256 streams from memory, 1 stays in cache (kernel speed). */
    @Param({"256"})
    public int streamMiB;

    /**
     * Run prefill-sized products (8 tokens: the FP32 widening kernels and their 128-bit byte vectors) on two copies
     * before measuring, as the engine does before its first decode token. It changes what C2 makes of the decode
     * kernels: the int8 Q6_K kernel of 45ee921 ran 6× slower after it (docs/benchmarks.md, "Q4_K_M decode profile").
     */
    @Param({"false"})
    public boolean prefillFirst;

    private Matrix[] copies;
    private float[] x;
    private float[] y;
    private int next;

    @Setup
    public void setup() {
        System.setProperty("moescope.quant.activations", activations);
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        GgmlType t = GgmlType.valueOf(type);
        long bytes = rows * t.rowBytes(cols);
        int n = tokens == 1 ? (int) Math.max(2, Math.min(256, ((long) streamMiB << 20) / bytes)) : 1;
        copies = new Matrix[n];
        for (int k = 0; k < n; k++) {
            copies[k] = QuantMatrices.of(new BenchBlocks(t, rows, cols, k));
        }
        SplittableRandom rnd = new SplittableRandom(1);
        x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        y = new float[tokens * rows];
        if (prefillFirst) {
            float[] x8 = new float[8 * cols];
            float[] y8 = new float[8 * rows];
            for (int r = 0; r < 30; r++) {
                for (int k = 0; k < Math.min(2, copies.length); k++) {
                    copies[k].apply(x8, 8, y8);
                }
            }
        }
        System.out.println("# weight bytes " + type + " " + shape + ": " + bytes + " (" + n + " copies)");
    }

    @Benchmark
    public float product() {
        next = next + 1 == copies.length ? 0 : next + 1;
        copies[next].apply(x, tokens, y);
        return y[0];
    }
}
