package io.moescope.app.routing;

import io.moescope.app.session.LiveRefresh;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.Workspace;
import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.data.TitledHeatmap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Gate probabilities: tokens × experts for the chosen layer (or every layer stacked), chosen experts marked,
 * prefill/decode as row tags. Brought up to date on every workspace revision (at most once per pulse) while
 * shown, by appending the new tokens' rows ({@link TokenRows}): O(new tokens × experts), not O(tokens).
 */
public final class GateViewModel {

    private final Workspace workspace;
    private final ReadOnlyObjectWrapper<HeatmapSnapshot> heatmap =
            new ReadOnlyObjectWrapper<>(this, "heatmap", HeatmapSnapshot.EMPTY);
    private final ReadOnlyObjectWrapper<List<TitledHeatmap>> stacked =
            new ReadOnlyObjectWrapper<>(this, "stacked", List.of());
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private TraceSnapshot view = TraceSnapshot.EMPTY;
    private final LiveRefresh live = new LiveRefresh(this::refresh);
    private Object rowsKey; // what the rows below show: source, shape, layer(s)
    private List<TokenRows> rows = List.of(); // [block]: one layer, or every layer when stacked

    public GateViewModel(Workspace workspace) {
        this.workspace = workspace;
        workspace.revisionProperty().addListener((obs, o, n) -> live.request());
        workspace.layerProperty().addListener((obs, o, n) -> live.request());
        refresh();
    }

    public void refresh() {
        view = workspace.primaryView();
        int layer = workspace.layerProperty().get();
        notice.set(view.idsOnly() ? NO_SCORES : "");
        if (view.isEmpty()) {
            heatmap.set(HeatmapSnapshot.EMPTY);
            stacked.set(List.of());
            rowsKey = null;
            rows = List.of();
            return;
        }
        boolean all = layer == Workspace.ALL_LAYERS || layer >= view.layers();
        Object key = List.of(workspace.getPrimary(), view.shape(), all ? -1 : layer);
        if (!key.equals(rowsKey)) {
            rowsKey = key;
            rows = new ArrayList<>();
            for (int l = all ? 0 : layer; l < (all ? view.layers() : layer + 1); l++) {
                int moeLayer = l;
                rows.add(new TokenRows(
                        RoutingHeatmaps.expertLabels(view.experts()),
                        (t, row) -> RoutingHeatmaps.gateRow(t, moeLayer, row),
                        true));
            }
        }
        if (all) {
            List<TitledHeatmap> blocks = new ArrayList<>();
            for (int l = 0; l < rows.size(); l++) {
                blocks.add(new TitledHeatmap(
                        "layer " + view.decoderLayer(l) + view.shape().mixerTag(view.decoderLayer(l), false),
                        rows.get(l).update(view)));
            }
            heatmap.set(HeatmapSnapshot.EMPTY);
            stacked.set(List.copyOf(blocks));
        } else {
            stacked.set(List.of());
            heatmap.set(rows.get(0).update(view));
        }
    }

    /** What the tab says when the source recorded only the chosen experts. */
    public static final String NO_SCORES = "This recording has no router scores (ids only): there are no gate "
            + "probabilities to show, only the chosen experts (outlined). Load, balance and the diagnosis count them.";

    /** The tab's notice: {@link #NO_SCORES} for a source without scores, else empty. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** The MoE layer index behind a heatmap cell (block = layer when stacked). */
    public int layerOf(int block) {
        int layer = workspace.layerProperty().get();
        return layer == Workspace.ALL_LAYERS ? block : layer;
    }

    /** The token at a heatmap row, or null. */
    public TokenTrace tokenAt(int row) {
        return row >= 0 && row < view.size() ? view.tokens().get(row) : null;
    }

    /** Tooltip text: the token, the expert's score and, when chosen, its rank and weight. */
    public String describe(int block, int row, int expert) {
        TokenTrace t = tokenAt(row);
        if (t == null) {
            return "";
        }
        int layer = layerOf(block);
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT,
                "token %d '%s' (%s)%nlayer %d, expert %d%n",
                t.position(),
                RoutingHeatmaps.printable(t.label()),
                t.isPrefill() ? "prompt" : "generated",
                view.decoderLayer(layer),
                expert));
        s.append(
                t.hasScores()
                        ? String.format(Locale.ROOT, "gate probability %.4f", t.score(layer, expert))
                        : "gate probability not recorded");
        int rank = t.rankOf(layer, expert);
        if (rank >= 0) {
            float w = t.weight(layer, rank);
            s.append(
                    Float.isNaN(w)
                            ? String.format(Locale.ROOT, "%nchosen #%d (weight not recorded)", rank + 1)
                            : String.format(Locale.ROOT, "%nchosen #%d, weight %.4f", rank + 1, w));
        }
        return s.toString();
    }

    /** Decoder layer number of a MoE layer index. */
    public int decoderLayer(int moeIndex) {
        return view.decoderLayer(moeIndex);
    }

    public ReadOnlyObjectProperty<HeatmapSnapshot> heatmapProperty() {
        return heatmap.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<TitledHeatmap>> stackedProperty() {
        return stacked.getReadOnlyProperty();
    }

    public TraceSnapshot view() {
        return view;
    }

    /** Whether the view is shown; while hidden, trace updates only mark this view model stale. */
    public javafx.beans.property.BooleanProperty activeProperty() {
        return live.activeProperty();
    }
}
