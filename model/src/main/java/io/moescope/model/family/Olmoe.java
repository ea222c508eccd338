package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;

/** {@code olmoe} (spec §8): full-width q/k RMSNorm, optional clip_qkv, softmax top-k, renormalised iff the flag. */
final class Olmoe implements ModelFamily {

    private static final Parts PARTS =
            new Parts(Parts.Attention.STANDARD, null, ExpertLayout.mlp(), Parts.Activation.SWIGLU, null, "mlp.");

    @Override
    public String modelType() {
        return "olmoe";
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        double clip = k.has("clip_qkv") ? k.optDouble("clip_qkv", Double.NaN) : Double.NaN;
        return FamilySettings.forLayers(layers)
                .routed(k.posIntAny("num_experts", "num_local_experts"), k.posInt("intermediate_size"))
                .normTopkProb(k.optBool("norm_topk_prob", false))
                .moeLayers(LayerRules.allLayers(layers))
                .qkvBias(k.optBool("attention_bias", false))
                .qkNorm(ModelConfig.QkNorm.FULL)
                .clipQkv(clip)
                .build();
    }

    @Override
    public Parts parts() {
        return PARTS;
    }

    @Override
    public RoutingRule routing(ModelConfig c) {
        return RoutingRule.softmaxTopK(c.topK(), c.normTopkProb());
    }

    @Override
    public GgufForm gguf() {
        return GgufForm.of("olmoe")
                .attention(false)
                .experts("mlp.", "gate_proj", "up_proj", "down_proj")
                .tensor(GgufForm.L + "self_attn.q_norm.weight", "blk.{N}.attn_q_norm.weight")
                .tensor(GgufForm.L + "self_attn.k_norm.weight", "blk.{N}.attn_k_norm.weight")
                .key("num_experts", "expert_count")
                .key("intermediate_size", "feed_forward_length")
                .fixed("norm_topk_prob", false)
                .build(); // llama.cpp never renormalises olmoe's top-k
    }

    @Override
    public String toString() {
        return modelType();
    }
}
