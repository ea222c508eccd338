package io.moescope.viz.fx;

import static io.moescope.viz.FxTestSupport.runFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.viz.FxTestSupport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PulseExecutorTest {

    @BeforeAll
    static void startFx() throws Exception {
        FxTestSupport.startToolkit();
    }

    @Test
    void runsTasksFromAnyThreadOnTheFxThreadInOrderAndAgainAfterGoingIdle() throws Exception {
        PulseExecutor executor = new PulseExecutor();
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            String name = "task" + i;
            executor.execute(() -> {
                seen.add(name + (Platform.isFxApplicationThread() ? "@fx" : "@other"));
                first.countDown();
            });
        }
        assertTrue(first.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("task0@fx", "task1@fx", "task2@fx"), seen);
        Thread.sleep(500); // long enough for the timer to stop after its idle pulses
        CountDownLatch later = new CountDownLatch(1);
        runFx(() -> executor.execute(later::countDown));
        assertTrue(later.await(10, TimeUnit.SECONDS), "a task submitted after the timer stopped still runs");
    }

    @Test
    void aTaskSubmittedByATaskRunsOnALaterPulse() throws Exception {
        PulseExecutor executor = new PulseExecutor();
        CountDownLatch done = new CountDownLatch(1);
        List<Long> pulses = new CopyOnWriteArrayList<>();
        executor.execute(() -> {
            pulses.add(System.nanoTime());
            executor.execute(() -> {
                pulses.add(System.nanoTime());
                done.countDown();
            });
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(pulses.get(1) - pulses.get(0) > 1_000_000, "the nested task waited for the next pulse");
    }
}
