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
 */
public record RoutingRule(boolean softmax, String method, int nGroup, int topkGroup, int topK, boolean normalize,
                          double scale, boolean scaleOnlyIfNotNormalized, boolean epsilonInNorm) {

    /** The rule of the checkpoint's family (see {@link io.moescope.model.family.ModelFamily#routing}). */
    public static RoutingRule of(ModelConfig c) {
        return c.family().routing(c);
    }
}
