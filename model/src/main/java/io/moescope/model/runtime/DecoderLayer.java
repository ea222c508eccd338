package io.moescope.model.runtime;

import io.moescope.model.layer.AttentionLayer;
import io.moescope.model.layer.FeedForward;
import io.moescope.model.layer.RmsNorm;

/**
 * h = h + Attn(RMSNorm_in(h)); h = (h + FFN(RMSNorm_post(h))) · outputScale.
 *
 * @param postNorm    null where the feed-forward reads the residual stream itself (Gemma 4 normalises inside it)
 * @param outputScale the layer's output multiplier (Gemma 4 {@code layer_scalar}), 1 for other families
 */
record DecoderLayer(
        int index, RmsNorm inputNorm, AttentionLayer attention, RmsNorm postNorm, FeedForward ffn, float outputScale) {

    DecoderLayer(int index, RmsNorm inputNorm, AttentionLayer attention, RmsNorm postNorm, FeedForward ffn) {
        this(index, inputNorm, attention, postNorm, ffn, 1f);
    }
}
