package io.moescope.app.granularity;

import io.moescope.app.routing.RoutingHeatmaps;
import io.moescope.viz.data.BarsSnapshot;
import io.moescope.viz.data.HeatmapSnapshot;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/** Turns one model's figures and prompt routing into the neutral chart data the view draws. */
public final class GranularityCharts {

    /** Combinations listed under each routing heatmap. */
    static final int TOP_COMBINATIONS = 5;

    private GranularityCharts() {}

    /** Validation loss per domain (nats/token). */
    public static BarsSnapshot loss(ValidationFigures f) {
        return BarsSnapshot.of(f.loss(), f.domains());
    }

    /** Mean Jensen–Shannon divergence per MoE layer (bits). */
    public static BarsSnapshot js(ValidationFigures f) {
        return BarsSnapshot.of(f.meanJs(), layerLabels(f.layers()));
    }

    /** Mean share of the gate weight of the 1st..k-th heaviest chosen expert on the prompt. */
    public static BarsSnapshot rankShares(PromptRouting r) {
        float[] s = RoutingMix.rankShares(r);
        List<String> labels = new ArrayList<>();
        for (int j = 0; j < s.length; j++) {
            labels.add("rank " + (j + 1));
        }
        return BarsSnapshot.of(s, labels);
    }

    /** Tokens × routed experts of one MoE layer: the gate weight of each chosen expert (0 elsewhere), chosen outlined. */
    public static HeatmapSnapshot routing(PromptRouting r, int layer) {
        int rows = r.positions();
        int cols = r.shape().routedExperts();
        float[] values = new float[rows * cols];
        BitSet marked = new BitSet();
        for (int p = 0; p < rows; p++) {
            int[] e = r.experts()[layer][p];
            float[] w = r.weights()[layer][p];
            for (int j = 0; j < e.length; j++) {
                values[p * cols + e[j]] = w[j];
                marked.set(p * cols + e[j]);
            }
        }
        List<String> labels = new ArrayList<>();
        for (int p = 0; p < rows; p++) {
            labels.add(p + " " + r.tokens().get(p));
        }
        return new HeatmapSnapshot(
                rows, cols, values, 0f, 1f, labels, RoutingHeatmaps.expertLabels(cols), marked, null);
    }

    /** "12 distinct expert sets for 20 tokens · e1+e4 ×5, e2+e3 ×3, …" */
    public static String combinations(PromptRouting r, int layer) {
        List<RoutingMix.Combination> c = RoutingMix.combinations(r, layer);
        StringBuilder b = new StringBuilder();
        b.append(c.size())
                .append(" distinct expert sets for ")
                .append(r.positions())
                .append(" tokens (")
                .append(String.format(Locale.ROOT, "%,d", possibleSets(r)))
                .append(" possible)");
        for (int i = 0; i < Math.min(TOP_COMBINATIONS, c.size()); i++) {
            b.append(i == 0 ? " · " : ", ")
                    .append(c.get(i).label())
                    .append(" ×")
                    .append(c.get(i).count());
        }
        return b.toString();
    }

    /** C(routed experts, top-k): how many different sets the router can choose from. */
    public static long possibleSets(PromptRouting r) {
        int n = r.shape().routedExperts();
        int k = r.shape().topK();
        long c = 1;
        for (int i = 0; i < k; i++) {
            c = c * (n - i) / (i + 1);
        }
        return c;
    }

    /** The mixing figure of the issue: mean share of ranks 2..k of the chosen weight. */
    public static float sharedBeyondFirst(PromptRouting r) {
        float[] s = RoutingMix.rankShares(r);
        return 1f - s[0];
    }

    private static List<String> layerLabels(int[] layers) {
        List<String> out = new ArrayList<>();
        for (int l : layers) {
            out.add("L" + l);
        }
        return out;
    }
}
