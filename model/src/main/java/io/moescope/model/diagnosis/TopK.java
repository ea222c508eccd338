package io.moescope.model.diagnosis;

import java.util.Arrays;

/** Top-k helpers with the engine's tie rule (higher score first, then lower index). */
final class TopK {

    private TopK() {}

    /** The k best allowed indices (allowed = null: all), returned sorted ascending. */
    static int[] indices(float[] scores, boolean[] allowed, int k) {
        int[] out = new int[k];
        boolean[] taken = new boolean[scores.length];
        int n = 0;
        for (int r = 0; r < k; r++) {
            int best = -1;
            for (int i = 0; i < scores.length; i++) {
                if (!taken[i] && (allowed == null || allowed[i]) && (best < 0 || scores[i] > scores[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            taken[best] = true;
            out[n++] = best;
        }
        int[] res = Arrays.copyOf(out, n);
        Arrays.sort(res);
        return res;
    }

    /** Size of the intersection of two ascending sets. */
    static int overlap(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        int same = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                same++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return same;
    }
}
