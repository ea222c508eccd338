package io.moescope.model.layer;

import java.util.Arrays;

/**
 * A layer's routed experts over several tokens as grouped products: the rows routed to expert e are gathered into
 * one [n_e, H] batch, the expert runs once on it (its matrices take the blocked prefill product, so each weight tile
 * is read and widened once per batch), and the outputs are scatter-added with the routing weights. Experts are
 * visited in index order and each token's terms are added in that order, so a token's sum does not depend on which
 * other tokens share the batch.
 */
final class GroupedExperts {

    private GroupedExperts() {}

    /**
     * routed [tokens, H] += Σ over each token's chosen experts of weight · expert(x row).
     *
     * @param load  tokens routed to each expert (load[e] = how many routes name e)
     * @param probe where expert outputs of the probed row are kept; null for none
     */
    static void run(
            Expert[] experts,
            float[] x,
            int tokens,
            int h,
            Route[] routes,
            int[] load,
            float[] routed,
            LayerProbe probe) {
        for (int ex = 0; ex < experts.length; ex++) {
            int n = load[ex];
            if (n == 0) {
                continue;
            }
            int[] rows = new int[n];
            float[] w = new float[n];
            int j = 0;
            for (int t = 0; t < tokens && j < n; t++) {
                int[] chosen = routes[t].experts();
                for (int s = 0; s < chosen.length; s++) {
                    if (chosen[s] == ex) {
                        rows[j] = t;
                        w[j++] = routes[t].weights()[s];
                    }
                }
            }
            float[] in = new float[n * h]; // [n, H] gathered
            for (int r = 0; r < n; r++) {
                System.arraycopy(x, rows[r] * h, in, r * h, h);
            }
            float[] y = new float[n * h]; // [n, H]
            experts[ex].apply(in, n, y);
            if (probe != null) {
                keepProbedOutput(probe, ex, rows, y, h);
            }
            for (int r = 0; r < n; r++) { // scatter-add
                int dst = rows[r] * h;
                for (int i = 0; i < h; i++) {
                    routed[dst + i] += w[r] * y[r * h + i];
                }
            }
        }
    }

    /** Copies expert {@code ex}'s output for the probed row (if that row chose it) into its rank's slot. */
    private static void keepProbedOutput(LayerProbe probe, int ex, int[] rows, float[] y, int h) {
        int[] chosen = probe.route.experts();
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] != probe.row) {
                continue;
            }
            for (int s = 0; s < chosen.length; s++) {
                if (chosen[s] == ex) {
                    probe.expertOutputs[s] = Arrays.copyOfRange(y, r * h, (r + 1) * h);
                }
            }
        }
    }
}
