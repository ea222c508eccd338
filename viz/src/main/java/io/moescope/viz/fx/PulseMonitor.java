package io.moescope.viz.fx;

import java.util.Arrays;
import javafx.animation.AnimationTimer;

/**
 * Records the interval between consecutive FX pulses using {@link AnimationTimer} timestamps, keeping
 * the most recent {@code capacity} intervals, and reports {@link PulseStats}. An active
 * AnimationTimer makes JavaFX pulse every frame, so measure with the monitor running for the whole
 * window of interest. FX thread only: create, start, stop and read it there.
 *
 * <pre>{@code
 * PulseMonitor monitor = new PulseMonitor(4096);
 * monitor.start();
 * // ... stream data for a while ...
 * monitor.stop();
 * System.out.println(monitor.stats()); // "600 pulses: p50 16.67 ms, p99 18.10 ms, ..."
 * }</pre>
 */
public final class PulseMonitor {

    private final long[] intervals; // ring buffer of the latest pulse intervals, nanoseconds
    private final long[] ends; // when each of those intervals ended (pulse timestamps), nanoseconds
    private int written; // total intervals recorded since the last reset
    private long lastPulse = -1;
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            record(now);
        }
    };

    /** A monitor that keeps the latest {@code capacity} intervals. */
    public PulseMonitor(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        intervals = new long[capacity];
        ends = new long[capacity];
    }

    /** Starts listening to pulses. FX thread. */
    public void start() {
        lastPulse = -1;
        timer.start();
    }

    /** Stops listening; recorded intervals are kept. FX thread. */
    public void stop() {
        timer.stop();
    }

    /** Forgets everything recorded. */
    public void reset() {
        written = 0;
        lastPulse = -1;
    }

    /** Records one pulse at {@code nowNanos}; called by the timer, public so tests can drive it. */
    public void record(long nowNanos) {
        if (lastPulse >= 0) {
            intervals[written % intervals.length] = nowNanos - lastPulse;
            ends[written % intervals.length] = nowNanos;
            written++;
        }
        lastPulse = nowNanos;
    }

    /** Statistics over the intervals currently kept. */
    public PulseStats stats() {
        return PulseStats.ofNanos(Arrays.copyOf(intervals, Math.min(written, intervals.length)));
    }

    /**
     * Statistics over the kept intervals that ended at or after {@code fromNanos} (a pulse timestamp, the time base
     * of {@link AnimationTimer#handle}), e.g. to tell a steady state from the first seconds.
     */
    public PulseStats stats(long fromNanos) {
        int kept = Math.min(written, intervals.length);
        long[] selected = new long[kept];
        int n = 0;
        for (int i = 0; i < kept; i++) {
            if (ends[i] >= fromNanos) {
                selected[n++] = intervals[i];
            }
        }
        return PulseStats.ofNanos(Arrays.copyOf(selected, n));
    }
}
