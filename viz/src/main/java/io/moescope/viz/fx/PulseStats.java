package io.moescope.viz.fx;

import java.util.Arrays;

/**
 * Summary of FX pulse intervals: how many were seen and their median, 99th percentile and maximum,
 * in milliseconds. Immutable.
 *
 * @param count number of intervals measured
 * @param p50Millis median interval
 * @param p99Millis 99th-percentile interval (nearest rank)
 * @param maxMillis longest interval
 */
public record PulseStats(int count, double p50Millis, double p99Millis, double maxMillis) {

    /** No intervals seen. */
    public static final PulseStats NONE = new PulseStats(0, 0, 0, 0);

    /** Statistics over the given intervals in nanoseconds (the array is not modified). */
    public static PulseStats ofNanos(long[] intervalsNanos) {
        if (intervalsNanos.length == 0) {
            return NONE;
        }
        long[] sorted = intervalsNanos.clone();
        Arrays.sort(sorted);
        return new PulseStats(
                sorted.length,
                millis(percentile(sorted, 0.50)),
                millis(percentile(sorted, 0.99)),
                millis(sorted[sorted.length - 1]));
    }

    /** Nearest-rank percentile of a sorted array. */
    static long percentile(long[] sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    @Override
    public String toString() {
        return String.format(
                "%d pulses: p50 %.2f ms, p99 %.2f ms, max %.2f ms", count, p50Millis, p99Millis, maxMillis);
    }
}
