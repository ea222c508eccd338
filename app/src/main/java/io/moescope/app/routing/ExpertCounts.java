package io.moescope.app.routing;

import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceView;

/** How often each expert was chosen, per MoE layer: {@code counts[layer][expert]}. */
public final class ExpertCounts {

    private ExpertCounts() {
    }

    public static int[][] of(TraceView view) {
        int[][] counts = new int[view.layers()][view.experts()];
        for (TokenTrace t : view.tokens()) {
            for (int l = 0; l < counts.length; l++) {
                for (int k = 0; k < t.chosenCount(l); k++) {
                    counts[l][t.chosenExpert(l, k)]++;
                }
            }
        }
        return counts;
    }
}
