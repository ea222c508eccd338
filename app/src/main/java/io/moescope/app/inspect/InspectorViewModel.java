package io.moescope.app.inspect;

import io.moescope.app.routing.RoutingHeatmaps;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TopTokens;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.Workspace;
import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.fx.FxThrottle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The token inspector: for the selected position, its routing through every MoE layer (layers × experts),
 * the chosen experts with their weights per layer, and the model's top-10 next tokens at that position. While no
 * token is selected it shows the newest one (a few times a second while tokens stream, at once when the run ends).
 */
public final class InspectorViewModel {

    /** One row of the chosen-experts list: decoder layer, experts and weights, the always-on part's share. */
    public record LayerChoice(int layer, int[] experts, float[] weights, float sharedShare) {
        public String describe() {
            StringBuilder s = new StringBuilder();
            boolean idsOnly = true;
            for (int i = 0; i < experts.length; i++) {
                boolean weighed = !Float.isNaN(weights[i]);
                idsOnly &= !weighed;
                s.append(i == 0 ? "" : "  ")
                        .append(
                                weighed
                                        ? String.format(Locale.ROOT, "E%d %.3f", experts[i], weights[i])
                                        : "E" + experts[i]);
            }
            return s.append(idsOnly && experts.length > 0 ? "  (no weights in the source)" : "")
                    .toString();
        }
    }

    /** One of the top next tokens. */
    public record NextToken(int id, String text, float probability) {}

    /** While tokens stream and none is selected, the newest token is shown at most this often. */
    static final long FOLLOW_INTERVAL_NANOS = (long) (FxThrottle.READABLE.toMillis() * 1_000_000);

    private final Workspace workspace;
    private final LongSupplier clock;
    private long followedAt;
    private final ReadOnlyBooleanWrapper following = new ReadOnlyBooleanWrapper(this, "followingNewest");
    private final ReadOnlyObjectWrapper<TokenTrace> token = new ReadOnlyObjectWrapper<>(this, "token");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Click a token to inspect it");
    private final ReadOnlyObjectWrapper<HeatmapSnapshot> heatmap =
            new ReadOnlyObjectWrapper<>(this, "heatmap", HeatmapSnapshot.EMPTY);
    private final ReadOnlyObjectWrapper<List<LayerChoice>> choices =
            new ReadOnlyObjectWrapper<>(this, "choices", List.of());
    private final ReadOnlyObjectWrapper<List<NextToken>> next = new ReadOnlyObjectWrapper<>(this, "next", List.of());

    public InspectorViewModel(Workspace workspace) {
        this(workspace, System::nanoTime);
    }

    InspectorViewModel(Workspace workspace, LongSupplier clock) {
        this.workspace = workspace;
        this.clock = clock;
        workspace.revisionProperty().addListener((obs, o, n) -> refresh());
        workspace.selectedPositionProperty().addListener((obs, o, n) -> refresh());
        refresh();
    }

    public void refresh() {
        TraceSnapshot view = workspace.primaryView();
        int selected = workspace.selectedPositionProperty().get();
        boolean follow = selected < 0 && !view.isEmpty();
        if (follow
                && following.get()
                && token.get() != null
                && !view.finished()
                && clock.getAsLong() - followedAt < FOLLOW_INTERVAL_NANOS) {
            return; // streaming: the newest token changes every frame, nobody reads it that fast
        }
        int position = follow ? newestRouted(view) : selected;
        TokenTrace t = position < 0 ? null : view.at(position);
        if (t == token.get() && t != null && follow == following.get()) {
            return; // unchanged (TokenTrace is immutable; logits arrive as a new instance)
        }
        following.set(follow);
        followedAt = clock.getAsLong();
        token.set(t);
        if (t == null) {
            title.set(position < 0 ? "Click a token to inspect it" : "Position " + position + " is not in the trace");
            heatmap.set(HeatmapSnapshot.EMPTY);
            choices.set(List.of());
            next.set(List.of());
            return;
        }
        title.set(String.format(
                Locale.ROOT,
                "%s %d  '%s'  (id %d, %s)",
                follow ? "Newest token" : "Token",
                t.position(),
                RoutingHeatmaps.printable(t.label()),
                t.tokenId(),
                t.isPrefill() ? "prompt / prefill" : "generated / decode"));
        heatmap.set(RoutingHeatmaps.token(view, t));
        List<LayerChoice> rows = new ArrayList<>();
        for (int l = 0; l < t.layerCount(); l++) {
            float[] w = new float[t.chosenCount(l)];
            for (int k = 0; k < w.length; k++) {
                w[k] = t.weight(l, k);
            }
            rows.add(new LayerChoice(view.decoderLayer(l), t.chosen(l), w, t.sharedShare(l)));
        }
        choices.set(List.copyOf(rows));
        next.set(nextTokens(t.next()));
    }

    /**
     * The newest position the model has run: a token just sampled has no routing (and no next-token distribution)
     * until the next step feeds it through the model, and the last token of a run never gets them.
     */
    private static int newestRouted(TraceSnapshot view) {
        List<TokenTrace> tokens = view.tokens();
        for (int i = tokens.size() - 1; i >= Math.max(0, tokens.size() - 8); i--) {
            TokenTrace t = tokens.get(i);
            if (t.layerCount() > 0 && t.chosenCount(0) > 0) {
                return t.position();
            }
        }
        return tokens.get(tokens.size() - 1).position();
    }

    /** The top next tokens with display text. */
    public List<NextToken> nextTokens(TopTokens top) {
        List<NextToken> list = new ArrayList<>();
        for (int i = 0; i < top.size(); i++) {
            list.add(new NextToken(top.id(i), workspace.tokenText(top.id(i)), top.probability(i)));
        }
        return List.copyOf(list);
    }

    /** True while no token is selected and the inspector shows the newest one. */
    public boolean isFollowingNewest() {
        return following.get();
    }

    /** {@link #isFollowingNewest()} as a property, for the view's hint. */
    public ReadOnlyBooleanProperty followingNewestProperty() {
        return following.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<TokenTrace> tokenProperty() {
        return token.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<HeatmapSnapshot> heatmapProperty() {
        return heatmap.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<LayerChoice>> choicesProperty() {
        return choices.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<NextToken>> nextProperty() {
        return next.getReadOnlyProperty();
    }
}
