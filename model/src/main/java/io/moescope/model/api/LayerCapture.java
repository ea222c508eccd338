package io.moescope.model.api;

import java.util.Arrays;

/**
 * Every number one MoE layer computed for one token, captured on request ({@link CapturePoint}): the vectors the
 * routing trace does not carry (hidden state, each chosen expert's output, the always-on part, the residual) next to
 * the router's own. Arrays are copied in and out. H is the hidden size, E the routed experts, k the chosen ones.
 *
 * @param layer           decoder layer index
 * @param position        absolute position of the token
 * @param rule            how this layer turns logits into weights
 * @param residualIn      the residual stream h entering the feed-forward half (after attention) [H]
 * @param hiddenIn        x = RMSNorm_post(h), what the router and the experts read [H]
 * @param routerLogits    z = W_r x (+ router bias where the family has one) [E]
 * @param scores          softmax(z) or sigmoid(z) [E]
 * @param selectionBias   e_score_correction_bias (DeepSeek-V3): added for choosing only; null where none [E]
 * @param keptGroups      groups kept by group-limited routing, ascending; null without groups
 * @param ablated         experts an intervention excluded in this layer (empty for none)
 * @param forced          experts an intervention forced in this layer, or null
 * @param experts         chosen experts, highest selection score first [k]
 * @param weights         the engine's final gate weights, same order [k]
 * @param expertOutputs   expert_i(x) of each chosen expert, before its weight [k][H]
 * @param routedSum       Σ_i weights[i] · expert_i(x) [H]
 * @param sharedRaw       the shared (always-on) experts' output before any gate; null where none or switched off [H]
 * @param sharedGate      Qwen2-MoE's sigmoid(w_g · x), NaN where the family has no shared gate
 * @param shared          the always-on part as added: sharedRaw · sharedGate (or sharedRaw); null where none [H]
 * @param moeOut          the feed-forward output y as added to the residual stream: routedSum + shared, except in
 *                        Gemma 4, where y = N_post(shared + N_2(routedSum)) with its own RMSNorms [H]
 * @param residualOut     (h + residualMultiplier · y) · outputScale, the residual stream leaving the layer [H]
 * @param expertScale     Gemma 4's per-expert factors on the final weights [E], null for other families
 * @param residualMultiplier Granite's residual_multiplier on y, 1 for other families
 * @param outputScale     Gemma 4's layer_scalar on the layer's output, 1 for other families
 */
public record LayerCapture(
        int layer,
        int position,
        Rule rule,
        float[] residualIn,
        float[] hiddenIn,
        float[] routerLogits,
        float[] scores,
        float[] selectionBias,
        int[] keptGroups,
        int[] ablated,
        int[] forced,
        int[] experts,
        float[] weights,
        float[][] expertOutputs,
        float[] routedSum,
        float[] sharedRaw,
        float sharedGate,
        float[] shared,
        float[] moeOut,
        float[] residualOut,
        float[] expertScale,
        float residualMultiplier,
        float outputScale) {

    /**
     * The layer's routing rule, as the engine applies it.
     *
     * @param softmax                  softmax scores (else sigmoid)
     * @param method                   "greedy", "group_limited_greedy" or "noaux_tc"
     * @param groups                   expert groups (1 without group-limited routing)
     * @param topkGroup                groups kept
     * @param topK                     experts chosen (after any top-k override)
     * @param normalize                chosen weights divided by their sum
     * @param scale                    routed scaling factor
     * @param scaleOnlyIfNotNormalized DeepSeek-V2: scaling only applies without normalisation
     * @param normEpsilon              added to the normalising sum (1e-20 DeepSeek / GLM-4.5, 1e-6 LFM2, else 0)
     */
    public record Rule(
            boolean softmax,
            String method,
            int groups,
            int topkGroup,
            int topK,
            boolean normalize,
            double scale,
            boolean scaleOnlyIfNotNormalized,
            double normEpsilon) {

        /** Whether the weights are multiplied by {@link #scale} after normalisation. */
        public boolean scales() {
            return scale != 1.0 && !(normalize && scaleOnlyIfNotNormalized);
        }
    }

    public LayerCapture {
        residualIn = residualIn.clone();
        hiddenIn = hiddenIn.clone();
        routerLogits = routerLogits.clone();
        scores = scores.clone();
        selectionBias = selectionBias == null ? null : selectionBias.clone();
        keptGroups = keptGroups == null ? null : keptGroups.clone();
        ablated = ablated.clone();
        forced = forced == null ? null : forced.clone();
        experts = experts.clone();
        weights = weights.clone();
        if (expertOutputs.length != experts.length || weights.length != experts.length) {
            throw new IllegalArgumentException(experts.length + " experts but " + weights.length + " weights and "
                    + expertOutputs.length + " outputs");
        }
        expertOutputs = deepCopy(expertOutputs);
        routedSum = routedSum.clone();
        sharedRaw = sharedRaw == null ? null : sharedRaw.clone();
        shared = shared == null ? null : shared.clone();
        moeOut = moeOut.clone();
        residualOut = residualOut.clone();
        expertScale = expertScale == null ? null : expertScale.clone();
    }

    private static float[][] deepCopy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Routed experts E. */
    public int expertCount() {
        return scores.length;
    }

    /** Hidden size H. */
    public int hiddenSize() {
        return hiddenIn.length;
    }

    /** scores + selection bias: what top-k ranks (the scores themselves where there is no bias) [E]. */
    public float[] selectionScores() {
        float[] c = scores.clone();
        if (selectionBias != null) {
            for (int i = 0; i < c.length; i++) {
                c[i] = scores[i] + selectionBias[i];
            }
        }
        return c;
    }

    /** The chosen experts' scores, before normalisation or scaling [k]. */
    public float[] rawWeights() {
        float[] w = new float[experts.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = scores[experts[i]];
        }
        return w;
    }

    /** The raw weights divided by their sum where the rule normalises (else the raw weights) [k]. */
    public float[] normalisedWeights() {
        float[] w = rawWeights();
        if (rule.normalize()) {
            double sum = 0;
            for (float v : w) {
                sum += v;
            }
            double denom = sum + rule.normEpsilon();
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (w[i] / denom);
            }
        }
        return w;
    }

    @Override
    public float[] residualIn() {
        return residualIn.clone();
    }

    @Override
    public float[] hiddenIn() {
        return hiddenIn.clone();
    }

    @Override
    public float[] routerLogits() {
        return routerLogits.clone();
    }

    @Override
    public float[] scores() {
        return scores.clone();
    }

    @Override
    public float[] selectionBias() {
        return selectionBias == null ? null : selectionBias.clone();
    }

    @Override
    public int[] keptGroups() {
        return keptGroups == null ? null : keptGroups.clone();
    }

    @Override
    public int[] ablated() {
        return ablated.clone();
    }

    @Override
    public int[] forced() {
        return forced == null ? null : forced.clone();
    }

    @Override
    public int[] experts() {
        return experts.clone();
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public float[][] expertOutputs() {
        return deepCopy(expertOutputs);
    }

    @Override
    public float[] routedSum() {
        return routedSum.clone();
    }

    @Override
    public float[] sharedRaw() {
        return sharedRaw == null ? null : sharedRaw.clone();
    }

    @Override
    public float[] shared() {
        return shared == null ? null : shared.clone();
    }

    @Override
    public float[] moeOut() {
        return moeOut.clone();
    }

    @Override
    public float[] residualOut() {
        return residualOut.clone();
    }

    @Override
    public float[] expertScale() {
        return expertScale == null ? null : expertScale.clone();
    }

    /** True where the layer has an always-on (shared) part that ran. */
    public boolean hasShared() {
        return shared != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerCapture c
                && c.layer == layer
                && c.position == position
                && c.rule.equals(rule)
                && Arrays.equals(c.hiddenIn, hiddenIn)
                && Arrays.equals(c.routerLogits, routerLogits)
                && Arrays.equals(c.experts, experts)
                && Arrays.equals(c.weights, weights)
                && Arrays.equals(c.residualOut, residualOut);
    }

    @Override
    public int hashCode() {
        return layer * 31 + position * 17 + Arrays.hashCode(experts);
    }

    @Override
    public String toString() {
        return "LayerCapture[layer " + layer + ", position " + position + ", experts " + Arrays.toString(experts)
                + ", weights " + Arrays.toString(weights) + "]";
    }
}
