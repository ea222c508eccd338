package io.moescope.app.recording;

import io.moescope.app.routing.RoutingHeatmaps;
import io.moescope.app.session.Run;
import io.moescope.app.session.Workspace;
import io.moescope.model.diagnosis.LoadStats;
import io.moescope.model.recording.LoadWindows;
import io.moescope.model.trace.ModelShape;
import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;

/**
 * The Expert load tab's time slider for an imported recording with several count windows ({@link LoadWindows}: SGLang
 * stat dumps written during a run, the passes of a per_pass dump): windows × experts of the toolbar's layer with the
 * selected window tagged, that window's bars and a line of its balance. Knows no controls; FX thread, except
 * {@link #register}, which the import thread calls.
 */
public final class LoadWindowsViewModel {

    /** Windows kept for the slider per recording (more are merged in neighbouring pairs). */
    public static final int MAX_WINDOWS = 512;

    private final Workspace workspace;
    private final Map<Run, LoadWindows> byRun = Collections.synchronizedMap(new WeakHashMap<>());
    private final IntegerProperty window = new SimpleIntegerProperty(this, "window", 0);
    private final ReadOnlyIntegerWrapper windows = new ReadOnlyIntegerWrapper(this, "windows", 0);
    private final ReadOnlyObjectWrapper<HeatmapSnapshot> heatmap =
            new ReadOnlyObjectWrapper<>(this, "heatmap", HeatmapSnapshot.EMPTY);
    private final ReadOnlyObjectWrapper<BarsSnapshot> bars =
            new ReadOnlyObjectWrapper<>(this, "bars", BarsSnapshot.EMPTY);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private LoadWindows shown;

    public LoadWindowsViewModel(Workspace workspace) {
        this.workspace = workspace;
        workspace.primaryProperty().addListener((obs, o, n) -> primaryChanged());
        workspace.layerProperty().addListener((obs, o, n) -> refresh());
        window.addListener((obs, o, n) -> refresh());
    }

    /** The windows of an imported run (any thread; kept while the run is). */
    public void register(Run run, LoadWindows w) {
        byRun.put(run, w);
    }

    /** A sink for the import of {@code run}'s recording (then {@link #register} it). */
    public static LoadWindows collector() {
        return new LoadWindows(MAX_WINDOWS, LoadWindows.DEFAULT_CELLS);
    }

    private void primaryChanged() {
        Run run = workspace.getPrimary();
        LoadWindows w = run == null ? null : byRun.get(run);
        shown = w != null && w.windows() >= 2 ? w : null;
        windows.set(shown == null ? 0 : shown.windows());
        window.set(0);
        refresh();
    }

    void refresh() {
        if (shown == null) {
            heatmap.set(HeatmapSnapshot.EMPTY);
            bars.set(BarsSnapshot.EMPTY);
            summary.set("");
            return;
        }
        ModelShape shape = shown.shape();
        int layer = Math.max(
                0, Math.min(shape.moeLayerCount() - 1, workspace.layerProperty().get()));
        int k = Math.max(0, Math.min(shown.windows() - 1, window.get()));
        int experts = shape.routedExperts();
        float[] grid = new float[shown.windows() * experts]; // [window][expert]
        float max = 1;
        List<String> rows = new ArrayList<>();
        int[] tags = new int[shown.windows()];
        for (int w = 0; w < shown.windows(); w++) {
            long[] c = shown.counts(w, layer);
            for (int e = 0; e < experts; e++) {
                grid[w * experts + e] = c[e];
                max = Math.max(max, c[e]);
            }
            rows.add(label(w));
            tags[w] = w == k ? RoutingHeatmaps.TAG_DECODE : 0;
        }
        heatmap.set(new HeatmapSnapshot(
                        shown.windows(), experts, grid, 0f, max, rows, RoutingHeatmaps.expertLabels(experts))
                .withRowTags(tags));
        long[] counts = shown.counts(k, layer);
        float[] values = new float[experts];
        int busiest = 0;
        for (int e = 0; e < experts; e++) {
            values[e] = counts[e];
            busiest = counts[e] > counts[busiest] ? e : busiest;
        }
        bars.set(BarsSnapshot.of(values, RoutingHeatmaps.expertLabels(experts))
                .withHighlighted(busiest)
                .withMeanReference());
        LoadStats s = shown.stats(k, layer);
        summary.set(String.format(
                Locale.ROOT,
                "%s of %d (%,d tokens): layer %d max/mean %.2f, CV %.2f, %d dead; worst layer %d (%.2f)",
                label(k),
                shown.windows(),
                shown.tokens(k),
                shape.moeLayers()[layer],
                s.maxMean(),
                s.cv(),
                s.dead().length,
                shape.moeLayers()[shown.worstLayer(k)],
                shown.stats(k, shown.worstLayer(k)).maxMean()));
    }

    /** "window 3", or "windows 4-7" where kept windows merge recorded ones. */
    private String label(int w) {
        int first = shown.firstRecorded(w);
        int n = shown.coveredBy(w);
        return n == 1 ? "window " + first : "windows " + first + "-" + (first + n - 1);
    }

    /** The selected window (0-based, kept windows). */
    public IntegerProperty windowProperty() {
        return window;
    }

    /** Windows of the shown recording; 0 when it has fewer than two (the slider hides). */
    public ReadOnlyIntegerProperty windowsProperty() {
        return windows.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<HeatmapSnapshot> heatmapProperty() {
        return heatmap.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<BarsSnapshot> barsProperty() {
        return bars.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
