package io.moescope.model.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A small dedicated pool for the matrix kernels (not the common pool): the calling thread takes the first part of a
 * range and {@code threads - 1} named daemon workers the rest. Workers spin briefly, then park, so the hand-off for
 * back-to-back decode products costs microseconds; a part no worker has taken by the time the caller finished its own
 * the caller takes back and runs itself, so a worker waiting for a core never makes the caller wait. A second caller while the pool is busy (another thread, or a
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

    /**
     * Work (multiply-adds) below which a product does not wake a parked worker: the caller runs that part itself.
     * Waking a parked thread is a futex call and, on a virtual machine, an inter-processor interrupt: in the window on
     * 2 vCPUs, where the trace and the views keep the gap between tokens longer than the workers' spin, 19 % of the
     * engine thread's time went into {@code pthread_cond_signal} from {@link Worker#submit} for the embedded model's
     * few parallel products (lm head, the dense layer's gate|up), which decode as fast on one thread
     * (docs/benchmarks.md "Where the window's engine thread waits"). A worker still spinning gets its part as before.
     */
    public static final long WAKE_MACS = Long.getLong("moescope.wakeMacs", 1L << 20);

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
        run(n, minChunk, align, Long.MAX_VALUE, task);
    }

    /**
     * As {@link #run(int, int, int, RangeTask)} for a product of {@code macs} multiply-adds: a part whose worker is
     * parked is run by the caller when the product is below {@link #WAKE_MACS} (see there).
     */
    public void run(int n, int minChunk, int align, long macs, RangeTask task) {
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
            Job[] jobs = new Job[parts];
            boolean small = macs < WAKE_MACS;
            for (int k = 1; k < parts; k++) {
                if (!(small && workers[k - 1].parked)) {
                    jobs[k] = workers[k - 1].submit(task, cut[k], cut[k + 1]);
                }
            }
            Throwable err = null;
            try {
                task.run(0, cut[1]);
            } catch (Throwable t) {
                err = t;
            }
            for (int k = 1; k < parts; k++) {
                Throwable e;
                if (jobs[k] != null) {
                    e = workers[k - 1].await(jobs[k]);
                } else {
                    Job here = new Job(task, cut[k], cut[k + 1]);
                    here.runHere();
                    e = here.error;
                }
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

    /** One part handed to a worker; taken exactly once, by the worker or back by the caller. */
    private static final class Job {
        final RangeTask task;
        final int from;
        final int to;
        volatile boolean done;
        volatile Throwable error;

        Job(RangeTask task, int from, int to) {
            this.task = task;
            this.from = from;
            this.to = to;
        }

        void runHere() {
            try {
                task.run(from, to);
            } catch (Throwable e) {
                error = e;
            }
            done = true;
        }
    }

    private static final class Worker extends Thread {
        private final AtomicReference<Job> slot = new AtomicReference<>();
        private volatile Thread waiter;
        /** True while the worker is parked (or about to): handing it a part then costs a wake-up. */
        volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        Job submit(RangeTask t, int f, int e) {
            Job job = new Job(t, f, e);
            slot.set(job);
            LockSupport.unpark(this);
            return job;
        }

        /**
         * Waits for the part; a part the worker has not taken yet the caller takes back and runs itself. A worker
         * that waits for a core (the window's FX, renderer and X server threads on a 2-core machine) then costs the
         * caller the part's work instead of a scheduler time slice: the engine thread parked 23 ms a time, 3.4 s of a
         * 10 s window run, in this wait (JFR, docs/benchmarks.md).
         */
        Throwable await(Job job) {
            if (slot.compareAndSet(job, null)) {
                job.runHere();
                return job.error;
            }
            for (int i = 0; i < SPINS && !job.done; i++) {
                Thread.onSpinWait();
            }
            if (!job.done) {
                waiter = Thread.currentThread();
                while (!job.done) {
                    LockSupport.park(this);
                }
                waiter = null;
            }
            return job.error;
        }

        @Override
        public void run() {
            while (true) {
                Job job = slot.get();
                if (job == null) {
                    for (int i = 0; i < SPINS && slot.get() == null; i++) {
                        Thread.onSpinWait();
                    }
                    if (slot.get() == null) {
                        parked = true;
                        if (slot.get() == null) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                    continue;
                }
                if (!slot.compareAndSet(job, null)) {
                    continue; // the caller took it back
                }
                job.runHere();
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }
    }
}
