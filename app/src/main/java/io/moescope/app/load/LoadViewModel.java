package io.moescope.app.load;

import io.moescope.app.routing.RoutingHeatmaps;
import io.moescope.app.session.LiveRefresh;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.Workspace;
import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Expert load: layers × experts counts or shares, the per-layer balance table and one layer's bars. */
public final class LoadViewModel {

    private final Workspace workspace;
    private final BooleanProperty shares = new SimpleBooleanProperty(this, "shares", false);
    private final ReadOnlyObjectWrapper<HeatmapSnapshot> heatmap =
            new ReadOnlyObjectWrapper<>(this, "heatmap", HeatmapSnapshot.EMPTY);
    private final ReadOnlyObjectWrapper<BarsSnapshot> bars =
            new ReadOnlyObjectWrapper<>(this, "bars", BarsSnapshot.EMPTY);
    private final ObservableList<LayerBalance> balance = FXCollections.observableArrayList();
    private TraceSnapshot view = TraceSnapshot.EMPTY;
    private final LiveRefresh live = new LiveRefresh(this::refresh);

    public LoadViewModel(Workspace workspace) {
        this.workspace = workspace;
        workspace.revisionProperty().addListener((obs, o, n) -> live.request());
        workspace.layerProperty().addListener((obs, o, n) -> live.request());
        shares.addListener((obs, o, n) -> live.request());
        refresh();
    }

    public void refresh() {
        view = workspace.primaryView();
        // a recording of counts only (an SGLang stat dump, a CSV) has no positions but still a load to show
        if (view.isEmpty() && java.util.Arrays.stream(view.counts().counts()).allMatch(c -> c == 0)) {
            heatmap.set(HeatmapSnapshot.EMPTY);
            bars.set(BarsSnapshot.EMPTY);
            balance.clear();
            return;
        }
        heatmap.set(RoutingHeatmaps.load(view, shares.get()));
        List<LayerBalance> rows = LoadStats.balance(view);
        if (rows.size() != balance.size()) {
            balance.setAll(rows);
        } else {
            for (int i = 0; i < rows.size(); i++) { // row by row: a table then updates its rows, not rebuilds them
                if (!rows.get(i).equals(balance.get(i))) {
                    balance.set(i, rows.get(i));
                }
            }
        }
        int layer = Math.max(
                0, Math.min(view.layers() - 1, workspace.layerProperty().get()));
        long[] counts = view.counts().layer(layer);
        float[] values = new float[counts.length];
        int busiest = 0;
        for (int e = 0; e < counts.length; e++) {
            values[e] = counts[e];
            busiest = counts[e] > counts[busiest] ? e : busiest;
        }
        bars.set(BarsSnapshot.of(values, RoutingHeatmaps.expertLabels(counts.length))
                .withHighlighted(busiest)
                .withMeanReference());
    }

    /** Decoder layer whose bars are shown. */
    public int barsLayer() {
        return view.shape() == null
                ? 0
                : view.decoderLayer(Math.max(
                        0, Math.min(view.layers() - 1, workspace.layerProperty().get())));
    }

    public String csv() {
        live.ensureFresh();
        return LoadStats.csv(view);
    }

    public BooleanProperty sharesProperty() {
        return shares;
    }

    public ReadOnlyObjectProperty<HeatmapSnapshot> heatmapProperty() {
        return heatmap.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<BarsSnapshot> barsProperty() {
        return bars.getReadOnlyProperty();
    }

    public ObservableList<LayerBalance> balance() {
        return balance;
    }

    /** Whether the view is shown; while hidden, trace updates only mark this view model stale. */
    public javafx.beans.property.BooleanProperty activeProperty() {
        return live.activeProperty();
    }
}
