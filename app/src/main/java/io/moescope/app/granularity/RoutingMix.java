package io.moescope.app.granularity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures about how a model combines its routed experts on a prompt: how many distinct sets of chosen experts its
 * tokens use per layer (and the most frequent ones), and how the gate weight is shared between the 1st..k-th
 * heaviest chosen expert.
 */
public final class RoutingMix {

    /** One set of chosen experts (ascending) and how many tokens chose exactly it. */
    public record Combination(int[] experts, int count) {
        public Combination {
            experts = experts.clone();
        }

        @Override
        public int[] experts() {
            return experts.clone();
        }

        /** "e1+e4+e9" */
        public String label() {
            StringBuilder b = new StringBuilder();
            for (int e : experts) {
                b.append(b.length() == 0 ? "" : "+").append('e').append(e);
            }
            return b.toString();
        }
    }

    private RoutingMix() {}

    /** The distinct expert sets of one MoE layer (index into {@link PromptRouting#layers()}), most frequent first. */
    public static List<Combination> combinations(PromptRouting r, int layer) {
        Map<String, int[]> sets = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int[] chosen : r.experts()[layer]) {
            int[] set = chosen.clone();
            Arrays.sort(set);
            String key = Arrays.toString(set);
            sets.putIfAbsent(key, set);
            counts.merge(key, 1, Integer::sum);
        }
        List<Combination> out = new ArrayList<>();
        for (Map.Entry<String, int[]> e : sets.entrySet()) {
            out.add(new Combination(e.getValue(), counts.get(e.getKey())));
        }
        out.sort(Comparator.comparingInt(Combination::count).reversed()); // stable: first seen first among ties
        return out;
    }

    /**
     * Mean share of the gate weight held by the heaviest, 2nd heaviest … k-th heaviest chosen expert, over all
     * positions and MoE layers: entry j = mean over tokens of w_(j) / Σ w [k]. Sums to 1.
     */
    public static float[] rankShares(PromptRouting r) {
        int k = r.shape().topK();
        double[] sum = new double[k];
        int n = 0;
        for (float[][] layer : r.weights()) {
            for (float[] w : layer) {
                float[] sorted = w.clone();
                Arrays.sort(sorted);
                double total = 0;
                for (float v : sorted) {
                    total += v;
                }
                if (total <= 0) {
                    continue;
                }
                for (int j = 0; j < k; j++) {
                    sum[j] += sorted[k - 1 - j] / total;
                }
                n++;
            }
        }
        float[] out = new float[k];
        for (int j = 0; j < k; j++) {
            out[j] = n == 0 ? 0f : (float) (sum[j] / n);
        }
        return out;
    }
}
