package io.moescope.app.session;

import io.moescope.model.diagnosis.RoutingCounts;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.StopReason;
import java.util.List;

/**
 * An immutable moment of a {@link TraceStore}: the retained positions in order, plus what was dropped. (The one
 * later change: a position's next-token probabilities may arrive after it, as a new {@link TokenTrace} for the
 * same position with the same routing.)
 *
 * @param shape            the model's MoE shape, null when nothing has started
 * @param tokens           retained positions, ascending
 * @param droppedPositions positions dropped from the front because the store is full
 * @param capacity         most positions the store keeps
 * @param bytes            estimated heap bytes of the retained positions
 * @param finishReason     why the sequence stopped, or null while it runs
 * @param counts           expert counts and mean routing entropy of the whole sequence (dropped positions
 *                         included), from the store's {@link io.moescope.model.diagnosis.RoutingAccumulator}
 */
public record TraceSnapshot(
        ModelShape shape,
        List<TokenTrace> tokens,
        int droppedPositions,
        int capacity,
        long bytes,
        StopReason finishReason,
        RoutingCounts counts) {

    public static final TraceSnapshot EMPTY = new TraceSnapshot(null, List.of(), 0, 0, 0, null, RoutingCounts.EMPTY);

    public TraceSnapshot {
        tokens = GrowingList.isSnapshot(tokens) ? tokens : List.copyOf(tokens);
        java.util.Objects.requireNonNull(counts, "counts");
    }

    public boolean isEmpty() {
        return shape == null || tokens.isEmpty();
    }

    public int size() {
        return tokens.size();
    }

    /** True when the newest position came without router scores (an imported recording: expert ids only). */
    public boolean idsOnly() {
        return !isEmpty() && !tokens.get(tokens.size() - 1).hasScores();
    }

    public boolean finished() {
        return finishReason != null;
    }

    /** The MoE layer count (0 without a shape). */
    public int layers() {
        return shape == null ? 0 : shape.moeLayerCount();
    }

    public int experts() {
        return shape == null ? 0 : shape.routedExperts();
    }

    /** Decoder layer number of an MoE layer index. */
    public int decoderLayer(int moeIndex) {
        return shape.moeLayers()[moeIndex];
    }

    /** The retained position with this absolute position number, or null. */
    public TokenTrace at(int position) {
        int index = position - droppedPositions;
        if (index >= 0 && index < tokens.size() && tokens.get(index).position() == position) {
            return tokens.get(index);
        }
        for (TokenTrace t : tokens) {
            if (t.position() == position) {
                return t;
            }
        }
        return null;
    }
}
