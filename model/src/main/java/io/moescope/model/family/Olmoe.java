package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;
import java.util.List;

/** {@code olmoe} (spec §8): full-width q/k RMSNorm, optional clip_qkv, softmax top-k, renormalised iff the flag. */
final class Olmoe implements ModelFamily {

    private static final Parts PARTS = new Parts(
            Parts.Attention.STANDARD,
            null,
            List.of(ExpertLayout.fused("mlp."), ExpertLayout.perExpert("mlp.", "gate_proj", "up_proj", "down_proj")),
            Parts.Activation.SWIGLU,
            null,
            "mlp.");

    @Override
    public String modelType() {
        return "olmoe";
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        double clip = k.has("clip_qkv") ? k.optDouble("clip_qkv", Double.NaN) : Double.NaN;
        return new FamilySettings(
                k.posIntAny("num_experts", "num_local_experts"),
                k.posInt("intermediate_size"),
                0,
                0,
                k.optBool("norm_topk_prob", false),
                LayerRules.allLayers(layers),
                k.optBool("attention_bias", false),
                false,
                ModelConfig.QkNorm.FULL,
                clip,
                LayerRules.window(layers, 0),
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
