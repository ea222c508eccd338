package io.moescope.app.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT, SIGTERM) for a long command. The JVM runs its shutdown hooks on a signal; this one raises a flag
 * the command polls between steps, then waits (at most {@code graceSeconds}) until the command has stopped and
 * cleaned up (deleted its temporaries, printed its one line), so the process exits promptly with nothing partial.
 * Close it when the command is done: it releases a waiting hook, or removes the hook if no signal came.
 */
final class CtrlC implements AutoCloseable {

    private final AtomicBoolean pressed = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    private CtrlC(String command, int graceSeconds) {
        hook = new Thread(
                () -> {
                    pressed.set(true);
                    try {
                        done.await(graceSeconds, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "moescope-" + command + "-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Installs the hook for {@code command}; the hook waits at most {@code graceSeconds} for it to finish. */
    static CtrlC arm(String command, int graceSeconds) {
        return new CtrlC(command, graceSeconds);
    }

    /** True once a signal has asked the process to stop. */
    boolean pressed() {
        return pressed.get();
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it has what it waited for
        }
    }
}
