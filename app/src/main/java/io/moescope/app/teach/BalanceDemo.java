package io.moescope.app.teach;

import io.moescope.model.train.DemoRecipe;
import io.moescope.model.train.LiveTraining;
import io.moescope.model.train.StepReport;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Trains the balancing demo's copies on one background thread ({@code moe-balance-demo}, daemon, lowest
 * priority), round-robin: one step of each copy per round, so the copies stay level and one OpenBLAS thread
 * serves them all (docs/training.md measures round-robin against a thread per copy). Pause holds the thread
 * between steps; stop ends it and completes {@link #ended()} once the thread has finished. No JavaFX: the
 * listener is called on the demo thread and must hand the reports over (the view model queues them).
 *
 * <p>Life cycle: {@link #start()} once; then {@link #pause()}, {@link #resume()}, {@link #stop()} from any thread.
 */
public final class BalanceDemo {

    /** What the demo thread reports. Called on the demo thread: return quickly. */
    public interface Listener {
        /** Copy {@code copy} (index in the setup's list) finished a step. */
        void onStep(int copy, StepReport report);

        /** Free text: "tokenizing the corpus", "training". */
        void onMessage(String message);

        /** The thread is about to end: every step done, stopped, or failed (then {@code failure} is not null). */
        void onEnded(boolean finished, Throwable failure);
    }

    private final Callable<List<LiveTraining>> setup;
    private final Listener listener;
    private final Object lock = new Object();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private Thread thread;
    private boolean paused;
    private volatile boolean stopped;
    private volatile boolean holding;

    /**
     * @param setup    builds the copies; runs on the demo thread (corpus tokenizing and model building take
     *                 seconds), its failure ends the demo
     * @param listener receives every step
     */
    public BalanceDemo(Callable<List<LiveTraining>> setup, Listener listener) {
        this.setup = Objects.requireNonNull(setup);
        this.listener = Objects.requireNonNull(listener);
    }

    /** Starts the demo thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the demo has already been started");
        }
        thread = new Thread(this::loop, "moe-balance-demo");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Holds the thread after the step it is in (the copies stay level: a round is never split). */
    public void pause() {
        synchronized (lock) {
            paused = true;
        }
    }

    public void resume() {
        synchronized (lock) {
            paused = false;
            lock.notifyAll();
        }
    }

    /** The thread is paused and waiting (the round in progress when pause was asked has finished). */
    public boolean isHolding() {
        return holding;
    }

    public boolean isPaused() {
        synchronized (lock) {
            return paused;
        }
    }

    /** Asks the thread to end after the step in progress; {@link #ended()} completes when it has. Never blocks. */
    public CompletableFuture<Void> stop() {
        stopped = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        synchronized (this) {
            if (thread == null) {
                ended.complete(null);
            }
        }
        return ended;
    }

    /** Stops and waits up to {@code millis} for the thread to end; true if it has (the window closing). */
    public boolean stopAndJoin(long millis) throws InterruptedException {
        stop();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.join(millis);
            return !t.isAlive();
        }
        return true;
    }

    /** Completes when the demo thread has ended (finished, stopped or failed). */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    private void loop() {
        int blas = DemoRecipe.useOneBlasThread();
        boolean finished = false;
        Throwable failure = null;
        try {
            listener.onMessage("building the models");
            List<LiveTraining> copies = List.copyOf(setup.call());
            listener.onMessage("training");
            while (!stopped && !finished) {
                waitWhilePaused();
                finished = true;
                for (int i = 0; i < copies.size() && !stopped; i++) {
                    LiveTraining copy = copies.get(i);
                    if (!copy.done()) {
                        StepReport r = copy.step();
                        if (r != null) {
                            listener.onStep(i, r);
                        }
                        finished &= copy.done();
                    }
                }
            }
            finished &= !stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            failure = e;
        } finally {
            DemoRecipe.restoreBlasThreads(blas);
            try {
                listener.onEnded(finished, failure);
            } finally {
                ended.complete(null);
            }
        }
    }

    private void waitWhilePaused() throws InterruptedException {
        synchronized (lock) {
            try {
                while (paused && !stopped) {
                    holding = true;
                    lock.wait(TimeUnit.SECONDS.toMillis(1));
                }
            } finally {
                holding = false;
            }
        }
    }
}
