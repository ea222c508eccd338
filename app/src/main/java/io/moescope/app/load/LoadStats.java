package io.moescope.app.load;

import io.moescope.app.session.TraceSnapshot;
import io.moescope.model.diagnosis.RoutingCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Per-layer balance figures and whole-run routing summaries of a {@link TraceSnapshot}, from its routing counts. */
public final class LoadStats {

    private LoadStats() {}

    public static List<LayerBalance> balance(TraceSnapshot view) {
        RoutingCounts counts = view.counts();
        List<LayerBalance> rows = new ArrayList<>();
        for (int l = 0; l < counts.layers(); l++) {
            rows.add(LayerBalance.of(view.decoderLayer(l), counts.layer(l)));
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
     * its probability evenly, near 0 = it is sure of one expert. Kept as a running sum by the run's accumulator.
     */
    public static double meanRoutingEntropy(TraceSnapshot view) {
        return view.experts() < 2 ? 0 : view.counts().meanEntropy();
    }

    /** The balance table as CSV (header + one line per layer), plus the raw counts per expert. */
    public static String csv(TraceSnapshot view) {
        StringBuilder out = new StringBuilder("layer,choices,max_over_mean,cv,norm_entropy,dead_experts");
        for (int e = 0; e < view.experts(); e++) {
            out.append(",e").append(e);
        }
        out.append('\n');
        RoutingCounts counts = view.counts();
        List<LayerBalance> rows = balance(view);
        for (int l = 0; l < rows.size(); l++) {
            LayerBalance b = rows.get(l);
            out.append(String.format(
                    Locale.ROOT,
                    "%d,%d,%.6f,%.6f,%.6f,%d",
                    b.layer(),
                    b.choices(),
                    b.maxOverMean(),
                    b.cv(),
                    b.entropy(),
                    b.dead()));
            for (long c : counts.layer(l)) {
                out.append(',').append(c);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
