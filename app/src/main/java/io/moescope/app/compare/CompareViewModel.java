package io.moescope.app.compare;

import io.moescope.app.inspect.InspectorViewModel;
import io.moescope.app.routing.RoutingHeatmaps;
import io.moescope.app.session.LiveRefresh;
import io.moescope.app.session.Run;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TopTokens;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.Workspace;
import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Compare: the primary run (A) and the comparison run (B) side by side: both texts, both top-10 next-token
 * lists at the selected position (or the last prompt position), per-layer expert-set overlap and where
 * routing first diverges. With no comparison run it is refreshed only while its tab is shown.
 */
public final class CompareViewModel {

    private final Workspace workspace;
    private final Function<TopTokens, List<InspectorViewModel.NextToken>> namer;
    private final ReadOnlyObjectWrapper<RunComparison> comparison = new ReadOnlyObjectWrapper<>(this, "comparison");
    private final ReadOnlyStringWrapper textA = new ReadOnlyStringWrapper(this, "textA", "");
    private final ReadOnlyStringWrapper textB = new ReadOnlyStringWrapper(this, "textB", "");
    private final ReadOnlyStringWrapper labelA = new ReadOnlyStringWrapper(this, "labelA", "A: —");
    private final ReadOnlyStringWrapper labelB = new ReadOnlyStringWrapper(this, "labelB", "B: —");
    private final ReadOnlyStringWrapper summary =
            new ReadOnlyStringWrapper(this, "summary", "Run an intervention or a second prompt to compare.");
    private final ReadOnlyObjectWrapper<HeatmapSnapshot> heatmap =
            new ReadOnlyObjectWrapper<>(this, "heatmap", HeatmapSnapshot.EMPTY);
    private final ReadOnlyObjectWrapper<BarsSnapshot> bars =
            new ReadOnlyObjectWrapper<>(this, "bars", BarsSnapshot.EMPTY);
    private final ReadOnlyObjectWrapper<List<InspectorViewModel.NextToken>> nextA =
            new ReadOnlyObjectWrapper<>(this, "nextA", List.of());
    private final ReadOnlyObjectWrapper<List<InspectorViewModel.NextToken>> nextB =
            new ReadOnlyObjectWrapper<>(this, "nextB", List.of());
    private final ReadOnlyStringWrapper nextCaption = new ReadOnlyStringWrapper(this, "nextCaption", "");

    private final LiveRefresh live = new LiveRefresh(this::refresh);

    public CompareViewModel(Workspace workspace, Function<TopTokens, List<InspectorViewModel.NextToken>> namer) {
        this.workspace = workspace;
        this.namer = namer;
        workspace.revisionProperty().addListener((obs, o, n) -> request());
        workspace.selectedPositionProperty().addListener((obs, o, n) -> request());
        refresh();
    }

    /**
     * A comparison is always kept up to date (it is short, and what the user is after); a single run's texts and
     * next tokens only while the tab is shown.
     */
    private void request() {
        if (workspace.getComparison() != null) {
            live.run();
        } else {
            live.request();
        }
    }

    public void refresh() {
        Run a = workspace.getPrimary();
        Run b = workspace.getComparison();
        labelA.set("A: " + (a == null ? "—" : a.label()));
        labelB.set("B: " + (b == null ? "—" : b.label()));
        textA.set(a == null ? "" : a.generatedText());
        textB.set(b == null ? "" : b.generatedText());
        TraceSnapshot va = workspace.primaryView();
        TraceSnapshot vb = workspace.comparisonView();
        RunComparison c = RunComparison.of(va, vb);
        comparison.set(c);
        heatmap.set(c.positions().length == 0 ? HeatmapSnapshot.EMPTY : jaccardGrid(va, c));
        List<String> layers = new ArrayList<>();
        for (int l = 0; l < c.meanJaccard().length; l++) {
            layers.add("L" + va.decoderLayer(l) + va.shape().mixerTag(va.decoderLayer(l), true));
        }
        bars.set(
                c.meanJaccard().length == 0
                        ? BarsSnapshot.EMPTY
                        : BarsSnapshot.of(c.meanJaccard(), layers)
                                .withHighlighted(
                                        c.firstDivergentLayer() < 0
                                                ? new int[0]
                                                : new int[] {c.firstDivergentLayer()}));
        summary.set(describe(va, c));
        int position = nextPosition(va);
        TokenTrace ta = position < 0 ? null : va.at(position);
        TokenTrace tb = position < 0 ? null : vb.at(position);
        nextA.set(ta == null ? List.of() : namer.apply(ta.next()));
        nextB.set(tb == null ? List.of() : namer.apply(tb.next()));
        nextCaption.set(
                position < 0
                        ? ""
                        : "Next-token probabilities after position " + position
                                + (ta == null ? "" : " '" + RoutingHeatmaps.printable(ta.label()) + "'"));
    }

    private int nextPosition(TraceSnapshot va) {
        int selected = workspace.selectedPositionProperty().get();
        if (selected >= 0) {
            return selected;
        }
        int last = -1;
        for (TokenTrace t : va.tokens()) { // the prompt comes first: stop at the first generated token after it
            if (t.isPrefill()) {
                last = t.position();
            } else if (last >= 0) {
                break;
            }
        }
        return last;
    }

    private static HeatmapSnapshot jaccardGrid(TraceSnapshot va, RunComparison c) {
        int rows = c.positions().length;
        int cols = c.meanJaccard().length;
        float[] values = new float[rows * cols];
        List<String> rowLabels = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(c.jaccard()[r], 0, values, r * cols, cols);
            TokenTrace t = va.at(c.positions()[r]);
            rowLabels.add(c.positions()[r] + " " + (t == null ? "" : RoutingHeatmaps.printable(t.label())));
        }
        List<String> cols2 = new ArrayList<>();
        for (int l = 0; l < cols; l++) {
            cols2.add("L" + va.decoderLayer(l) + va.shape().mixerTag(va.decoderLayer(l), true));
        }
        return new HeatmapSnapshot(rows, cols, values, 0f, 1f, rowLabels, cols2);
    }

    private static String describe(TraceSnapshot va, RunComparison c) {
        if (c.positions().length == 0) {
            return "Run an intervention or a second prompt to compare.";
        }
        String div = c.firstDivergentLayer() < 0
                ? "routing is identical at every aligned position"
                : "routing first diverges in layer " + va.decoderLayer(c.firstDivergentLayer()) + " (position "
                        + c.divergencePosition() + ")";
        String tok = c.firstTokenChange() < 0 ? "same tokens" : "tokens differ from position " + c.firstTokenChange();
        return c.positions().length + " aligned positions · " + div + " · " + tok;
    }

    public ReadOnlyObjectProperty<RunComparison> comparisonProperty() {
        return comparison.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty textAProperty() {
        return textA.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty textBProperty() {
        return textB.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty labelAProperty() {
        return labelA.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty labelBProperty() {
        return labelB.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty nextCaptionProperty() {
        return nextCaption.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<HeatmapSnapshot> heatmapProperty() {
        return heatmap.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<BarsSnapshot> barsProperty() {
        return bars.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<InspectorViewModel.NextToken>> nextAProperty() {
        return nextA.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<InspectorViewModel.NextToken>> nextBProperty() {
        return nextB.getReadOnlyProperty();
    }

    /** Whether the tab is shown; while hidden and there is no comparison run, updates only mark it stale. */
    public javafx.beans.property.BooleanProperty activeProperty() {
        return live.activeProperty();
    }
}
