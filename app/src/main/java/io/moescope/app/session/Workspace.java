package io.moescope.app.session;

import java.util.concurrent.Executor;
import java.util.function.IntFunction;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The shared state of the explorer: the primary run, the run it is compared with, the selected token and
 * layer, and a revision counter that moves (on the UI executor, at most once per pulse, in the window at most every
 * {@link #LIVE_REFRESH_MS} and within the {@link #REFRESH_SHARE} of the UI thread's time: {@link RefreshBudget}) whenever a run's trace changes. View models listen to {@link #revisionProperty()} and pull the latest {@link TraceSnapshot}.
 * UI-thread only, except {@link #signal()}, which any thread may call.
 */
public final class Workspace {

    /** {@link #layerProperty()} value meaning "all MoE layers, stacked". */
    public static final int ALL_LAYERS = -1;

    /** The most of the UI thread's time the live refreshes may take ({@link RefreshBudget}). */
    public static final double REFRESH_SHARE = 0.2;

    /**
     * The least time between two live refreshes in the window, in milliseconds: {@code -Dmoescope.liveRefreshMs=N}
     * (default 100, ten refreshes a second; 0 follows every frame). A run faster than this shows its new tokens in
     * batches; the end of a run and a change of run show at once, exactly.
     */
    public static final long LIVE_REFRESH_MS = Math.max(0, Long.getLong("moescope.liveRefreshMs", 100));

    private final RefreshBudget refresher;
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private final ObjectProperty<Run> primary = new SimpleObjectProperty<>(this, "primary");
    private final ObjectProperty<Run> comparison = new SimpleObjectProperty<>(this, "comparison");
    private final IntegerProperty selectedPosition = new SimpleIntegerProperty(this, "selectedPosition", -1);
    private final IntegerProperty layer = new SimpleIntegerProperty(this, "layer", 0);
    private final StringProperty palette = new SimpleStringProperty(this, "palette", "viridis");
    private final ObjectProperty<IntFunction<String>> tokenText =
            new SimpleObjectProperty<>(this, "tokenText", id -> "#" + id);

    /** A workspace whose refreshes follow every signal at the executor's next chance (tests, plain executors). */
    public Workspace(Executor uiExecutor) {
        this(uiExecutor, 1);
    }

    /**
     * A workspace whose trace refreshes take at most {@code share} of the UI thread's time ({@link RefreshBudget}).
     */
    public Workspace(Executor uiExecutor, double share) {
        this(uiExecutor, share, 0);
    }

    /**
     * A workspace whose trace refreshes take at most {@code share} of the UI thread's time and start at least
     * {@code intervalMillis} apart ({@link RefreshBudget}; the window passes {@link #REFRESH_SHARE} and {@link
     * #LIVE_REFRESH_MS} with its pulse executor).
     */
    public Workspace(Executor uiExecutor, double share, long intervalMillis) {
        refresher = new RefreshBudget(
                uiExecutor, () -> revision.set(revision.get() + 1), share, intervalMillis * 1_000_000);
        primary.addListener((obs, old, run) -> {
            watch(run);
            selectedPosition.set(-1);
            refresher.signalNow();
        });
        comparison.addListener((obs, old, run) -> {
            watch(run);
            refresher.signalNow();
        });
    }

    private void watch(Run run) {
        if (run != null) {
            run.store().addListener(refresher::signal);
        }
    }

    /** Any thread: something changed (a run ended, ...); one refresh follows at the UI executor's next chance. */
    public void signal() {
        refresher.signalNow();
    }

    /** The primary run's latest trace (empty when there is none). */
    public TraceSnapshot primaryView() {
        Run run = primary.get();
        return run == null ? TraceSnapshot.EMPTY : run.store().view();
    }

    public TraceSnapshot comparisonView() {
        Run run = comparison.get();
        return run == null ? TraceSnapshot.EMPTY : run.store().view();
    }

    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    public ObjectProperty<Run> primaryProperty() {
        return primary;
    }

    public Run getPrimary() {
        return primary.get();
    }

    public ObjectProperty<Run> comparisonProperty() {
        return comparison;
    }

    public Run getComparison() {
        return comparison.get();
    }

    /** Absolute position of the token being inspected, -1 for none. */
    public IntegerProperty selectedPositionProperty() {
        return selectedPosition;
    }

    /** MoE layer index shown by the per-layer views, or {@link #ALL_LAYERS}. */
    public IntegerProperty layerProperty() {
        return layer;
    }

    /** Token id → display text (the model's tokenizer, or "#id" without one). */
    public ObjectProperty<IntFunction<String>> tokenTextProperty() {
        return tokenText;
    }

    public String tokenText(int id) {
        String text = tokenText.get().apply(id);
        return text == null || text.isEmpty() ? "#" + id : text;
    }

    /** Name of the sequential palette (viridis, cividis, magma). */
    public StringProperty paletteProperty() {
        return palette;
    }
}
