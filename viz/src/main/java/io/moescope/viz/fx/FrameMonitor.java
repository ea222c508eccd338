package io.moescope.viz.fx;

import com.sun.javafx.perf.PerformanceTracker;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import javafx.animation.AnimationTimer;
import javafx.scene.Scene;

/**
 * Measures how long each FX pulse takes to put its frame on screen: from the pulse's start (the timestamp an
 * {@link AnimationTimer} is given, taken before the pulse runs any animation or timer) to the end of its work on the
 * FX thread (the scene's post-layout pulse listener) or, when the pulse rendered, to the moment the renderer
 * finished the frame (JavaFX's scene performance tracker, called on the render thread). This is the "does a repaint
 * fit in one frame" figure; {@link PulseMonitor} measures the interval between pulses, which the pulse timer's
 * period bounds from below.
 *
 * <p>A render is credited to the latest pulse whose layout finished before it; a pulse credited with two renders
 * means the previous frame was still being drawn after the next pulse's layout ({@link #overlaps()}), and those
 * frames are counted short. Start, stop and read on the FX thread; at most {@code capacity} pulses are kept (the
 * first ones).
 */
public final class FrameMonitor {

    private final Scene scene;
    private final long[] starts;
    private final long[] layoutEnds;
    private int pulses;
    private final AtomicLongArray renders;
    private final AtomicInteger renderCount = new AtomicInteger();
    private boolean layoutPending;
    private final Runnable postLayout = () -> layoutDone(System.nanoTime());
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            pulseStarted(now);
        }
    };
    private PerformanceTracker tracker;

    /** A monitor for {@code scene} keeping up to {@code capacity} pulses; {@code scene} may be null in tests. */
    public FrameMonitor(Scene scene, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.scene = scene;
        starts = new long[capacity];
        layoutEnds = new long[capacity];
        renders = new AtomicLongArray(2 * capacity);
    }

    /** Starts measuring. FX thread. */
    public void start() {
        timer.start();
        scene.addPostLayoutPulseListener(postLayout);
        tracker = PerformanceTracker.getSceneTracker(scene);
        tracker.setOnRenderedFrameTask(() -> frameRendered(System.nanoTime()));
    }

    /** Stops measuring; what was recorded is kept. FX thread. */
    public void stop() {
        timer.stop();
        scene.removePostLayoutPulseListener(postLayout);
        if (tracker != null) {
            tracker.setOnRenderedFrameTask(null);
            PerformanceTracker.releaseSceneTracker(scene);
            tracker = null;
        }
    }

    /** A pulse started at {@code nanos}; public so tests can drive the monitor. */
    public void pulseStarted(long nanos) {
        if (pulses < starts.length) {
            starts[pulses] = nanos;
            layoutEnds[pulses] = -1;
            layoutPending = true;
        }
    }

    /** The current pulse's layout (its FX-thread work before the sync) ended at {@code nanos}. */
    public void layoutDone(long nanos) {
        if (layoutPending) {
            layoutEnds[pulses++] = nanos;
            layoutPending = false;
        }
    }

    /** The renderer finished a frame at {@code nanos}. Any thread. */
    public void frameRendered(long nanos) {
        int i = renderCount.getAndIncrement();
        if (i < renders.length()) {
            renders.set(i, nanos);
        }
    }

    /** Every complete pulse's frame time, nanoseconds, in pulse order. */
    public long[] frameNanos() {
        long[] ends = Arrays.copyOf(layoutEnds, pulses);
        for (long render : renderTimes()) {
            int pulse = lastLayoutBefore(render);
            if (pulse >= 0) {
                ends[pulse] = Math.max(ends[pulse], render);
            }
        }
        long[] frames = new long[pulses];
        for (int i = 0; i < pulses; i++) {
            frames[i] = ends[i] - starts[i];
        }
        return frames;
    }

    /** Pulses credited with more than one render: the earlier frame was still being drawn (counted short). */
    public int overlaps() {
        int[] credited = new int[pulses];
        int overlaps = 0;
        for (long render : renderTimes()) {
            int pulse = lastLayoutBefore(render);
            if (pulse >= 0 && ++credited[pulse] == 2) {
                overlaps++;
            }
        }
        return overlaps;
    }

    /** Statistics over every complete pulse's frame time. */
    public PulseStats stats() {
        return PulseStats.ofNanos(frameNanos());
    }

    /** Statistics over the frames of pulses that started at or after {@code fromNanos}. */
    public PulseStats stats(long fromNanos) {
        return stats(fromNanos, Long.MAX_VALUE);
    }

    /** Statistics over the frames of pulses that started in [{@code fromNanos}, {@code toNanos}). */
    public PulseStats stats(long fromNanos, long toNanos) {
        return PulseStats.ofNanos(frameNanos(fromNanos, toNanos));
    }

    /** Frame times of the pulses that started in [{@code fromNanos}, {@code toNanos}), nanoseconds. */
    public long[] frameNanos(long fromNanos, long toNanos) {
        long[] frames = frameNanos();
        int first = 0;
        while (first < pulses && starts[first] < fromNanos) {
            first++;
        }
        int end = first;
        while (end < pulses && starts[end] < toNanos) {
            end++;
        }
        return Arrays.copyOfRange(frames, first, end);
    }

    private long[] renderTimes() {
        int n = Math.min(renderCount.get(), renders.length());
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = renders.get(i);
        }
        Arrays.sort(times);
        return times;
    }

    /** The latest pulse whose layout ended at or before {@code nanos}, or -1. */
    private int lastLayoutBefore(long nanos) {
        int lo = 0;
        int hi = pulses - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (layoutEnds[mid] <= nanos) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
