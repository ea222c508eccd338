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
        List<Chip> list = new ArrayList<>(view.size());
        for (TokenTrace t : view.tokens()) {
            int e = t.topExpert(layer);
            list.add(new Chip(t.position(), t.label(), t.isPrefill(), e, e < 0 ? 0xff888888 : palette.argb(e)));
        }
        chips.set(list);
        caption.set("Colour = top-1 expert in layer " + view.decoderLayer(layer)
                + (view.droppedPositions() > 0 ? "  ·  first " + view.droppedPositions()
                + " positions dropped (trace memory cap)" : ""));
    }

    public void select(int position) {
        workspace.selectedPositionProperty().set(position);
    }

    public ReadOnlyObjectProperty<List<Chip>> chipsProperty() { return chips.getReadOnlyProperty(); }
    public ReadOnlyStringProperty captionProperty() { return caption.getReadOnlyProperty(); }
    public CategoricalPalette palette() { return palette; }
}
