package io.moescope.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class RefreshBudgetTest {

    /** An executor that runs what was queued before each "pulse", as the window's PulseExecutor does. */
    private static final class Pulses implements java.util.concurrent.Executor {
        final Queue<Runnable> queue = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            queue.add(task);
        }

        void pulse() {
            for (int n = queue.size(); n > 0; n--) {
                queue.poll().run();
            }
        }
    }

    @Test
    void aSlowRefreshWaitsOutItsShareAndTheLastSignalIsNeverLost() {
        Pulses pulses = new Pulses();
        long[] now = {0};
        int[] refreshes = {0};
        // each refresh takes 8 ms; a 0.2 share lets one start every 40 ms
        RefreshBudget budget = new RefreshBudget(
                pulses,
                () -> {
                    refreshes[0]++;
                    now[0] += 8_000_000;
                },
                0.2,
                () -> now[0]);
        for (int frame = 0; frame < 60; frame++) { // 60 frames of 16 ms, a token signalled in each
            budget.signal();
            pulses.pulse();
            now[0] += 16_000_000;
        }
        // one refresh per 40 ms of clock (16 ms frames + 8 ms refreshes): every other frame, not every frame
        assertEquals(30, refreshes[0], 1);
        for (int frame = 0; frame < 5; frame++) { // no more signals: the pending one still refreshes
            pulses.pulse();
            now[0] += 16_000_000;
        }
        assertFalse(budget.isPending());
        int settled = refreshes[0];
        pulses.pulse();
        assertEquals(settled, refreshes[0], "nothing left to do: no more refreshes");
    }

    @Test
    void theEndOfARunShowsAtTheNextPulseWhateverTheBudget() {
        Pulses pulses = new Pulses();
        long[] now = {0};
        int[] refreshes = {0};
        RefreshBudget budget = new RefreshBudget(
                pulses,
                () -> {
                    refreshes[0]++;
                    now[0] += 8_000_000;
                },
                0.2,
                () -> now[0]);
        budget.signal();
        pulses.pulse(); // refreshes in 8 ms: the next may start 40 ms after this one
        now[0] += 16_000_000;
        budget.signal();
        pulses.pulse();
        assertEquals(1, refreshes[0], "waits out its share");
        budget.signalNow();
        pulses.pulse();
        assertEquals(2, refreshes[0]);
        assertFalse(budget.isPending());
    }

    @Test
    void aCheapRefreshFollowsEveryFrame() {
        Pulses pulses = new Pulses();
        long[] now = {0};
        int[] refreshes = {0};
        RefreshBudget budget = new RefreshBudget(
                pulses,
                () -> {
                    refreshes[0]++;
                    now[0] += 2_000_000;
                },
                0.2,
                () -> now[0]);
        for (int frame = 0; frame < 30; frame++) {
            budget.signal();
            pulses.pulse();
            now[0] += 16_000_000;
        }
        assertEquals(30, refreshes[0]);
    }

    @Test
    void anInlineExecutorRefreshesAtOnce() {
        long[] now = {0};
        int[] refreshes = {0};
        RefreshBudget budget = new RefreshBudget(
                Runnable::run,
                () -> {
                    refreshes[0]++;
                    now[0] += 8_000_000;
                },
                0.2,
                () -> now[0]);
        budget.signal();
        budget.signal(); // inside the budget's wait: an inline executor cannot wait, so it refreshes
        assertEquals(2, refreshes[0]);
        assertFalse(budget.isPending());
        assertThrows(IllegalArgumentException.class, () -> new RefreshBudget(Runnable::run, () -> {}, 0, () -> 0));
    }

    @Test
    void aFastRunRefreshesAtMostEveryIntervalAndItsEndAtOnce() {
        Pulses pulses = new Pulses();
        long[] now = {0};
        int[] refreshes = {0};
        long[] shown = {0}; // the "token count" the last refresh saw
        long[] tokens = {0};
        // cheap 1 ms refreshes that the share alone would let follow every frame; 100 ms apart at least
        RefreshBudget budget = new RefreshBudget(
                pulses,
                () -> {
                    refreshes[0]++;
                    shown[0] = tokens[0];
                    now[0] += 1_000_000;
                },
                0.2,
                100_000_000L,
                () -> now[0]);
        for (int frame = 0; frame < 60; frame++) { // 60 frames of 16 ms (~1 s), 5 tokens signalled in each
            for (int t = 0; t < 5; t++) {
                tokens[0]++;
                budget.signal();
            }
            pulses.pulse();
            now[0] += 16_000_000;
        }
        // one refresh per 7 frames (112 ms >= 100 ms): 60 / 7 rounded up
        assertEquals(9, refreshes[0]);
        assertTrue(shown[0] < tokens[0], "between refreshes the view lags the run");
        budget.signalNow(); // the run ended: shows at the next pulse, with every token
        pulses.pulse();
        assertEquals(10, refreshes[0]);
        assertEquals(tokens[0], shown[0]);
        assertFalse(budget.isPending());
        now[0] += 500_000_000; // a slow run: a token after a quiet while shows at once
        tokens[0]++;
        budget.signal();
        pulses.pulse();
        assertEquals(11, refreshes[0]);
        assertEquals(tokens[0], shown[0]);
        assertThrows(IllegalArgumentException.class, () -> new RefreshBudget(Runnable::run, () -> {}, 1, -1, () -> 0));
    }
}
