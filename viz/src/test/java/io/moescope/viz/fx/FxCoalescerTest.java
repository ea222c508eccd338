package io.moescope.viz.fx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class FxCoalescerTest {

    private final Queue<Runnable> pending = new ArrayDeque<>();
    private int refreshes;
    private final FxCoalescer coalescer = new FxCoalescer(pending::add, () -> refreshes++);

    @Test
    void manySignalsBeforeTheExecutorRunsGiveOneRefresh() {
        for (int i = 0; i < 100; i++) {
            coalescer.signal();
        }
        assertEquals(1, pending.size());
        assertTrue(coalescer.isPending());
        pending.remove().run();
        assertEquals(1, refreshes);
        assertFalse(coalescer.isPending());
    }

    @Test
    void signalAfterRefreshSchedulesAnother() {
        coalescer.signal();
        pending.remove().run();
        coalescer.signal();
        assertEquals(1, pending.size());
        pending.remove().run();
        assertEquals(2, refreshes);
    }

    @Test
    void sameThreadExecutorRefreshesImmediately() {
        int[] count = {0};
        FxCoalescer direct = new FxCoalescer(Runnable::run, () -> count[0]++);
        direct.signal();
        direct.signal();
        assertEquals(2, count[0]);
    }
}
