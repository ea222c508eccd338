package io.moescope.model.tensor;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Measures streaming-read memory bandwidth (GB/s) with all cores summing a buffer much larger than the caches. */
public final class BandwidthProbe {

    private BandwidthProbe() {}

    /** Best of {@code repeats} passes over {@code bytes} bytes, read by {@code threads} threads. */
    public static double measureGbPerSecond(long bytes, int threads, int repeats) throws Exception {
        int n = (int) Math.min(Integer.MAX_VALUE - 8, bytes / 8);
        long[] data = new long[n];
        for (int i = 0; i < n; i += 512) {
            data[i] = i;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bandwidth-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            double best = 0;
            long sink = 0;
            for (int rep = 0; rep < repeats + 1; rep++) {
                long t0 = System.nanoTime();
                Future<?>[] parts = new Future<?>[threads];
                long[] sums = new long[threads];
                for (int t = 0; t < threads; t++) {
                    int from = (int) ((long) n * t / threads);
                    int to = (int) ((long) n * (t + 1) / threads);
                    int slot = t;
                    parts[t] = pool.submit(() -> sums[slot] = sum(data, from, to));
                }
                for (Future<?> f : parts) {
                    f.get();
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                for (long s : sums) {
                    sink += s;
                }
                if (rep > 0) {
                    best = Math.max(best, 8.0 * n / secs / 1e9);
                }
            }
            if (sink == 42) {
                System.err.print("");
            }
            return best;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Streams a[from, to) with Vector API adds (8-byte elements, wide loads, four independent accumulators). */
    private static long sum(long[] a, int from, int to) {
        jdk.incubator.vector.VectorSpecies<Long> sp = jdk.incubator.vector.LongVector.SPECIES_PREFERRED;
        int l = sp.length();
        var s0 = jdk.incubator.vector.LongVector.zero(sp);
        var s1 = s0;
        var s2 = s0;
        var s3 = s0;
        int i = from;
        for (; i + 4 * l <= to; i += 4 * l) {
            s0 = s0.add(jdk.incubator.vector.LongVector.fromArray(sp, a, i));
            s1 = s1.add(jdk.incubator.vector.LongVector.fromArray(sp, a, i + l));
            s2 = s2.add(jdk.incubator.vector.LongVector.fromArray(sp, a, i + 2 * l));
            s3 = s3.add(jdk.incubator.vector.LongVector.fromArray(sp, a, i + 3 * l));
        }
        long rest = scalarSum(a, i, to);
        return rest + s0.add(s1).add(s2).add(s3).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    private static long scalarSum(long[] a, int from, int to) {
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i];
        }
        return s0 + s1 + s2 + s3;
    }
}
