package io.moescope.model.config;

/**
 * The attention shape of one decoder layer where it differs by layer type (Gemma 4: sliding and full layers have
 * their own head width, kv-head count and RoPE).
 *
 * @param headDim      head width of this layer
 * @param kvHeads      key/value heads of this layer
 * @param valueIsKey   the values are the key projection (Gemma 4 attention_k_eq_v on full layers: no v_proj)
 * @param window       sliding window, 0 = full attention
 * @param rope         RoPE base (and linear factor) of this layer
 * @param ropeFraction proportional RoPE: the first ⌊fraction·headDim/2⌋ pairs rotate (at θ^(−2i/headDim)), the
 *                     rest pass through; NaN for ordinary RoPE over the whole head
 */
public record LayerAttention(
        int headDim, int kvHeads, boolean valueIsKey, int window, RopeConfig rope, double ropeFraction) {}
