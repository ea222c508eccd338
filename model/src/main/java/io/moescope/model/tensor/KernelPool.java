package io.moescope.model.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A small dedicated pool for the matrix kernels (not the common pool): a range is cut into chunks that the calling
 * thread and {@code threads - 1} named daemon workers take in turn. Workers spin briefly, then park, so the hand-off
 * for back-to-back decode products costs microseconds; a worker that has not woken by the time the chunks are gone
 * takes none, so a worker waiting for a core never makes the caller wait for work it has not started. A second
 * caller while the pool is busy (another thread, or a nested call from inside a task) simply runs inline.
 * Size: {@code -Dmoescope.threads=N}, default the number of available processors (at most 16).
 */
public final class KernelPool {

    /** A task over a sub-range [from, to) of [0, n). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    private static final int SPINS = Integer.getInteger("moescope.spins", 2_000);

    /** Chunks per thread of a split range (see {@link #run(int, int, int, long, RangeTask)}). */
    static final int CHUNKS_PER_THREAD = Math.max(1, Integer.getInteger("moescope.chunksPerThread", 4));

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
     * As {@link #run(int, int, int, RangeTask)} for a product of {@code macs} multiply-adds: a parked worker is not
     * woken for a product below {@link #WAKE_MACS} (see there).
     *
     * <p>The range is cut into up to {@link #CHUNKS_PER_THREAD} chunks per thread, which the caller and the workers take
     * in turn from one counter, so a worker that wakes late (a futex wake-up and, on a virtual machine, an
     * inter-processor interrupt: tens of microseconds, as long as half an expert's decode product) still takes the
     * chunks that are left instead of none. With one fixed half per thread, the caller took the late worker's half back
     * and ran the whole product alone: in OLMoE-shaped BF16 decode the worker ran 17 % of the kernel samples and the
     * caller 83 % (docs/benchmarks.md, "Mapped in windows"). Every index still runs exactly once, and each output row is
     * computed by one task call whatever thread makes it, so results do not depend on the split.
     */
    public void run(int n, int minChunk, int align, long macs, RangeTask task) {
        int parts = Math.min(threads, n / Math.max(1, minChunk));
        if (parts <= 1 || !busy.compareAndSet(false, true)) {
            task.run(0, n);
            return;
        }
        try {
            int chunks = Math.min(parts * CHUNKS_PER_THREAD, Math.max(parts, n / Math.max(1, minChunk)));
            int[] cut = new int[chunks + 1];
            for (int k = 1; k < chunks; k++) {
                cut[k] = Math.max(cut[k - 1], (int) ((long) n * k / chunks) / align * align);
            }
            cut[chunks] = n;
            Job job = new Job(task, cut);
            boolean small = macs < WAKE_MACS;
            for (int k = 1; k < parts; k++) {
                if (!(small && workers[k - 1].parked)) {
                    workers[k - 1].submit(job);
                }
            }
            job.drain();
            for (int k = 1; k < parts; k++) {
                workers[k - 1].withdraw(job); // a worker that never took it will not start it late (no-op otherwise)
            }
            job.awaitAll();
            Throwable err = job.error;
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

    /** One product's chunks, taken in turn by the caller and the workers it was handed to. */
    private static final class Job {
        final RangeTask task;
        final int[] cut;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        volatile Throwable error;
        volatile Thread waiter;

        Job(RangeTask task, int[] cut) {
            this.task = task;
            this.cut = cut;
        }

        int chunks() {
            return cut.length - 1;
        }

        /** Runs chunks until none is left; wakes the caller if this finished the last one. */
        void drain() {
            int k;
            while ((k = next.getAndIncrement()) < chunks()) {
                try {
                    if (cut[k] < cut[k + 1]) {
                        task.run(cut[k], cut[k + 1]);
                    }
                } catch (Throwable e) {
                    if (error == null) {
                        error = e;
                    }
                }
                if (finished.incrementAndGet() == chunks()) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }

        /** The caller, once no chunk is left to take: waits for the chunks still running on workers. */
        void awaitAll() {
            for (int i = 0; i < SPINS && finished.get() < chunks(); i++) {
                Thread.onSpinWait();
            }
            if (finished.get() < chunks()) {
                waiter = Thread.currentThread();
                while (finished.get() < chunks()) {
                    LockSupport.park(this);
                }
                waiter = null;
            }
        }
    }

    private static final class Worker extends Thread {
        private final AtomicReference<Job> slot = new AtomicReference<>();
        /** True while the worker is parked (or about to): handing it a part then costs a wake-up. */
        volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void submit(Job job) {
            slot.set(job);
            LockSupport.unpark(this);
        }

        /**
         * Takes the job back if the worker has not picked it up. A worker that waits for a core (the window's FX,
         * renderer and X server threads on a 2-core machine) then costs the caller only the chunks it ran itself,
         * never a scheduler time slice (the engine thread once parked 23 ms a time in such a wait, docs/benchmarks.md).
         */
        void withdraw(Job job) {
            slot.compareAndSet(job, null);
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
                if (slot.compareAndSet(job, null)) {
                    job.drain();
                }
            }
        }
    }
}
