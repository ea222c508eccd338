package io.moescope.model.runtime;

import io.moescope.model.layer.AttentionLayer;
import io.moescope.model.layer.FeedForward;
import io.moescope.model.layer.RmsNorm;

/** h = h + Attn(RMSNorm_in(h)); h = h + FFN(RMSNorm_post(h)). */
record DecoderLayer(int index, RmsNorm inputNorm, AttentionLayer attention, RmsNorm postNorm, FeedForward ffn) {
}
