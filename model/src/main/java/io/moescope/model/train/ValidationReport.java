package io.moescope.model.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;

/**
 * Result of {@link Validation#run}.
 *
 * @param domains per-domain validation loss against the unigram baseline
 * @param layers  per-MoE-layer routing statistics
 */
public record ValidationReport(
        String model, int windowsPerDomain, int seq, List<DomainResult> domains, List<LayerResult> layers) {

    /**
     * @param loss        mean next-token cross-entropy (nats) on the held-out slice
     * @param unigramLoss cross-entropy of the add-one-smoothed unigram distribution of the domain's training tokens
     */
    public record DomainResult(String name, int tokens, double loss, double unigramLoss) {}

    /**
     * @param top1         per domain: fraction of tokens whose first-choice expert is e ([E])
     * @param meanJs       Jensen–Shannon divergence (bits) of the top-1 distributions averaged over domain pairs
     * @param load         expert load counts over all k slots of all validation tokens ([E])
     * @param maxOverMean  max load / mean load
     * @param deadExperts  experts chosen by no validation token
     * @param rankShares   mean share of a token's total gate weight held by its heaviest, 2nd … k-th chosen expert
     *                     ([k], sums to 1; 1 − rankShares[0] is how much the top-k mixes)
     */
    public record LayerResult(
            int layer,
            Map<String, double[]> top1,
            double meanJs,
            int[] load,
            double maxOverMean,
            int deadExperts,
            double[] rankShares) {}

    /** Pretty-printed JSON. */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
