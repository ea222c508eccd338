package io.moescope.viz.fx;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Collapses a burst of "something changed" signals from any thread into one callback on the UI
 * executor. Pass {@code Platform::runLater} in the application and {@code Runnable::run} in tests.
 * At most one refresh is pending at a time; the refresh pulls the latest state itself.
 *
 * <pre>{@code
 * FxCoalescer refresher = new FxCoalescer(Platform::runLater, this::rebuildSnapshot);
 * // inference thread, once per token:
 * refresher.signal();
 * }</pre>
 */
public final class FxCoalescer {

    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor uiExecutor;
    private final Runnable refresh;

    public FxCoalescer(Executor uiExecutor, Runnable refresh) {
        this.uiExecutor = Objects.requireNonNull(uiExecutor, "uiExecutor");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
    }

    /** Never blocks; safe to call from any thread, any number of times. */
    public void signal() {
        if (scheduled.compareAndSet(false, true)) {
            uiExecutor.execute(() -> {
                scheduled.set(false); // clear first: a signal arriving during refresh schedules another
                refresh.run();
            });
        }
    }

    /** Whether a refresh has been handed to the executor and has not started yet. */
    public boolean isPending() {
        return scheduled.get();
    }
}
