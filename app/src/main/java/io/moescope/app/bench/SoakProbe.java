package io.moescope.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a long run must not grow, for {@code gui --bench-pulse} (the soak of docs/reliability.md): the heap's peak
 * over the measured stream (the JVM's own per-pool peak, reset at the start: a bound, as pools peak at different
 * moments), the heap left after a full collection at the start and at the end (what the run retains), and the live
 * threads before and after (a thread still there after the run is a leak unless it belongs to the window).
 */
final class SoakProbe {

    private long retainedStart;
    private Set<String> threadsStart = Set.of();

    /** Called as the measured stream starts. */
    void start() {
        retainedStart = retainedHeap();
        threadsStart = threadNames();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peak use since {@link #start}, bytes. */
    long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    long retainedAtStart() {
        return retainedStart;
    }

    /** Heap in use after a full collection, bytes (System.gc: this benchmark's JVM does not disable it). */
    static long retainedHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    int threadsAtStart() {
        return threadsStart.size();
    }

    /** Threads alive now that were not at {@link #start}, by name (the producer thread has ended by then). */
    Set<String> newThreads() {
        Set<String> now = threadNames();
        now.removeAll(threadsStart);
        return now;
    }

    static Set<String> threadNames() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }
}
