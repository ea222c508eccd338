package io.moescope.viz.fx;

import java.util.Objects;
import java.util.function.LongSupplier;
import javafx.animation.PauseTransition;
import javafx.beans.value.ObservableValue;
import javafx.beans.value.WritableValue;
import javafx.util.Duration;

/**
 * Runs an action at most once per interval however often it is requested, and always once after the last request:
 * a request inside the interval is deferred to its end (several such requests run the action once). For displays a
 * person reads, such as counters, where repainting every frame costs frame time and shows nothing readable. FX
 * thread only.
 */
public final class FxThrottle {

    /** How often a figure a person reads (a counter, a table cell) need change while data streams: 4 times a second. */
    public static final Duration READABLE = Duration.millis(250);

    private final long intervalNanos;
    private final Runnable action;
    private final LongSupplier clock;
    private final PauseTransition delay = new PauseTransition();
    private long lastRun;
    private boolean ran;
    private boolean pending;

    /** Runs {@code action} at most every {@code interval}. */
    public FxThrottle(Duration interval, Runnable action) {
        this(interval, action, System::nanoTime);
    }

    FxThrottle(Duration interval, Runnable action, LongSupplier clock) {
        this.intervalNanos = (long) (interval.toMillis() * 1_000_000);
        this.action = Objects.requireNonNull(action, "action");
        this.clock = clock;
        delay.setOnFinished(e -> run());
    }

    /**
     * Makes {@code target} follow {@code source} at most once per {@code interval} (at once for the first change
     * after a quiet interval, the latest value at the end of a busy one). The returned throttle is held by the
     * listener on {@code source}.
     */
    public static <T> FxThrottle follow(ObservableValue<T> source, WritableValue<T> target, Duration interval) {
        FxThrottle throttle = new FxThrottle(interval, () -> target.setValue(source.getValue()));
        target.setValue(source.getValue());
        source.addListener((obs, old, now) -> throttle.request());
        return throttle;
    }

    /** Something changed: run now if the interval has passed since the last run, else once at its end. */
    public void request() {
        if (pending) {
            return;
        }
        long wait = ran ? lastRun + intervalNanos - clock.getAsLong() : 0;
        if (wait <= 0) {
            run();
        } else {
            pending = true;
            delay.setDuration(Duration.millis(wait / 1e6));
            delay.playFromStart();
        }
    }

    /** Whether a deferred run is waiting for the end of the interval. */
    public boolean isPending() {
        return pending;
    }

    private void run() {
        pending = false;
        ran = true;
        lastRun = clock.getAsLong();
        action.run();
    }
}
