package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;
import java.util.List;

/** {@code qwen3_moe} (spec §7): per-head q/k RMSNorm, explicit head_dim, no shared expert. */
final class Qwen3Moe implements ModelFamily {

    private static final Parts PARTS = new Parts(
            Parts.Attention.STANDARD,
            null,
            List.of(ExpertLayout.fused("mlp."), ExpertLayout.perExpert("mlp.", "gate_proj", "up_proj", "down_proj")),
            Parts.Activation.SWIGLU,
            null,
            "mlp.");

    @Override
    public String modelType() {
        return "qwen3_moe";
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        int routed = k.posIntAny("num_experts", "num_local_experts");
        return new FamilySettings(
                routed,
                k.posInt("moe_intermediate_size"),
                0,
                0,
                k.optBool("norm_topk_prob", false),
                LayerRules.qwenSparse(k, layers, routed),
                k.optBool("attention_bias", false),
                false,
                ModelConfig.QkNorm.PER_HEAD,
                Double.NaN,
                LayerRules.qwenWindow(k, layers),
                null);
    }

    @Override
    public Parts parts() {
        return PARTS;
    }

    @Override
    public RoutingRule routing(ModelConfig c) {
        return new RoutingRule(true, "greedy", 1, 1, c.topK(), c.normTopkProb(), 1.0, false, false);
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
