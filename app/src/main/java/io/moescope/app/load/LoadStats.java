package io.moescope.app.load;

import io.moescope.app.routing.ExpertCounts;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Per-layer balance figures and whole-run routing summaries, computed from a {@link TraceView}. */
public final class LoadStats {

    private LoadStats() {
    }

    public static List<LayerBalance> balance(TraceView view) {
        int[][] counts = ExpertCounts.of(view);
        List<LayerBalance> rows = new ArrayList<>();
        for (int l = 0; l < counts.length; l++) {
            rows.add(LayerBalance.of(view.decoderLayer(l), counts[l]));
        }
        return rows;
    }

    /** The largest max/mean over the layers (0 when nothing is recorded). */
    public static double worstImbalance(List<LayerBalance> rows) {
        double worst = 0;
        for (LayerBalance b : rows) {
            worst = Math.max(worst, b.maxOverMean());
        }
        return worst;
    }

    /**
     * Mean over tokens and layers of the router's score entropy, normalised by ln E: 1 = the router spreads
     * its probability evenly, near 0 = it is sure of one expert.
     */
    public static double meanRoutingEntropy(TraceView view) {
        int experts = view.experts();
        if (view.isEmpty() || experts < 2) {
            return 0;
        }
        double sum = 0;
        long n = 0;
        for (TokenTrace t : view.tokens()) {
            for (int l = 0; l < t.layerCount(); l++) {
                float h = t.routingEntropy(l);
                if (!Float.isNaN(h)) {
                    sum += h;
                    n++;
                }
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** The balance table as CSV (header + one line per layer), plus the raw counts per expert. */
    public static String csv(TraceView view) {
        StringBuilder out = new StringBuilder("layer,choices,max_over_mean,cv,norm_entropy,dead_experts");
        for (int e = 0; e < view.experts(); e++) {
            out.append(",e").append(e);
        }
        out.append('\n');
        int[][] counts = ExpertCounts.of(view);
        List<LayerBalance> rows = balance(view);
        for (int l = 0; l < rows.size(); l++) {
            LayerBalance b = rows.get(l);
            out.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%d", b.layer(), b.choices(), b.maxOverMean(),
                    b.cv(), b.entropy(), b.dead()));
            for (int c : counts[l]) {
                out.append(',').append(c);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
