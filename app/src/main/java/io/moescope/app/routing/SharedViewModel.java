package io.moescope.app.routing;

import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.LiveRefresh;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.Workspace;
import io.moescope.viz.data.HeatmapSnapshot;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * Shared vs routed: per token × layer the shared experts' share of the MoE output, or Qwen's shared gate. Kept up
 * to date by appending the new tokens' rows ({@link TokenRows}).
 */
public final class SharedViewModel {

    private final Workspace workspace;
    private final BooleanProperty showGate = new SimpleBooleanProperty(this, "showGate", false);
    private final ReadOnlyBooleanWrapper hasGate = new ReadOnlyBooleanWrapper(this, "hasGate");
    private final ReadOnlyBooleanWrapper hasShared = new ReadOnlyBooleanWrapper(this, "hasShared");
    private final ReadOnlyObjectWrapper<HeatmapSnapshot> heatmap =
            new ReadOnlyObjectWrapper<>(this, "heatmap", HeatmapSnapshot.EMPTY);
    private TraceSnapshot view = TraceSnapshot.EMPTY;
    private final LiveRefresh live = new LiveRefresh(this::refresh);
    private Object rowsKey;   // what the rows show: source, shape, share or gate
    private TokenRows rows;

    public SharedViewModel(Workspace workspace) {
        this.workspace = workspace;
        workspace.revisionProperty().addListener((obs, o, n) -> live.request());
        showGate.addListener((obs, o, n) -> live.request());
        refresh();
    }

    public void refresh() {
        view = workspace.primaryView();
        hasShared.set(view.shape() != null && view.shape().sharedExperts() > 0);
        boolean gate = !view.isEmpty() && !Float.isNaN(view.tokens().get(0).sharedGate(0));
        hasGate.set(gate);
        if (view.isEmpty()) {
            heatmap.set(HeatmapSnapshot.EMPTY);
            rowsKey = null;
            rows = null;
            return;
        }
        boolean showsGate = gate && showGate.get();
        Object key = java.util.List.of(workspace.getPrimary(), view.shape(), showsGate);
        if (!key.equals(rowsKey)) {
            rowsKey = key;
            rows = new TokenRows(RoutingHeatmaps.sharedLabels(view),
                    (t, row) -> RoutingHeatmaps.sharedRow(t, showsGate, row), false);
        }
        heatmap.set(rows.update(view));
    }

    public TokenTrace tokenAt(int row) {
        return row >= 0 && row < view.size() ? view.tokens().get(row) : null;
    }

    public BooleanProperty showGateProperty() { return showGate; }
    public ReadOnlyBooleanProperty hasGateProperty() { return hasGate.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty hasSharedProperty() { return hasShared.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<HeatmapSnapshot> heatmapProperty() { return heatmap.getReadOnlyProperty(); }

    /** Whether the view is shown; while hidden, trace updates only mark this view model stale. */
    public javafx.beans.property.BooleanProperty activeProperty() { return live.activeProperty(); }
}
