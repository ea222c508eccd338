package io.moescope.model.config;

import java.util.Arrays;

/**
 * LFM2's token mixer split: {@code layer_types} marks each decoder layer {@code conv} (a gated short convolution,
 * {@link io.moescope.model.layer.ShortConv}) or {@code full_attention}.
 *
 * @param convLayers decoder layers that are short convolutions (the rest are full attention), ascending
 * @param kernel     conv_L_cache: the causal depthwise conv looks at this many positions (state = kernel − 1 inputs)
 * @param bias       conv_bias: in_proj, the conv and out_proj all have biases
 */
public record ShortConvLayers(int[] convLayers, int kernel, boolean bias) {

    public ShortConvLayers {
        convLayers = convLayers.clone();
        if (kernel <= 0) {
            throw new IllegalArgumentException("conv kernel " + kernel + " must be positive");
        }
    }

    @Override
    public int[] convLayers() {
        return convLayers.clone();
    }

    /** True if decoder layer {@code layer} is a short convolution. */
    public boolean isConv(int layer) {
        return Arrays.binarySearch(convLayers, layer) >= 0;
    }
}
