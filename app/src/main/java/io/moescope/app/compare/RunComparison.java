package io.moescope.app.compare;

import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;

/**
 * Two runs aligned by position: per position and MoE layer the Jaccard overlap of the chosen expert sets,
 * per layer the mean over the aligned positions, the first position whose token differs and the first layer
 * (at any position) where routing diverges.
 *
 * @param positions          aligned positions (the shorter run's retained range, same position numbers)
 * @param jaccard            [position][layer] overlap in [0, 1]; 1 = same experts
 * @param meanJaccard        [layer] mean over positions
 * @param firstTokenChange   first aligned position whose token id differs, or -1
 * @param firstDivergentLayer MoE layer index where routing first differs (smallest layer over all positions), -1 if never
 * @param divergencePosition  the earliest position at which that layer diverges, -1 if never
 */
public record RunComparison(
        int[] positions,
        float[][] jaccard,
        float[] meanJaccard,
        int firstTokenChange,
        int firstDivergentLayer,
        int divergencePosition) {

    public static RunComparison of(TraceSnapshot a, TraceSnapshot b) {
        if (a.isEmpty() || b.isEmpty() || a.layers() != b.layers()) {
            return new RunComparison(new int[0], new float[0][], new float[0], -1, -1, -1);
        }
        int layers = a.layers();
        int first = Math.max(a.droppedPositions(), b.droppedPositions());
        int end = Math.min(a.droppedPositions() + a.size(), b.droppedPositions() + b.size());
        int n = Math.max(0, end - first);
        int[] positions = new int[n];
        float[][] jac = new float[n][layers];
        float[] mean = new float[layers];
        int tokenChange = -1;
        int divLayer = -1;
        int divPos = -1;
        for (int i = 0; i < n; i++) {
            int p = first + i;
            positions[i] = p;
            TokenTrace ta = a.at(p);
            TokenTrace tb = b.at(p);
            if (ta == null || tb == null) {
                continue;
            }
            if (tokenChange < 0 && ta.tokenId() != tb.tokenId()) {
                tokenChange = p;
            }
            for (int l = 0; l < layers; l++) {
                jac[i][l] = jaccard(ta.chosen(l), tb.chosen(l));
                mean[l] += jac[i][l] / n;
                if (jac[i][l] < 1f && (divLayer < 0 || l < divLayer)) {
                    divLayer = l;
                    divPos = p;
                }
            }
        }
        return new RunComparison(positions, jac, mean, tokenChange, divLayer, divPos);
    }

    /** |A ∩ B| / |A ∪ B|, 1 for two empty sets. */
    public static float jaccard(int[] x, int[] y) {
        int inter = 0;
        for (int e : x) {
            for (int f : y) {
                if (e == f) {
                    inter++;
                    break;
                }
            }
        }
        int union = x.length + y.length - inter;
        return union == 0 ? 1f : (float) inter / union;
    }
}
