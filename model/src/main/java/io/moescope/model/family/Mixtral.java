package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;
import java.util.List;

/** {@code mixtral} (spec §5): every layer MoE, w1/w3/w2 = gate/up/down, softmax top-k always renormalised. */
final class Mixtral implements ModelFamily {

    private static final Parts PARTS = new Parts(
            Parts.Attention.STANDARD,
            null,
            List.of(
                    ExpertLayout.perExpert("block_sparse_moe.", "w1", "w3", "w2"),
                    ExpertLayout.fused("block_sparse_moe."),
                    ExpertLayout.fused("mlp."),
                    ExpertLayout.perExpert("mlp.", "gate_proj", "up_proj", "down_proj")),
            Parts.Activation.SWIGLU,
            null,
            "mlp.");

    @Override
    public String modelType() {
        return "mixtral";
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        // intermediate_size is the per-expert width; there is no moe_intermediate_size
        return FamilySettings.forLayers(layers)
                .routed(k.posIntAny("num_local_experts", "num_experts"), k.posInt("intermediate_size"))
                .normTopkProb(true)
                .moeLayers(LayerRules.allLayers(layers))
                .qkvBias(k.optBool("attention_bias", false))
                .layerWindows(LayerRules.optionalWindow(k, layers))
                .build();
    }

    @Override
    public Parts parts() {
        return PARTS;
    }

    @Override
    public RoutingRule routing(ModelConfig c) {
        return RoutingRule.softmaxTopK(c.topK(), true);
    }

    @Override
    public GgufForm gguf() {
        // llama.cpp converts Mixtral to the "llama" architecture with expert_count > 0; q/k rows are permuted
        return GgufForm.of("llama")
                .permutedQk()
                .attention(false)
                .experts("block_sparse_moe.", "w1", "w3", "w2")
                .key("num_local_experts", "expert_count")
                .key("intermediate_size", "feed_forward_length")
                .build();
    }

    @Override
    public String toString() {
        return modelType();
    }
}
