package io.moescope.model.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A small dedicated pool for the matrix kernels (not the common pool): the calling thread takes the first part of a
 * range and {@code threads - 1} named daemon workers the rest. Workers spin briefly, then park, so the hand-off for
 * back-to-back decode products costs microseconds. A second caller while the pool is busy (another thread, or a
 * nested call from inside a task) simply runs inline.
 * Size: {@code -Dmoescope.threads=N}, default the number of available processors (at most 16).
 */
public final class KernelPool {

    /** A task over a sub-range [from, to) of [0, n). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    private static final int SPINS = Integer.getInteger("moescope.spins", 2_000);
    private static final KernelPool SHARED = new KernelPool(Integer.getInteger(
            "moescope.threads", Math.min(16, Runtime.getRuntime().availableProcessors())));

    private final int threads;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();

    public KernelPool(int threads) {
        this.threads = Math.max(1, threads);
        this.workers = new Worker[this.threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("moescope-kernel-" + (i + 1));
            workers[i].start();
        }
    }

    public static KernelPool shared() {
        return SHARED;
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over [0, n) split into at most {@code threads} parts of at least {@code minChunk} each
     * (boundaries multiples of {@code align}); returns when all parts are done.
     */
    public void run(int n, int minChunk, int align, RangeTask task) {
        int parts = Math.min(threads, n / Math.max(1, minChunk));
        if (parts <= 1 || !busy.compareAndSet(false, true)) {
            task.run(0, n);
            return;
        }
        try {
            int[] cut = new int[parts + 1];
            for (int k = 1; k < parts; k++) {
                cut[k] = (int) ((long) n * k / parts) / align * align;
            }
            cut[parts] = n;
            for (int k = 1; k < parts; k++) {
                workers[k - 1].submit(task, cut[k], cut[k + 1]);
            }
            Throwable err = null;
            try {
                task.run(0, cut[1]);
            } catch (Throwable t) {
                err = t;
            }
            for (int k = 1; k < parts; k++) {
                Throwable e = workers[k - 1].await();
                if (err == null) {
                    err = e;
                }
            }
            if (err instanceof RuntimeException re) {
                throw re;
            } else if (err instanceof Error er) {
                throw er;
            } else if (err != null) {
                throw new IllegalStateException(err);
            }
        } finally {
            busy.set(false);
        }
    }

    private static final class Worker extends Thread {
        private volatile RangeTask task;
        private volatile boolean done = true;
        private volatile Thread waiter;
        private volatile Throwable error;
        private int from;
        private int to;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void submit(RangeTask t, int f, int e) {
            from = f;
            to = e;
            error = null;
            done = false;
            task = t;
            LockSupport.unpark(this);
        }

        Throwable await() {
            for (int i = 0; i < SPINS && !done; i++) {
                Thread.onSpinWait();
            }
            if (!done) {
                waiter = Thread.currentThread();
                while (!done) {
                    LockSupport.park(this);
                }
                waiter = null;
            }
            return error;
        }

        @Override
        public void run() {
            while (true) {
                RangeTask t = task;
                if (t == null) {
                    for (int i = 0; i < SPINS && task == null; i++) {
                        Thread.onSpinWait();
                    }
                    if (task == null) {
                        LockSupport.park(this);
                    }
                    continue;
                }
                try {
                    t.run(from, to);
                } catch (Throwable e) {
                    error = e;
                }
                task = null;
                done = true;
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }
    }
}
