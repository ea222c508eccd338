package io.moescope.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cancel reaches the job it was pressed for, even while that job still waits behind another one. */
class EngineServiceCancelTest {

    @Test
    void aCancelPressedWhileTheJobIsQueuedIsNotLost() throws Exception {
        try (EngineService engine = new EngineService()) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Boolean> first = engine.background(cancelled -> {
                release.await(10, TimeUnit.SECONDS);
                return cancelled.getAsBoolean();
            });
            CompletableFuture<Boolean> queued = engine.background(cancelled -> cancelled.getAsBoolean());
            engine.cancel(); // the queued job has not started
            release.countDown();
            assertTrue(first.get(10, TimeUnit.SECONDS), "the running job sees the cancel");
            assertTrue(queued.get(10, TimeUnit.SECONDS), "the queued job starts cancelled");
            CompletableFuture<Boolean> later = engine.background(cancelled -> cancelled.getAsBoolean());
            assertFalse(later.get(10, TimeUnit.SECONDS), "a job submitted after the cancel runs");
            assertEquals(Boolean.FALSE, engine.background(c -> c.getAsBoolean()).get(10, TimeUnit.SECONDS));
        }
    }
}
