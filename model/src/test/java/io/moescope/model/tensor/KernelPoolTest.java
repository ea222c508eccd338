package io.moescope.model.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
}
