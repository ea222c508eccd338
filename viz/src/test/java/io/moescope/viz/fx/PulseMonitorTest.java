package io.moescope.viz.fx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PulseMonitorTest {

    @Test
    void reportsPercentilesOfRecordedIntervals() {
        PulseMonitor monitor = new PulseMonitor(1000);
        long now = 0;
        monitor.record(now);
        for (int i = 1; i <= 100; i++) {
            now += i * 1_000_000L; // intervals 1 ms .. 100 ms
            monitor.record(now);
        }
        PulseStats stats = monitor.stats();
        assertEquals(100, stats.count());
        assertEquals(50.0, stats.p50Millis(), 1e-9);
        assertEquals(99.0, stats.p99Millis(), 1e-9);
        assertEquals(100.0, stats.maxMillis(), 1e-9);
    }

    @Test
    void keepsOnlyTheLatestIntervals() {
        PulseMonitor monitor = new PulseMonitor(4);
        long[] times = {0, 10, 20, 30, 40, 1040, 2040, 3040, 4040};
        for (long t : times) {
            monitor.record(t * 1_000_000L);
        }
        PulseStats stats = monitor.stats();
        assertEquals(4, stats.count());
        assertEquals(1000.0, stats.p50Millis(), 1e-9);
        monitor.reset();
        assertEquals(PulseStats.NONE, monitor.stats());
    }

    @Test
    void reportsTheIntervalsEndingAfterAGivenTime() {
        PulseMonitor monitor = new PulseMonitor(100);
        long[] times = {0, 200, 400, 416, 432, 448}; // two slow pulses, then three of 16 ms
        for (long t : times) {
            monitor.record(t * 1_000_000L);
        }
        assertEquals(5, monitor.stats().count());
        PulseStats steady = monitor.stats(416 * 1_000_000L);
        assertEquals(3, steady.count());
        assertEquals(16.0, steady.maxMillis(), 1e-9);
        assertEquals(0, monitor.stats(10_000 * 1_000_000L).count());
    }
}
