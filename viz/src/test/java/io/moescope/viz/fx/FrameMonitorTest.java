package io.moescope.viz.fx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FrameMonitorTest {

    private static final long MS = 1_000_000L;

    @Test
    void framesEndAtTheirRenderOrAtTheEndOfLayoutWhenNothingWasDrawn() {
        FrameMonitor monitor = new FrameMonitor(null, 10);
        monitor.pulseStarted(0);
        monitor.layoutDone(3 * MS);
        monitor.frameRendered(9 * MS); // pulse 0 drew a frame: 9 ms
        monitor.pulseStarted(16 * MS);
        monitor.layoutDone(17 * MS); // pulse 1 drew nothing: 1 ms
        monitor.pulseStarted(32 * MS);
        monitor.layoutDone(40 * MS);
        monitor.pulseStarted(48 * MS); // pulse 2's render ends after pulse 3 started: 30 ms
        monitor.frameRendered(62 * MS);
        monitor.layoutDone(64 * MS);
        monitor.pulseStarted(80 * MS); // started, never finished: not counted
        assertArrayEquals(new long[] {9 * MS, 1 * MS, 30 * MS, 16 * MS}, monitor.frameNanos());
        assertEquals(0, monitor.overlaps());
        PulseStats stats = monitor.stats();
        assertEquals(4, stats.count());
        assertEquals(30.0, stats.maxMillis(), 1e-9);
        assertEquals(2, monitor.stats(32 * MS).count());
        assertEquals(16.0, monitor.stats(48 * MS).p50Millis(), 1e-9);
    }

    @Test
    void aRenderFinishingAfterTheNextLayoutIsReportedAsAnOverlap() {
        FrameMonitor monitor = new FrameMonitor(null, 10);
        monitor.pulseStarted(0);
        monitor.layoutDone(2 * MS);
        monitor.pulseStarted(16 * MS);
        monitor.layoutDone(18 * MS);
        monitor.frameRendered(20 * MS); // pulse 0's frame, or pulse 1's: credited to pulse 1
        monitor.frameRendered(25 * MS);
        assertArrayEquals(new long[] {2 * MS, 9 * MS}, monitor.frameNanos());
        assertEquals(1, monitor.overlaps());
    }

    @Test
    void keepsTheFirstPulsesUpToItsCapacity() {
        FrameMonitor monitor = new FrameMonitor(null, 2);
        for (int i = 0; i < 5; i++) {
            monitor.pulseStarted(i * 16 * MS);
            monitor.layoutDone(i * 16 * MS + (i + 1) * MS);
        }
        assertArrayEquals(new long[] {1 * MS, 2 * MS}, monitor.frameNanos());
        assertThrows(IllegalArgumentException.class, () -> new FrameMonitor(null, 0));
    }
}
