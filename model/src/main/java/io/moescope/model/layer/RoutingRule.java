package io.moescope.model.layer;

import io.moescope.model.config.Family;
import io.moescope.model.config.ModelConfig;

/**
 * How a family turns router logits into chosen experts and gate weights (spec §1.1–1.3).
 *
 * @param softmax       softmax scores (else sigmoid)
 * @param method        "greedy", "group_limited_greedy" or "noaux_tc"
 * @param normalize     divide the chosen raw weights by their sum (+1e-20)
 * @param scale         multiply the weights by this factor
 * @param scaleOnlyIfNotNormalized DeepSeek-V2's rule: normalisation and scaling are exclusive
 */
public record RoutingRule(boolean softmax, String method, int nGroup, int topkGroup, int topK, boolean normalize,
                          double scale, boolean scaleOnlyIfNotNormalized, boolean epsilonInNorm) {

    public static RoutingRule of(ModelConfig c) {
        Family f = c.family();
        int k = c.topK();
        switch (f) {
            case MIXTRAL:
                return new RoutingRule(true, "greedy", 1, 1, k, true, 1.0, false, false);
            case QWEN2_MOE:
            case QWEN3_MOE:
            case OLMOE:
                return new RoutingRule(true, "greedy", 1, 1, k, c.normTopkProb(), 1.0, false, false);
            case DEEPSEEK:
                return new RoutingRule(c.softmaxScoring(), "greedy", 1, 1, k, k > 1 && c.normTopkProb(), 1.0, false,
                        true);
            case DEEPSEEK_V2:
                return new RoutingRule(c.softmaxScoring(), c.topkMethod(), c.nGroup(), c.topkGroup(), k,
                        k > 1 && c.normTopkProb(), c.routedScalingFactor(), true, true);
            default:
                return new RoutingRule(c.softmaxScoring(), c.topkMethod(), c.nGroup(), c.topkGroup(), k,
                        k > 1 && c.normTopkProb(), c.routedScalingFactor(), false, true);
        }
    }
}
