package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;

/** {@code qwen2_moe} (spec §6): q/k/v biases, one sigmoid-gated shared expert, decoder_sparse_step layers. */
final class Qwen2Moe implements ModelFamily {

    private static final Parts PARTS = new Parts(
            Parts.Attention.STANDARD,
            null,
            ExpertLayout.mlp(),
            Parts.Activation.SWIGLU,
            new Parts.SharedExpert("shared_expert.", "shared_expert_gate.weight"),
            "mlp.");

    @Override
    public String modelType() {
        return "qwen2_moe";
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        int routed = k.posIntAny("num_experts", "num_local_experts");
        int sharedWidth = k.optInt("shared_expert_intermediate_size", 0);
        return FamilySettings.forLayers(layers)
                .routed(routed, k.posInt("moe_intermediate_size"))
                .shared(sharedWidth > 0 ? 1 : 0, sharedWidth)
                .normTopkProb(k.optBool("norm_topk_prob", false))
                .moeLayers(LayerRules.qwenSparse(k, layers, routed))
                .qkvBias(k.optBool("qkv_bias", true))
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
        return GgufForm.of("qwen2moe")
                .attention(true)
                .experts("mlp.", "gate_proj", "up_proj", "down_proj")
                .denseMlp()
                .shared("mlp.shared_expert.")
                .rowVector(GgufForm.L + "mlp.shared_expert_gate.weight", "blk.{N}.ffn_gate_inp_shexp.weight")
                .key("num_experts", "expert_count")
                .key("intermediate_size", "feed_forward_length")
                .key("moe_intermediate_size", "expert_feed_forward_length")
                .key("shared_expert_intermediate_size", "expert_shared_feed_forward_length")
                .fixed("norm_topk_prob", false)
                .build(); // llama.cpp never renormalises qwen2moe's top-k
    }

    @Override
    public String toString() {
        return modelType();
    }
}
