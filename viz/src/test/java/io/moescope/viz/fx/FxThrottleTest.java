package io.moescope.viz.fx;

import static io.moescope.viz.FxTestSupport.runFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.viz.FxTestSupport;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.property.SimpleStringProperty;
import javafx.util.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FxThrottleTest {

    @BeforeAll
    static void startFx() throws Exception {
        FxTestSupport.startToolkit();
    }

    @Test
    void runsAtOnceThenDefersRequestsInsideTheIntervalToOneRunAtItsEnd() throws Exception {
        AtomicLong clock = new AtomicLong();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch deferredRan = new CountDownLatch(1);
        FxThrottle[] throttle = new FxThrottle[1];
        runFx(() -> {
            throttle[0] = new FxThrottle(
                    Duration.millis(50),
                    () -> {
                        if (runs.incrementAndGet() == 2) {
                            deferredRan.countDown();
                        }
                    },
                    clock::get);
            throttle[0].request(); // first request: runs now
            assertEquals(1, runs.get());
            clock.set(10_000_000); // 10 ms later: deferred
            throttle[0].request();
            throttle[0].request();
            assertEquals(1, runs.get());
            assertTrue(throttle[0].isPending());
        });
        assertTrue(deferredRan.await(5, TimeUnit.SECONDS), "the deferred request ran");
        Thread.sleep(200);
        runFx(() -> {
            assertEquals(2, runs.get(), "the two requests inside the interval ran once");
            assertFalse(throttle[0].isPending());
            clock.addAndGet(1_000_000_000); // long after: runs now again
            throttle[0].request();
            assertEquals(3, runs.get());
        });
    }

    @Test
    void followCopiesTheFirstValueAtOnceAndTheLatestAtTheEndOfABusyInterval() throws Exception {
        SimpleStringProperty source = new SimpleStringProperty("a");
        SimpleStringProperty target = new SimpleStringProperty();
        runFx(() -> {
            FxThrottle.follow(source, target, Duration.millis(100));
            assertEquals("a", target.get());
            source.set("b"); // first change: copied at once
            assertEquals("b", target.get());
            source.set("c"); // inside the interval: later
            source.set("d");
            assertEquals("b", target.get());
        });
        Thread.sleep(400);
        runFx(() -> assertEquals("d", target.get()));
    }
}
