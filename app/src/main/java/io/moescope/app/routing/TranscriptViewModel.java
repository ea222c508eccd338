package io.moescope.app.routing;

import io.moescope.app.session.GrowingList;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.Workspace;
import io.moescope.viz.color.CategoricalPalette;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The token-coloured transcript: each token coloured by its top-1 expert in the chosen layer. Every retained
 * token has a chip (the view shows only the lines on screen); a refresh appends the new tokens' chips and drops
 * those the trace store dropped, and rebuilds them only when the colouring layer or the run changes.
 */
public final class TranscriptViewModel {

    /**
     * One token of the transcript.
     *
     * @param template a prompt token the chat template wrote (drawn dimmed)
     * @param expert   top-1 expert in the colouring layer, -1 when none
     * @param argb     its colour from the categorical palette
     */
    public record Chip(int position, String text, boolean prefill, boolean template, int expert, int argb) {

        /** A token of a plain-text prompt or a generated one. */
        public Chip(int position, String text, boolean prefill, int expert, int argb) {
            this(position, text, prefill, false, expert, argb);
        }
    }

    private final Workspace workspace;
    private final CategoricalPalette palette = new CategoricalPalette();
    private final ReadOnlyObjectWrapper<List<Chip>> chips = new ReadOnlyObjectWrapper<>(this, "chips", List.of());
    private final ReadOnlyStringWrapper caption = new ReadOnlyStringWrapper(this, "caption", "");
    private final GrowingList<Chip> shown = new GrowingList<>();
    private Object shownKey; // run, shape and colouring layer of the chips in `shown`

    public TranscriptViewModel(Workspace workspace) {
        this.workspace = workspace;
        workspace.revisionProperty().addListener((obs, o, n) -> refresh());
        workspace.layerProperty().addListener((obs, o, n) -> refresh());
        refresh();
    }

    /** The MoE layer that colours the tokens: the selected one, or the first when all are shown. */
    public int colouringLayer(TraceSnapshot view) {
        int layer = workspace.layerProperty().get();
        return layer < 0 || layer >= view.layers() ? 0 : layer;
    }

    public void refresh() {
        TraceSnapshot view = workspace.primaryView();
        if (view.isEmpty()) {
            shown.clear();
            shownKey = null;
            chips.set(List.of());
            caption.set("");
            return;
        }
        int layer = colouringLayer(view);
        Object key = List.of(workspace.getPrimary(), view.shape(), layer);
        if (!key.equals(shownKey) || !continues(view)) {
            shown.clear();
            shownKey = key;
        }
        int first = view.tokens().get(0).position();
        int drop = 0;
        while (drop < shown.size() && shown.get(drop).position() < first) {
            drop++;
        }
        shown.dropFirst(drop);
        int last = shown.size() == 0
                ? Integer.MIN_VALUE
                : shown.get(shown.size() - 1).position();
        List<TokenTrace> tokens = view.tokens();
        int from = tokens.size();
        while (from > 0 && tokens.get(from - 1).position() > last) {
            from--;
        }
        for (TokenTrace t : tokens.subList(from, tokens.size())) {
            int e = t.topExpert(layer);
            shown.add(new Chip(
                    t.position(), t.label(), t.isPrefill(), t.fromTemplate(), e, e < 0 ? 0xff888888 : palette.argb(e)));
        }
        if (shown.size() != tokens.size()) { // gaps that do not line up: start over
            shown.clear();
            shownKey = null;
            refresh();
            return;
        }
        chips.set(shown.snapshot());
        boolean chat = !view.tokens().isEmpty() && view.tokens().get(0).fromTemplate(); // templates open with a header
        caption.set("Colour = top-1 expert in layer " + view.decoderLayer(layer)
                + (chat ? "  ·  dashed = your prompt, dimmed = chat template, solid = generated" : "")
                + (view.droppedPositions() > 0
                        ? "  ·  first " + view.droppedPositions() + " positions dropped (trace memory cap)"
                        : ""));
    }

    /** Whether the view extends the chips held (a new sequence in the same run starts over). */
    private boolean continues(TraceSnapshot view) {
        if (shown.size() == 0) {
            return true;
        }
        List<TokenTrace> tokens = view.tokens();
        return tokens.get(tokens.size() - 1).position()
                        >= shown.get(shown.size() - 1).position()
                && tokens.get(0).position() >= shown.get(0).position();
    }

    public void select(int position) {
        workspace.selectedPositionProperty().set(position);
    }

    /** Every retained token's chip, oldest first; the list never changes (a refresh sets a new one). */
    public ReadOnlyObjectProperty<List<Chip>> chipsProperty() {
        return chips.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty captionProperty() {
        return caption.getReadOnlyProperty();
    }

    public CategoricalPalette palette() {
        return palette;
    }
}
