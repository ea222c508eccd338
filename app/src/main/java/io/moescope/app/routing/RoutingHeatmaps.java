package io.moescope.app.routing;

import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.model.diagnosis.RoutingCounts;
import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.data.TitledHeatmap;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The one adapter from traces to chart data: pure functions {@link TraceSnapshot} → {@link HeatmapSnapshot}.
 * Row tags: 1 = prefill (prompt) token, 2 = decode (generated) token, 3 = a prompt token the chat template wrote.
 * The live views keep their tokens × …
 * heatmaps up to date incrementally ({@link TokenRows}, {@link #gateRow}); the full builders here are the reference
 * they are tested against, and serve one-off uses. The always-on-vs-routed heatmap is {@link SharedHeatmaps}.
 */
public final class RoutingHeatmaps {

    public static final int TAG_PREFILL = 1;
    public static final int TAG_DECODE = 2;
    /** A prompt token a chat template wrote: grey, so the user's own tokens stand out. */
    public static final int TAG_TEMPLATE = 3;
    /** Stripe colours of the tags 1, 2, 3 (blue, orange, grey: the Okabe-Ito pair plus a neutral). */
    public static final List<javafx.scene.paint.Color> TAG_COLORS = List.of(
            javafx.scene.paint.Color.web("#56b4e9"),
            javafx.scene.paint.Color.web("#e69f00"),
            javafx.scene.paint.Color.web("#6e6e6e"));

    private RoutingHeatmaps() {}

    /** Tokens × experts: the full gate distribution of one MoE layer, chosen experts marked. */
    public static HeatmapSnapshot gate(TraceSnapshot view, int layer) {
        int rows = view.size();
        int cols = view.experts();
        float[] values = new float[rows * cols];
        BitSet marked = new BitSet();
        float max = 0f;
        for (int r = 0; r < rows; r++) {
            TokenTrace t = view.tokens().get(r);
            for (int e = 0; e < cols; e++) {
                float v = t.score(layer, e);
                values[r * cols + e] = v;
                max = Math.max(max, v);
            }
            for (int k = 0; k < t.chosenCount(layer); k++) {
                marked.set(r * cols + t.chosenExpert(layer, k));
            }
        }
        return new HeatmapSnapshot(
                rows,
                cols,
                values,
                0f,
                max > 0 ? max : 1f,
                tokenLabels(view),
                expertLabels(cols),
                marked,
                phaseTags(view));
    }

    /** {@link #gate}'s row for one token: its scores in the layer; returns the chosen experts. */
    static int[] gateRow(TokenTrace t, int layer, float[] row) {
        for (int e = 0; e < row.length; e++) {
            row[e] = t.score(layer, e);
        }
        return t.chosen(layer);
    }

    /** One gate heatmap per MoE layer, titled with the decoder layer number. */
    public static List<TitledHeatmap> gateStacked(TraceSnapshot view) {
        List<TitledHeatmap> blocks = new ArrayList<>();
        for (int l = 0; l < view.layers(); l++) {
            blocks.add(new TitledHeatmap(
                    "layer " + view.decoderLayer(l) + view.shape().mixerTag(view.decoderLayer(l), false),
                    gate(view, l)));
        }
        return blocks;
    }

    /** MoE layers × experts: how often each expert was chosen (or its share of the layer's choices). */
    public static HeatmapSnapshot load(TraceSnapshot view, boolean shares) {
        int rows = view.layers();
        int cols = view.experts();
        float[] values = new float[rows * cols];
        RoutingCounts counts = view.counts();
        for (int l = 0; l < rows; l++) {
            long total = 0;
            for (int e = 0; e < cols; e++) {
                total += counts.count(l, e);
            }
            for (int e = 0; e < cols; e++) {
                long c = counts.count(l, e);
                values[l * cols + e] = shares ? (total == 0 ? 0f : c / (float) total) : c;
            }
        }
        List<String> layers = new ArrayList<>();
        for (int l = 0; l < rows; l++) {
            layers.add("layer " + view.decoderLayer(l) + view.shape().mixerTag(view.decoderLayer(l), false));
        }
        return HeatmapSnapshot.of(rows, cols, values, layers, expertLabels(cols))
                .withRange(0f, max(values));
    }

    /** MoE layers × experts for one token: its gate distribution in every layer, chosen experts marked. */
    public static HeatmapSnapshot token(TraceSnapshot view, TokenTrace t) {
        int rows = t.layerCount();
        int cols = t.expertCount();
        float[] values = new float[rows * cols];
        BitSet marked = new BitSet();
        for (int l = 0; l < rows; l++) {
            for (int e = 0; e < cols; e++) {
                values[l * cols + e] = t.score(l, e);
            }
            for (int k = 0; k < t.chosenCount(l); k++) {
                marked.set(l * cols + t.chosenExpert(l, k));
            }
        }
        List<String> layers = new ArrayList<>();
        for (int l = 0; l < rows; l++) {
            layers.add("layer " + view.decoderLayer(l) + view.shape().mixerTag(view.decoderLayer(l), false));
        }
        return new HeatmapSnapshot(
                rows, cols, values, 0f, Math.max(1e-6f, max(values)), layers, expertLabels(cols), marked, null);
    }

    public static List<String> tokenLabels(TraceSnapshot view) {
        List<String> labels = new ArrayList<>(view.size());
        for (TokenTrace t : view.tokens()) {
            labels.add(tokenLabel(t));
        }
        return labels;
    }

    /** A token's row label: its position and printable text. */
    public static String tokenLabel(TokenTrace t) {
        return t.position() + " " + printable(t.label());
    }

    public static int[] phaseTags(TraceSnapshot view) {
        int[] tags = new int[view.size()];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = tag(view.tokens().get(i));
        }
        return tags;
    }

    /** A token's row tag: template, prompt or generated. */
    public static int tag(TokenTrace t) {
        return t.fromTemplate() ? TAG_TEMPLATE : t.isPrefill() ? TAG_PREFILL : TAG_DECODE;
    }

    public static List<String> expertLabels(int experts) {
        List<String> labels = new ArrayList<>(experts);
        for (int e = 0; e < experts; e++) {
            labels.add("E" + e);
        }
        return labels;
    }

    /** Token text with whitespace made visible, for labels. */
    public static String printable(String text) {
        return text.replace("\n", "\u21b5").replace("\t", "\u21e5").replace(' ', '\u00b7');
    }

    private static float max(float[] values) {
        float m = 0f;
        for (float v : values) {
            if (Float.isFinite(v)) {
                m = Math.max(m, v);
            }
        }
        return m > 0 ? m : 1f;
    }
}
