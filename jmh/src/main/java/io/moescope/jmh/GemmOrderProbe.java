package io.moescope.jmh;

import com.sun.management.ThreadMXBean;
import io.moescope.model.io.FloatDecoder;
import io.moescope.model.tensor.HeapMatrix;
import io.moescope.model.tensor.MappedHalfMatrix;
import io.moescope.model.tensor.Matrix;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Does the speed of the blocked product depend on the order in which the JVM meets token counts? One weight (FP32
 * heap or BF16 in a direct buffer, as mapped), {@code Matrix.apply} repeated for each token count in the order given,
 * several rounds in one JVM; per count: GFLOP per CPU-second of this thread (2 · rows · cols · tokens per product)
 * and bytes allocated per product (a boxed Vector API value shows up here). Run with {@code -Dmoescope.threads=1}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dmoescope.threads=1 -cp "jmh/target/classes:jmh/target/lib/*" \
 *     io.moescope.jmh.GemmOrderProbe fp32 1024x2048 8,16,32,64 6
 * </pre>
 *
 * Arguments: encoding ({@code fp32} or {@code bf16}), rows×cols, token counts in order, rounds (default 6).
 */
public final class GemmOrderProbe {

    private static final long BUDGET_NS = 300_000_000L;

    private GemmOrderProbe() {}

    public static void main(String[] args) {
        String enc = args.length > 0 ? args[0] : "fp32";
        String[] rc = (args.length > 1 ? args[1] : "1024x2048").split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        String[] order = (args.length > 2 ? args[2] : "8,16,32,64").split(",");
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        Matrix m = weight(enc, rows, cols);
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        SplittableRandom rnd = new SplittableRandom(7);
        System.out.printf(Locale.ROOT, "%s %dx%d, order %s%n", enc, rows, cols, String.join(",", order));
        for (int round = 1; round <= rounds; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (String s : order) {
                int tokens = Integer.parseInt(s);
                float[] x = new float[tokens * cols];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rnd.nextGaussian();
                }
                float[] y = new float[tokens * rows];
                long cpu0 = mx.getCurrentThreadCpuTime();
                long alloc0 = mx.getCurrentThreadAllocatedBytes();
                int calls = 0;
                long cpu;
                do {
                    m.apply(x, tokens, y);
                    calls++;
                    cpu = mx.getCurrentThreadCpuTime() - cpu0;
                } while (cpu < BUDGET_NS);
                long alloc = mx.getCurrentThreadAllocatedBytes() - alloc0;
                double gflops = 2.0 * rows * cols * tokens * calls / cpu;
                line.append(String.format(Locale.ROOT, "  T=%d %.1f GF/s %d B/call", tokens, gflops, alloc / calls));
            }
            System.out.println(line);
        }
    }

    private static Matrix weight(String enc, int rows, int cols) {
        SplittableRandom rnd = new SplittableRandom(1);
        float[] w = new float[rows * cols];
        ByteBuffer b = ByteBuffer.allocateDirect(2 * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < w.length; i++) {
            short s = FloatDecoder.toBf16((float) (rnd.nextGaussian() / Math.sqrt(cols)));
            b.putShort(2 * i, s);
            w[i] = FloatDecoder.bf16(s);
        }
        if (enc.equals("bf16")) {
            List<MappedHalfMatrix.Segment> segs = new ArrayList<>();
            segs.add(new MappedHalfMatrix.Segment(b, 0, rows));
            return new MappedHalfMatrix(segs, cols);
        }
        return new HeapMatrix(w, rows, cols);
    }
}
