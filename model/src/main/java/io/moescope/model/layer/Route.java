package io.moescope.model.layer;

/**
 * One token's routing in one MoE layer.
 *
 * @param scores          softmax/sigmoid of the logits [E]
 * @param selectionScores scores + bias where a bias exists (else the same array as scores) [E]
 * @param keptGroups      groups kept by group-limited routing, null for greedy
 * @param experts         chosen experts, highest selection score first [k]
 * @param weights         final gate weights [k]
 */
public record Route(float[] scores, float[] selectionScores, int[] keptGroups, int[] experts, float[] weights) {}
