package io.moescope.app.routing;

import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceView;
import io.moescope.app.session.Workspace;
import io.moescope.viz.color.CategoricalPalette;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** The token-coloured transcript: each token coloured by its top-1 expert in the chosen layer. */
public final class TranscriptViewModel {

    /**
     * One token of the transcript.
     *
     * @param expert top-1 expert in the colouring layer, -1 when none
     * @param argb   its colour from the categorical palette
     */
    public record Chip(int position, String text, boolean prefill, int expert, int argb) {
    }

    /** Most chips shown; beyond it the transcript keeps the newest, dropping older ones in blocks of {@link #STEP}. */
    static final int MAX_CHIPS = 1000;
    static final int STEP = 250;

    private final Workspace workspace;
    private final CategoricalPalette palette = new CategoricalPalette();
    private final ReadOnlyObjectWrapper<List<Chip>> chips = new ReadOnlyObjectWrapper<>(this, "chips", List.of());
    private final ReadOnlyStringWrapper caption = new ReadOnlyStringWrapper(this, "caption", "");

    public TranscriptViewModel(Workspace workspace) {
        this.workspace = workspace;
        workspace.revisionProperty().addListener((obs, o, n) -> refresh());
        workspace.layerProperty().addListener((obs, o, n) -> refresh());
        refresh();
    }

    /** The MoE layer that colours the tokens: the selected one, or the first when all are shown. */
    public int colouringLayer(TraceView view) {
        int layer = workspace.layerProperty().get();
        return layer < 0 || layer >= view.layers() ? 0 : layer;
    }

    public void refresh() {
        TraceView view = workspace.primaryView();
        if (view.isEmpty()) {
            chips.set(List.of());
            caption.set("");
            return;
        }
        int layer = colouringLayer(view);
        int first = firstShown(view.size());
        List<Chip> list = new ArrayList<>(view.size() - first);
        for (TokenTrace t : view.tokens().subList(first, view.size())) {
            int e = t.topExpert(layer);
            list.add(new Chip(t.position(), t.label(), t.isPrefill(), e, e < 0 ? 0xff888888 : palette.argb(e)));
        }
        chips.set(list);
        caption.set("Colour = top-1 expert in layer " + view.decoderLayer(layer)
                + (first > 0 ? "  ·  newest " + (view.size() - first) + " of " + view.size()
                + " tokens (earlier ones: click their heatmap row)" : "")
                + (view.droppedPositions() > 0 ? "  ·  first " + view.droppedPositions()
                + " positions dropped (trace memory cap)" : ""));
    }

    /**
     * Index of the first token shown: all up to MAX_CHIPS, then the start moves in steps of STEP so that between
     * steps the view only appends (a sliding window would restyle every chip on every token).
     */
    static int firstShown(int size) {
        if (size <= MAX_CHIPS) {
            return 0;
        }
        return ((size - (MAX_CHIPS - STEP)) / STEP) * STEP;
    }

    public void select(int position) {
        workspace.selectedPositionProperty().set(position);
    }

    public ReadOnlyObjectProperty<List<Chip>> chipsProperty() { return chips.getReadOnlyProperty(); }
    public ReadOnlyStringProperty captionProperty() { return caption.getReadOnlyProperty(); }
    public CategoricalPalette palette() { return palette; }
}
