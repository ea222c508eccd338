package io.moescope.app.session;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Collapses "the trace changed" signals from any thread into refreshes on the UI executor, as
 * {@link io.moescope.viz.fx.FxCoalescer} does, and keeps the refreshes within a share of the UI thread's time: after
 * a refresh that took {@code c} ns the next one waits until {@code c / share} ns after this one started (the
 * pending signal is carried to the next pulse until then). On a quiet machine a live view's refresh (1–4 ms) still
 * follows every 16 ms frame; when the cores are contended a refresh's wall time grows (the UI thread waits for a
 * core) and the views refresh less often, leaving the cores to the inference thread, whose decode the views are
 * there to show. Besides the share, refreshes are at least {@code interval} ns apart: a fast run (the embedded model
 * decodes hundreds of tokens a second) then shows a batch of new tokens a few times a second, which a person can
 * still follow, instead of a frame's worth each frame, and the UI's work per second stops growing with the run's
 * speed. A slow run (a token every interval or less often) still shows each token as it arrives. A signal is never
 * lost: it refreshes once the wait is over, and {@link #signalNow()} (the end of a run) refreshes at the next chance,
 * so the last refresh shows the finished run exactly.
 *
 * <p>{@link #signal()} is safe from any thread and never blocks; refreshes run on the executor. With an executor
 * that runs tasks inline (tests) a refresh runs at once.
 */
public final class RefreshBudget {

    private final Executor ui;
    private final Runnable refresh;
    private final double share;
    private final long interval;
    private final LongSupplier clock;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private long notBefore = Long.MIN_VALUE; // UI thread
    private boolean checking; // UI thread: inside check (an inline executor re-entered it)
    private volatile boolean urgent; // the next check refreshes whatever the budget says

    /** @param share the most of the UI thread's time refreshes may take, in (0, 1]; 1 refreshes at every chance */
    public RefreshBudget(Executor ui, Runnable refresh, double share) {
        this(ui, refresh, share, 0);
    }

    /**
     * @param share    the most of the UI thread's time refreshes may take, in (0, 1]
     * @param interval the least time from one refresh's start to the next one's, in ns (0: no minimum)
     */
    public RefreshBudget(Executor ui, Runnable refresh, double share, long interval) {
        this(ui, refresh, share, interval, System::nanoTime);
    }

    RefreshBudget(Executor ui, Runnable refresh, double share, LongSupplier clock) {
        this(ui, refresh, share, 0, clock);
    }

    RefreshBudget(Executor ui, Runnable refresh, double share, long interval, LongSupplier clock) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must lie in (0, 1], got " + share);
        }
        if (interval < 0) {
            throw new IllegalArgumentException("interval must not be negative, got " + interval);
        }
        this.interval = interval;
        this.ui = Objects.requireNonNull(ui, "ui");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.share = share;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Something changed: one refresh follows, at the first chance the budget allows. Any thread. */
    public void signal() {
        if (scheduled.compareAndSet(false, true)) {
            ui.execute(this::check);
        }
    }

    /** Something changed that must show at once (a run ended): the next chance refreshes, budget or not. */
    public void signalNow() {
        urgent = true;
        signal();
    }

    /** Whether a refresh is pending. */
    public boolean isPending() {
        return scheduled.get();
    }

    private void check() {
        long now = clock.getAsLong();
        if (now < notBefore && !checking && !urgent) {
            checking = true;
            try {
                ui.execute(this::check); // the next pulse (an inline executor comes straight back, and refreshes)
            } finally {
                checking = false;
            }
            return;
        }
        if (!scheduled.getAndSet(false)) {
            return; // an inline executor's nested check refreshed already
        }
        urgent = false;
        refresh.run();
        long cost = clock.getAsLong() - now;
        long wait = Math.max(interval, share >= 1 ? 0 : (long) (cost / share));
        notBefore = wait == 0 ? Long.MIN_VALUE : now + wait;
    }
}
