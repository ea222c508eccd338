package io.moescope.app.routing;

import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.model.trace.ModelShape;
import io.moescope.viz.data.HeatmapSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The always-on-vs-routed heatmap: tokens × every decoder layer. An MoE layer's cell is the always-on part's share of
 * the layer's output norm, |always-on| / (|always-on| + |routed|) (or its sigmoid gate); a dense layer's whole FFN
 * is always on, so its cell is 1, or 0 where "always-on parts off" silenced it. The legend text names the parts
 * ({@link ModelShape#describeAlwaysOn()}).
 */
final class SharedHeatmaps {

    private static final int[] NO_MARKS = new int[0];

    private SharedHeatmaps() {}

    /** One token's row: per decoder layer the always-on share (or gate, NaN where a layer has none). */
    static int[] row(ModelShape shape, TokenTrace t, boolean gate, float[] row) {
        for (int l = 0; l < row.length; l++) {
            int moe = shape.moeIndex(l);
            if (moe >= 0) {
                row[l] = gate ? t.sharedGate(moe) : t.sharedShare(moe);
            } else {
                float norm = t.denseNorm(l); // NaN before trace version 3 (nothing could switch it off then)
                row[l] = gate || Float.isNaN(norm) && !routed(t) ? Float.NaN : norm == 0f ? 0f : 1f;
            }
        }
        return NO_MARKS;
    }

    /** False for a token that never went through the layers (the last generated one has no routing lines). */
    private static boolean routed(TokenTrace t) {
        for (int m = 0; m < t.layerCount(); m++) {
            if (t.chosenCount(m) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Column labels: every decoder layer's number, dense layers marked "L0 dense". */
    static List<String> labels(ModelShape shape) {
        List<String> out = new ArrayList<>();
        for (int l = 0; l < shape.layerCount(); l++) {
            out.add("L" + l + shape.mixerTag(l, true) + (shape.alwaysOn(l).isDenseLayer() ? " dense" : ""));
        }
        return out;
    }

    /** The whole heatmap, built from scratch (the view model keeps one up to date with {@link TokenRows}). */
    static HeatmapSnapshot full(TraceSnapshot view, boolean gate) {
        ModelShape shape = view.shape();
        int rows = view.size();
        int cols = shape.layerCount();
        float[] values = new float[rows * cols];
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            row(shape, view.tokens().get(r), gate, row);
            System.arraycopy(row, 0, values, r * cols, cols);
        }
        return new HeatmapSnapshot(
                rows,
                cols,
                values,
                0f,
                1f,
                RoutingHeatmaps.tokenLabels(view),
                labels(shape),
                null,
                RoutingHeatmaps.phaseTags(view));
    }
}
