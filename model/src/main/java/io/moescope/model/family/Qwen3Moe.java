package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;

/** {@code qwen3_moe} (spec §7): per-head q/k RMSNorm, explicit head_dim, no shared expert. */
final class Qwen3Moe implements ModelFamily {

    private static final Parts PARTS =
            new Parts(Parts.Attention.STANDARD, null, ExpertLayout.mlp(), Parts.Activation.SWIGLU, null, "mlp.");

    @Override
    public String modelType() {
        return "qwen3_moe";
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        int routed = k.posIntAny("num_experts", "num_local_experts");
        return FamilySettings.forLayers(layers)
                .routed(routed, k.posInt("moe_intermediate_size"))
                .normTopkProb(k.optBool("norm_topk_prob", false))
                .moeLayers(LayerRules.qwenSparse(k, layers, routed))
                .qkvBias(k.optBool("attention_bias", false))
                .qkNorm(ModelConfig.QkNorm.PER_HEAD)
                .layerWindows(LayerRules.qwenWindow(k, layers))
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
        return GgufForm.of("qwen3moe")
                .attention(false)
                .experts("mlp.", "gate_proj", "up_proj", "down_proj")
                .denseMlp()
                .tensor(GgufForm.L + "self_attn.q_norm.weight", "blk.{N}.attn_q_norm.weight")
                .tensor(GgufForm.L + "self_attn.k_norm.weight", "blk.{N}.attn_k_norm.weight")
                .key("num_experts", "expert_count")
                .key("moe_intermediate_size", "expert_feed_forward_length")
                .key("head_dim", "attention.key_length")
                .fixed("norm_topk_prob", true)
                .build(); // llama.cpp always renormalises qwen3moe's top-k
    }

    @Override
    public String toString() {
        return modelType();
    }
}
