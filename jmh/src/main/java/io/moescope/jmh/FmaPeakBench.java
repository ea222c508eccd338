package io.moescope.jmh;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The FP32 FMA peak of this CPU through the Vector API: twelve independent accumulators in registers, no memory
 * traffic. One op = one FMA per accumulator (12 · lanes · 2 FLOP). Run with {@code -t 1} and {@code -t 2}
 * (threads; the score is the sum over threads): GFLOP/s = ops/µs · 24 · lanes / 1000.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBench {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int STEPS = 1000;

    public float seed = 1e-3f;

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public float fma12() {
        FloatVector m = FloatVector.broadcast(F, 0.999f);
        FloatVector a = FloatVector.broadcast(F, seed);
        FloatVector a0 = a;
        FloatVector a1 = a.add(1);
        FloatVector a2 = a.add(2);
        FloatVector a3 = a.add(3);
        FloatVector a4 = a.add(4);
        FloatVector a5 = a.add(5);
        FloatVector a6 = a.add(6);
        FloatVector a7 = a.add(7);
        FloatVector a8 = a.add(8);
        FloatVector a9 = a.add(9);
        FloatVector a10 = a.add(10);
        FloatVector a11 = a.add(11);
        for (int i = 0; i < STEPS; i++) {
            a0 = a0.fma(m, a);
            a1 = a1.fma(m, a);
            a2 = a2.fma(m, a);
            a3 = a3.fma(m, a);
            a4 = a4.fma(m, a);
            a5 = a5.fma(m, a);
            a6 = a6.fma(m, a);
            a7 = a7.fma(m, a);
            a8 = a8.fma(m, a);
            a9 = a9.fma(m, a);
            a10 = a10.fma(m, a);
            a11 = a11.fma(m, a);
        }
        return a0.add(a1)
                .add(a2)
                .add(a3)
                .add(a4)
                .add(a5)
                .add(a6)
                .add(a7)
                .add(a8)
                .add(a9)
                .add(a10)
                .add(a11)
                .lane(0);
    }
}
