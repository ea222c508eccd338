package io.moescope.model.layer;

import io.moescope.model.config.ModelConfig;

/**
 * How a family turns router logits into chosen experts and gate weights (spec §1.1–1.3).
 *
 * @param softmax       softmax scores (else sigmoid)
 * @param method        "greedy", "group_limited_greedy" or "noaux_tc"
 * @param normalize     divide the chosen raw weights by their sum (+1e-20)
 * @param scale         multiply the weights by this factor
 * @param scaleOnlyIfNotNormalized DeepSeek-V2's rule: normalisation and scaling are exclusive
 * @param normEpsilon   added to the normalising sum: 1e-20 (DeepSeek, GLM-4.5), 1e-6 (LFM2), else 0
 * @param normFloor     the normalising denominator is at least this (ERNIE 4.5: clamp(sum, min=moe_norm_min)), 0 if none
 */
public record RoutingRule(
        boolean softmax,
        String method,
        int nGroup,
        int topkGroup,
        int topK,
        boolean normalize,
        double scale,
        boolean scaleOnlyIfNotNormalized,
        double normEpsilon,
        double normFloor) {

    /** A rule whose normalising sum gets 1e-20 where {@code epsilonInNorm} (DeepSeek, GLM-4.5). */
    public RoutingRule(
            boolean softmax,
            String method,
            int nGroup,
            int topkGroup,
            int topK,
            boolean normalize,
            double scale,
            boolean scaleOnlyIfNotNormalized,
            boolean epsilonInNorm,
            double normFloor) {
        this(
                softmax,
                method,
                nGroup,
                topkGroup,
                topK,
                normalize,
                scale,
                scaleOnlyIfNotNormalized,
                epsilonInNorm ? 1e-20 : 0,
                normFloor);
    }

    /** A rule without a floor on the normalising denominator. */
    public RoutingRule(
            boolean softmax,
            String method,
            int nGroup,
            int topkGroup,
            int topK,
            boolean normalize,
            double scale,
            boolean scaleOnlyIfNotNormalized,
            boolean epsilonInNorm) {
        this(softmax, method, nGroup, topkGroup, topK, normalize, scale, scaleOnlyIfNotNormalized, epsilonInNorm, 0);
    }

    /**
     * Softmax over all experts, greedy top-k, the chosen weights divided by their sum iff {@code normalize}, unscaled:
     * the rule of Mixtral, OLMoE, Qwen, Granite, gpt_oss and Gemma 4.
     */
    public static RoutingRule softmaxTopK(int topK, boolean normalize) {
        return new RoutingRule(true, "greedy", 1, 1, topK, normalize, 1.0, false, false);
    }

    /** The rule of the checkpoint's family (see {@link io.moescope.model.family.ModelFamily#routing}). */
    public static RoutingRule of(ModelConfig c) {
        return c.family().routing(c);
    }
}
