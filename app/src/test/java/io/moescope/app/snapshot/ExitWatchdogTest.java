package io.moescope.app.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watchdog halts an overrunning run with a thread dump, and a run stuck while exiting with its own code. */
class ExitWatchdogTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> halted = new CompletableFuture<>();
    private final RunProgress progress = new RunProgress(System::nanoTime);

    private ExitWatchdog arm(Duration limit) {
        return new ExitWatchdog(
                "snapshot", limit, new PrintStream(err, true, StandardCharsets.UTF_8), halted::complete, progress);
    }

    @Test
    void overrunHaltsWithTimedOutAndAThreadDump() throws Exception {
        arm(Duration.ofMillis(50));
        assertEquals(ExitWatchdog.TIMED_OUT, halted.get(5, TimeUnit.SECONDS));
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(log.startsWith("moescope: snapshot timed out; progress: start-up "), log);
        assertTrue(log.contains(" s (current); threads:"), log);
        assertTrue(log.contains("\"exit-watchdog\" daemon RUNNABLE"), log);
        assertTrue(log.contains("io.moescope.app.snapshot.ExitWatchdog.watch("), log);
    }

    @Test
    void stuckExitHaltsWithTheRunsOwnCodeAfterTheGrace() throws Exception {
        ExitWatchdog w = arm(Duration.ofMinutes(10));
        long t0 = System.nanoTime();
        w.exiting(0, Duration.ofMillis(100));
        assertEquals(0, halted.get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - t0 >= 90_000_000L, "waited for the grace");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("stuck while exiting"));
    }

    @Test
    void aRunThatEndsInTimeIsNeverHalted() throws Exception {
        arm(Duration.ofSeconds(30)).exiting(0, Duration.ofSeconds(30));
        Thread.sleep(200);
        assertTrue(!halted.isDone());
    }
}
