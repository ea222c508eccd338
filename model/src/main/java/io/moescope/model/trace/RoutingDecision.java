package io.moescope.model.trace;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one MoE layer did with one token. Immutable: the arrays are copied in (the engine reuses its buffers) and
 * every array accessor returns a copy, so read each once per event; {@link #expertCount()}, {@link #topK()},
 * {@link #expert(int)} and {@link #score(int)} read without copying.
 *
 * @param routerLogits     z = W_r x, one per routed expert [E]
 * @param scores           softmax(z) or sigmoid(z), the full distribution [E]
 * @param selectionScores  scores + e_score_correction_bias where the model has a bias (noaux_tc), else null [E]
 * @param keptGroups       expert groups kept by group-limited routing, else null
 * @param experts          chosen experts, highest selection score first (ties: lower index first) [k]
 * @param weights          final gate weights in the same order as experts [k]
 * @param routedNorm       L2 norm of sum_i weights[i] * expert_i(x)
 * @param sharedNorm       L2 norm of the shared-expert output (after Qwen's sigmoid gate); 0 if no shared expert
 * @param sharedGate       Qwen2-MoE's sigmoid shared gate, NaN where the model has none
 *
 * A decision imported from a serving-engine recording carries only the chosen experts: routerLogits and scores
 * are empty ({@link #hasScores()} is false), weights are NaN where the source has none, norms are NaN.
 */
public record RoutingDecision(
        long sequenceId,
        int position,
        int layer,
        float[] routerLogits,
        float[] scores,
        float[] selectionScores,
        int[] keptGroups,
        int[] experts,
        float[] weights,
        float routedNorm,
        float sharedNorm,
        float sharedGate)
        implements TraceEvent {

    public RoutingDecision {
        if (experts.length != weights.length) {
            throw new IllegalArgumentException(experts.length + " experts but " + weights.length + " weights");
        }
        if (routerLogits.length != scores.length) {
            throw new IllegalArgumentException(routerLogits.length + " logits but " + scores.length + " scores");
        }
        routerLogits = routerLogits.clone();
        scores = scores.clone();
        selectionScores = selectionScores == null ? null : selectionScores.clone();
        keptGroups = keptGroups == null ? null : keptGroups.clone();
        experts = experts.clone();
        weights = weights.clone();
    }

    @Override
    public float[] routerLogits() {
        return routerLogits.clone();
    }

    @Override
    public float[] scores() {
        return scores.clone();
    }

    /** A copy, or null where the model has no selection bias. */
    @Override
    public float[] selectionScores() {
        return selectionScores == null ? null : selectionScores.clone();
    }

    /** A copy, or null without group-limited routing. */
    @Override
    public int[] keptGroups() {
        return keptGroups == null ? null : keptGroups.clone();
    }

    @Override
    public int[] experts() {
        return experts.clone();
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    /** The j-th chosen expert, without copying. */
    public int expert(int j) {
        return experts[j];
    }

    /** The score of expert e, without copying. */
    public float score(int e) {
        return scores[e];
    }

    /** Experts chosen, k. */
    public int topK() {
        return experts.length;
    }

    /** True where the model has a shared-expert gate (Qwen2-MoE). */
    public boolean hasSharedGate() {
        return !Float.isNaN(sharedGate);
    }

    /** Share of the MoE output norm that came from the shared experts: shared / (shared + routed), in [0,1]. */
    public float sharedShare() {
        float total = sharedNorm + routedNorm;
        return total <= 0f ? 0f : sharedNorm / total;
    }

    /** False for a decision recorded without the router's distribution (ids only, see the class comment). */
    public boolean hasScores() {
        return scores.length > 0;
    }

    /** Number of routed experts E (0 when {@link #hasScores()} is false). */
    public int expertCount() {
        return scores.length;
    }

    /** Same values in every field (arrays compared by content). */
    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingDecision d
                && d.sequenceId == sequenceId
                && d.position == position
                && d.layer == layer
                && Arrays.equals(d.routerLogits, routerLogits)
                && Arrays.equals(d.scores, scores)
                && Arrays.equals(d.selectionScores, selectionScores)
                && Arrays.equals(d.keptGroups, keptGroups)
                && Arrays.equals(d.experts, experts)
                && Arrays.equals(d.weights, weights)
                && Float.compare(d.routedNorm, routedNorm) == 0
                && Float.compare(d.sharedNorm, sharedNorm) == 0
                && Float.compare(d.sharedGate, sharedGate) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequenceId, position, layer, Arrays.hashCode(experts), Arrays.hashCode(scores));
    }

    @Override
    public String toString() {
        return "RoutingDecision[seq " + sequenceId + ", position " + position + ", layer " + layer + ", experts "
                + Arrays.toString(experts) + ", weights " + Arrays.toString(weights) + "]";
    }
}
