package io.moescope.model.config;

import java.util.Arrays;

/**
 * The hybrid token mixer of Qwen3-Next and Qwen3.5-MoE: {@code layer_types} splits the decoder layers into Gated
 * DeltaNet linear-attention layers and full-attention layers. Both families also gate the full attention's output
 * with a per-head sigmoid gate, rotate only the first {@code rotaryDim} dimensions of each head, and store their
 * RMSNorm weights zero-centred (the norm multiplies by {@code 1 + weight}).
 *
 * @param linearLayers       decoder layers that are linear attention (the rest are full attention), ascending
 * @param convKernel         linear_conv_kernel_dim: the causal depthwise conv over q|k|v looks at this many positions
 * @param keyHeads           linear_num_key_heads
 * @param valueHeads         linear_num_value_heads, a multiple of keyHeads (value head h reads key head h / ratio)
 * @param keyHeadDim         linear_key_head_dim
 * @param valueHeadDim       linear_value_head_dim
 * @param rotaryDim          RoPE width of the full-attention heads: head_dim · partial_rotary_factor
 * @param groupedProjections Qwen3-Next stores q|k|v|z and b|a interleaved per key head ({@code in_proj_qkvz},
 *                           {@code in_proj_ba}); Qwen3.5 stores them apart ({@code in_proj_qkv}, {@code _z},
 *                           {@code _b}, {@code _a})
 * @param tiledValueHeads    value head h reads key head h mod keyHeads (the order llama.cpp's qwen35moe converter
 *                           stores them in) instead of h / (valueHeads / keyHeads) (transformers' order)
 */
public record HybridAttention(
        int[] linearLayers,
        int convKernel,
        int keyHeads,
        int valueHeads,
        int keyHeadDim,
        int valueHeadDim,
        int rotaryDim,
        boolean groupedProjections,
        boolean tiledValueHeads) {

    public HybridAttention {
        linearLayers = linearLayers.clone();
    }

    @Override
    public int[] linearLayers() {
        return linearLayers.clone();
    }

    /** True if decoder layer {@code layer} is a Gated DeltaNet layer. */
    public boolean isLinear(int layer) {
        return Arrays.binarySearch(linearLayers, layer) >= 0;
    }

    /** The key head value head h reads. */
    public int keyHeadOf(int valueHead) {
        return tiledValueHeads ? valueHead % keyHeads : valueHead / (valueHeads / keyHeads);
    }

    /** Width of q and of k: keyHeads · keyHeadDim. */
    public int keyDim() {
        return keyHeads * keyHeadDim;
    }

    /** Width of v, z and the output: valueHeads · valueHeadDim. */
    public int valueDim() {
        return valueHeads * valueHeadDim;
    }

    /** Channels of the causal conv: q|k|v. */
    public int convChannels() {
        return 2 * keyDim() + valueDim();
    }
}
