package io.moescope.app.routing;

import io.moescope.app.session.LiveRefresh;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.Workspace;
import io.moescope.model.trace.ModelShape;
import io.moescope.viz.data.HeatmapSnapshot;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * Always-on vs routed: per token × decoder layer the always-on part's share of the layer's FFN output (shared
 * experts, gated or not, a parallel dense MLP; a dense layer is wholly always on), or the shared-expert gate, with
 * the parts named for the legend ({@link SharedHeatmaps}). Kept up to date by appending the new tokens' rows
 * ({@link TokenRows}).
 */
public final class SharedViewModel {

    private final Workspace workspace;
    private final BooleanProperty showGate = new SimpleBooleanProperty(this, "showGate", false);
    private final ReadOnlyBooleanWrapper hasGate = new ReadOnlyBooleanWrapper(this, "hasGate");
    private final ReadOnlyBooleanWrapper hasShared = new ReadOnlyBooleanWrapper(this, "hasShared");
    private final ReadOnlyStringWrapper legend = new ReadOnlyStringWrapper(this, "legend", "");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final ReadOnlyObjectWrapper<HeatmapSnapshot> heatmap =
            new ReadOnlyObjectWrapper<>(this, "heatmap", HeatmapSnapshot.EMPTY);
    private TraceSnapshot view = TraceSnapshot.EMPTY;
    private final LiveRefresh live = new LiveRefresh(this::refresh);
    private Object rowsKey; // what the rows show: source, shape, share or gate
    private TokenRows rows;

    public SharedViewModel(Workspace workspace) {
        this.workspace = workspace;
        workspace.revisionProperty().addListener((obs, o, n) -> live.request());
        showGate.addListener((obs, o, n) -> live.request());
        refresh();
    }

    public void refresh() {
        view = workspace.primaryView();
        hasShared.set(view.shape() != null && view.shape().hasAlwaysOnInMoeLayers());
        legend.set(view.shape() == null ? "" : view.shape().describeAlwaysOn());
        boolean gate = !view.isEmpty() && !Float.isNaN(view.tokens().get(0).sharedGate(0));
        hasGate.set(gate);
        notice.set(view.idsOnly() ? NO_ALWAYS_ON : "");
        if (view.isEmpty() || view.idsOnly()) { // ids only: an MoE layer's share was never recorded, not 0
            heatmap.set(HeatmapSnapshot.EMPTY);
            rowsKey = null;
            rows = null;
            return;
        }
        boolean showsGate = gate && showGate.get();
        Object key = java.util.List.of(workspace.getPrimary(), view.shape(), showsGate);
        if (!key.equals(rowsKey)) {
            rowsKey = key;
            ModelShape shape = view.shape();
            rows = new TokenRows(
                    SharedHeatmaps.labels(shape), (t, row) -> SharedHeatmaps.row(shape, t, showsGate, row), false);
        }
        heatmap.set(rows.update(view));
    }

    /** What the tab says for a source without router scores or FFN outputs (an imported recording). */
    public static final String NO_ALWAYS_ON = "This recording has no always-on contributions: the serving engine "
            + "records only the chosen expert ids, not the FFN outputs the always-on share is measured from. Load, "
            + "balance and the diagnosis count the chosen experts.";

    /** The tab's notice: {@link #NO_ALWAYS_ON} for an ids-only source, else empty (as the Gate tab's). */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public TokenTrace tokenAt(int row) {
        return row >= 0 && row < view.size() ? view.tokens().get(row) : null;
    }

    public BooleanProperty showGateProperty() {
        return showGate;
    }

    public ReadOnlyBooleanProperty hasGateProperty() {
        return hasGate.getReadOnlyProperty();
    }
    /** True if some MoE layer has an always-on part beside its routed experts. */
    public ReadOnlyBooleanProperty hasSharedProperty() {
        return hasShared.getReadOnlyProperty();
    }
    /** What is always on where: "gated shared expert: L0, L2–L3 · dense FFN: L1". */
    public ReadOnlyStringProperty legendProperty() {
        return legend.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<HeatmapSnapshot> heatmapProperty() {
        return heatmap.getReadOnlyProperty();
    }

    /** Whether the view is shown; while hidden, trace updates only mark this view model stale. */
    public javafx.beans.property.BooleanProperty activeProperty() {
        return live.activeProperty();
    }
}
