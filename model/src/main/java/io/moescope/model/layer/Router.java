package io.moescope.model.layer;

import java.util.Arrays;
import java.util.Set;

/** Scores, selects and weights experts for one token (spec §1.1–1.3), with interventions applied. */
public final class Router {

    private final RoutingRule rule;
    private final float[] bias; // e_score_correction_bias [E] or null
    private final int experts;
    private final float[] expertScale; // Gemma 4 per_expert_scale [E], null if none

    public Router(RoutingRule rule, float[] bias, int experts) {
        this(rule, bias, experts, null);
    }

    /**
     * A router whose final weights are also multiplied by a per-expert factor (Gemma 4 {@code per_expert_scale},
     * applied after the renormalisation); {@code expertScale} null for none.
     */
    public Router(RoutingRule rule, float[] bias, int experts, float[] expertScale) {
        this.expertScale = expertScale == null ? null : expertScale.clone();
        this.rule = rule;
        this.bias = bias == null ? null : bias.clone();
        this.experts = experts;
        if (!rule.method().equals("greedy") && experts % Math.max(1, rule.nGroup()) != 0) {
            throw new IllegalArgumentException(experts + " experts cannot be split into " + rule.nGroup() + " groups");
        }
    }

    public RoutingRule rule() {
        return rule;
    }

    public boolean hasBias() {
        return bias != null;
    }

    /** A copy of the selection bias, or null (for {@link LayerProbe}). */
    float[] biasCopy() {
        return bias == null ? null : bias.clone();
    }

    /** Gemma 4's per-expert factors on the final weights, a copy; null for other families. */
    float[] expertScaleCopy() {
        return expertScale == null ? null : expertScale.clone();
    }

    /** Routes one token from its router logits z[off .. off+E). */
    public Route route(float[] z, int off, Set<Integer> ablated, int[] forced, int topKOverride) {
        int n = experts;
        float[] s = new float[n];
        if (rule.softmax()) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, z[off + i]);
            }
            double sum = 0;
            double[] e = new double[n];
            for (int i = 0; i < n; i++) {
                e[i] = Math.exp(z[off + i] - max);
                sum += e[i];
            }
            for (int i = 0; i < n; i++) {
                s[i] = (float) (e[i] / sum);
            }
        } else {
            for (int i = 0; i < n; i++) {
                s[i] = (float) (1.0 / (1.0 + Math.exp(-z[off + i])));
            }
        }
        float[] c = s;
        if (bias != null) {
            c = new float[n];
            for (int i = 0; i < n; i++) {
                c[i] = s[i] + bias[i];
            }
        }
        float[] choose = c.clone();
        for (int a : ablated) {
            if (a >= 0 && a < n) {
                choose[a] = Float.NEGATIVE_INFINITY;
            }
        }
        int[] kept = null;
        int[] chosen;
        if (forced != null) {
            chosen = sortBy(forced.clone(), c);
        } else {
            int k = topKOverride > 0 ? topKOverride : rule.topK();
            k = Math.min(
                    k, n - (int) ablated.stream().filter(a -> a >= 0 && a < n).count());
            if (!rule.method().equals("greedy") && rule.nGroup() > 1) {
                kept = keepGroups(choose);
            }
            chosen = topK(choose, Math.max(k, 0));
        }
        return new Route(s, bias == null ? s : c, kept, chosen, weights(s, chosen));
    }

    /** Group-limited selection: masks experts outside the best topk_group groups; returns the kept groups. */
    private int[] keepGroups(float[] choose) {
        int g = rule.nGroup();
        int per = experts / g;
        float[] groupScore = new float[g];
        boolean sumTop2 = rule.method().equals("noaux_tc");
        for (int gi = 0; gi < g; gi++) {
            float best = Float.NEGATIVE_INFINITY;
            float second = Float.NEGATIVE_INFINITY;
            for (int i = gi * per; i < (gi + 1) * per; i++) {
                if (choose[i] > best) {
                    second = best;
                    best = choose[i];
                } else if (choose[i] > second) {
                    second = choose[i];
                }
            }
            groupScore[gi] = sumTop2 ? best + second : best;
        }
        int[] kept = topK(groupScore, Math.min(rule.topkGroup(), g));
        boolean[] keep = new boolean[g];
        for (int k : kept) {
            keep[k] = true;
        }
        for (int i = 0; i < experts; i++) {
            if (!keep[i / per]) {
                choose[i] = Float.NEGATIVE_INFINITY;
            }
        }
        Arrays.sort(kept);
        return kept;
    }

    private float[] weights(float[] s, int[] chosen) {
        float[] w = new float[chosen.length];
        double sum = 0;
        for (int i = 0; i < chosen.length; i++) {
            w[i] = s[chosen[i]];
            sum += w[i];
        }
        boolean norm = rule.normalize();
        if (norm) {
            double denom = Math.max(sum + rule.normEpsilon(), rule.normFloor());
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (w[i] / denom);
            }
        }
        if (rule.scale() != 1.0 && !(norm && rule.scaleOnlyIfNotNormalized())) {
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (w[i] * rule.scale());
            }
        }
        if (expertScale != null) {
            for (int i = 0; i < w.length; i++) {
                w[i] *= expertScale[chosen[i]];
            }
        }
        return w;
    }

    /** Indices of the k largest values, largest first; ties → lower index first; -inf never chosen. */
    static int[] topK(float[] v, int k) {
        int[] out = new int[k];
        boolean[] used = new boolean[v.length];
        int found = 0;
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int i = 0; i < v.length; i++) {
                if (!used[i] && v[i] != Float.NEGATIVE_INFINITY && (best < 0 || v[i] > v[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            used[best] = true;
            out[found++] = best;
        }
        return found == k ? out : Arrays.copyOf(out, found);
    }

    private static int[] sortBy(int[] idx, float[] c) {
        Integer[] boxed = Arrays.stream(idx).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, (a, b) -> c[a] != c[b] ? Float.compare(c[b], c[a]) : Integer.compare(a, b));
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }
}
