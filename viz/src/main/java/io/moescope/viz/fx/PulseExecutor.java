package io.moescope.viz.fx;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * Runs tasks on the FX thread at the start of the next pulse (in its animation phase, before CSS, layout and
 * rendering) instead of between pulses as {@link Platform#runLater} does: a live view refreshed this way changes
 * once per frame, and the refresh is part of the frame it shows. Tasks submitted while a pulse runs its tasks wait
 * for the next pulse. The timer behind it runs only while there is work (and a few pulses after), so an idle window
 * does not pulse. Tasks must not open modal dialogs (JavaFX forbids {@code showAndWait} during animation).
 * {@link #execute} is safe from any thread.
 */
public final class PulseExecutor implements Executor {

    /** Pulses without work after which the timer stops. */
    private static final int IDLE_PULSES = 8;

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean armed = new AtomicBoolean();
    private int idle;
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            runPending();
        }
    };

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        if (armed.compareAndSet(false, true)) {
            if (Platform.isFxApplicationThread()) {
                timer.start();
            } else {
                Platform.runLater(timer::start);
            }
        }
    }

    /** Runs the tasks queued before this call; stops the timer after a few pulses without any. FX thread. */
    void runPending() {
        int pending = queue.size();
        if (pending == 0) {
            if (++idle >= IDLE_PULSES) {
                idle = 0;
                armed.set(false);
                timer.stop();
                if (!queue.isEmpty() && armed.compareAndSet(false, true)) {
                    timer.start();
                }
            }
            return;
        }
        idle = 0;
        for (int i = 0; i < pending; i++) {
            Runnable task = queue.poll();
            if (task == null) {
                break;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, e);
            }
        }
    }
}
