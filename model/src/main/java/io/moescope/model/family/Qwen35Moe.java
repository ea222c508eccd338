package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;

/**
 * {@code qwen3_5_moe_text}, the text model of Qwen3.5-MoE as transformers' text-only class Qwen3_5MoeForCausalLM
 * saves it (tensors under {@code model.}; modeling_qwen3_5_moe.py): the Qwen3-Next hybrid with the DeltaNet's
 * projections stored apart ({@code in_proj_qkv}, {@code in_proj_z}, {@code in_proj_b}, {@code in_proj_a}), every
 * layer MoE, and the top-k weights always renormalised (the config has no norm_topk_prob).
 */
final class Qwen35Moe implements ModelFamily {

    @Override
    public String modelType() {
        return "qwen3_5_moe_text";
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        boolean bias = k.optBool("attention_bias", false);
        return FamilySettings.forLayers(layers)
                .routed(k.posIntAny("num_experts", "num_local_experts"), k.posInt("moe_intermediate_size"))
                .shared(1, k.posInt("shared_expert_intermediate_size"))
                .normTopkProb(true)
                .moeLayers(LayerRules.allLayers(layers))
                .qkvBias(bias)
                .outputBias(bias)
                .qkNorm(ModelConfig.QkNorm.PER_HEAD)
                .hybrid(HybridRules.read(k, layers, false))
                .build();
    }

    @Override
    public Parts parts() {
        return Qwen3Next.PARTS;
    }

    @Override
    public RoutingRule routing(ModelConfig c) {
        return RoutingRule.softmaxTopK(c.topK(), true);
    }

    @Override
    public GgufForm gguf() {
        // llama.cpp "qwen35moe" (v0.4.0's conversion/qwen.py): the projections stay apart, but the converter moves
        // the value heads from grouped-by-key-head order (g·r + j) to tiled order (j·nk + g) in every tensor that has
        // them (v rows of attn_qkv and of the conv, attn_gate, ssm_beta/alpha, ssm_a, ssm_dt, ssm_out's columns);
        // llama.cpp then pairs value head h with key head h mod nk, and so does the engine (value_heads_tiled)
        String a = GgufForm.L + "linear_attn.";
        return Qwen3Next.hybridGguf("qwen35moe")
                .fixed(HybridRules.TILED, true)
                .tensor(a + "in_proj_qkv.weight", "blk.{N}.attn_qkv.weight")
                .tensor(a + "in_proj_z.weight", "blk.{N}.attn_gate.weight")
                .tensor(a + "in_proj_b.weight", "blk.{N}.ssm_beta.weight")
                .tensor(a + "in_proj_a.weight", "blk.{N}.ssm_alpha.weight")
                .build();
    }

    @Override
    public String toString() {
        return modelType();
    }
}
