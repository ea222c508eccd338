package io.moescope.model.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class KernelPoolTest {

    @Test
    void everyIndexRunsExactlyOnceWhoeverRunsTheParts() {
        KernelPool pool = new KernelPool(3);
        Set<String> runners = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 5_000; round++) {
            int n = 64 + round % 37;
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            pool.run(n, 16, 4, (from, to) -> {
                runners.add(Thread.currentThread().getName());
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, hits.get(i), "round " + round + ", index " + i);
            }
        }
        // the parts of workers that had not taken them yet ran on the caller; the others on the workers
        assertTrue(runners.contains(Thread.currentThread().getName()));
    }

    @Test
    void aFailureInAnyPartReachesTheCaller() {
        KernelPool pool = new KernelPool(2);
        IllegalStateException boom = new IllegalStateException("boom");
        for (int round = 0; round < 200; round++) {
            IllegalStateException thrown = assertThrows(
                    IllegalStateException.class,
                    () -> pool.run(100, 10, 1, (f, t) -> {
                        if (f > 0) {
                            throw boom;
                        }
                    }));
            assertSame(boom, thrown);
        }
        int[] sum = {0};
        pool.run(100, 10, 1, (f, t) -> { // the pool still works after failures
            synchronized (sum) {
                sum[0] += t - f;
            }
        });
        assertEquals(100, sum[0]);
    }

    @Test
    void aSmallProductDoesNotWakeAParkedWorkerAndALargeOneDoes() throws InterruptedException {
        KernelPool pool = new KernelPool(2);
        Set<String> runners = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        for (int round = 0; round < 20; round++) {
            Thread.sleep(5); // far longer than the worker's spin: it parks
            pool.run(100, 10, 1, KernelPool.WAKE_MACS - 1, (from, to) -> {
                runners.add(Thread.currentThread().getName());
                if (from == 0) {
                    sleepQuietly(20); // time enough for a woken worker to take its part: none must have been woken
                }
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(20, hits.get(i), "index " + i);
        }
        assertEquals(Set.of(Thread.currentThread().getName()), runners, "the parked worker was woken");

        Thread.sleep(5);
        pool.run(100, 10, 1, KernelPool.WAKE_MACS, (from, to) -> {
            runners.add(Thread.currentThread().getName());
            if (from == 0) {
                sleepQuietly(200); // the caller's part: long enough for the woken worker to take its own
            }
        });
        assertTrue(runners.contains("moescope-kernel-1"), () -> "a large product wakes the worker: " + runners);
    }

    @Test
    void aWorkerThatFallsBehindLeavesTheChunksLeftToTheCaller() throws InterruptedException {
        KernelPool pool = new KernelPool(2);
        String caller = Thread.currentThread().getName();
        for (int round = 0; round < 5; round++) {
            AtomicIntegerArray hits = new AtomicIntegerArray(100);
            AtomicInteger byCaller = new AtomicInteger();
            CountDownLatch workerStarted = new CountDownLatch(1);
            pool.run(100, 1, 1, Long.MAX_VALUE, (from, to) -> {
                if (Thread.currentThread().getName().equals(caller)) {
                    awaitQuietly(workerStarted); // the worker has taken a chunk and is stuck in it
                    byCaller.addAndGet(to - from);
                } else if (workerStarted.getCount() > 0) {
                    workerStarted.countDown();
                    sleepQuietly(100); // a worker that lost its core
                }
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 100; i++) {
                assertEquals(1, hits.get(i), "round " + round + ", index " + i);
            }
            // with one fixed half per thread the caller would have run exactly 50
            assertTrue(byCaller.get() > 50, "caller ran " + byCaller.get());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "the worker never took a chunk");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
