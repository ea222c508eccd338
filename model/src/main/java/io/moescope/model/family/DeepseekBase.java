package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;
import java.util.List;

/**
 * What the three DeepSeek generations share (spec §2–4): n_routed_experts, moe_intermediate_size, plural
 * {@code shared_experts} added with weight 1 (fused width n_shared·I), leading dense layers.
 */
abstract class DeepseekBase implements ModelFamily {

    private final Parts parts;

    DeepseekBase(Parts.Attention attention, ExpertLayout... extra) {
        this.parts = new Parts(
                attention,
                null,
                extra.length > 0 ? List.of(extra) : ExpertLayout.mlp(),
                Parts.Activation.SWIGLU,
                new Parts.SharedExpert("shared_experts.", null),
                "mlp.");
    }

    /** norm_topk_prob's default when the key is absent. */
    abstract boolean normDefault();

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        int width = k.posInt("moe_intermediate_size");
        int shared = k.optInt("n_shared_experts", 0);
        return FamilySettings.forLayers(layers)
                .routed(k.posIntAny("n_routed_experts", "num_local_experts"), width)
                .shared(shared, shared * width)
                .normTopkProb(k.optBool("norm_topk_prob", normDefault()))
                .moeLayers(LayerRules.deepseekDense(k, layers))
                .qkvBias(k.optBool("attention_bias", false))
                .mla(usesMla() ? LayerRules.mla(k) : null)
                .build();
    }

    @Override
    public Parts parts() {
        return parts;
    }

    /**
     * DeepSeek-V2/V3 routing as the config gives it (scoring function, top-k method, groups, routed_scaling_factor),
     * the top-k weights normalised when k &gt; 1 and norm_topk_prob, 1e-20 in the normalising sum; V2 scales only
     * weights it did not normalise ({@code scaleOnlyIfNotNormalized}), V3 scales them all.
     */
    static RoutingRule mlaRouting(ModelConfig c, boolean scaleOnlyIfNotNormalized) {
        int k = c.topK();
        return new RoutingRule(
                c.softmaxScoring(),
                c.topkMethod(),
                c.nGroup(),
                c.topkGroup(),
                k,
                k > 1 && c.normTopkProb(),
                c.routedScalingFactor(),
                scaleOnlyIfNotNormalized,
                true);
    }

    /** Keys and tensors of the llama.cpp {@code deepseek}/{@code deepseek2} forms. */
    GgufForm.Builder ggufBase(String arch) {
        return GgufForm.of(arch)
                .experts("mlp.", "gate_proj", "up_proj", "down_proj")
                .denseMlp()
                .shared("mlp.shared_experts.")
                .key("n_routed_experts", "expert_count")
                .key("n_shared_experts", "expert_shared_count")
                .key("moe_intermediate_size", "expert_feed_forward_length")
                .key("first_k_dense_replace", "leading_dense_block_count")
                .key("intermediate_size", "feed_forward_length")
                .key("routed_scaling_factor", "expert_weights_scale");
    }

    /** MLA tensors (gguf.md §3.3; kv_b_proj as in older converters). */
    static GgufForm.Builder mlaTensors(GgufForm.Builder b) {
        String a = GgufForm.L + "self_attn.";
        return b.tensor(a + "q_proj.weight", "blk.{N}.attn_q.weight")
                .tensor(a + "q_a_proj.weight", "blk.{N}.attn_q_a.weight")
                .tensor(a + "q_a_layernorm.weight", "blk.{N}.attn_q_a_norm.weight")
                .tensor(a + "q_b_proj.weight", "blk.{N}.attn_q_b.weight")
                .tensor(a + "kv_a_proj_with_mqa.weight", "blk.{N}.attn_kv_a_mqa.weight")
                .tensor(a + "kv_a_layernorm.weight", "blk.{N}.attn_kv_a_norm.weight")
                .tensor(a + "kv_b_proj.weight", "blk.{N}.attn_kv_b.weight")
                .tensor(a + "o_proj.weight", "blk.{N}.attn_output.weight")
                .key("q_lora_rank", "attention.q_lora_rank")
                .key("kv_lora_rank", "attention.kv_lora_rank")
                .key("qk_rope_head_dim", "rope.dimension_count")
                .key("norm_topk_prob", "expert_weights_norm")
                .key("scoring_func", "expert_gating_func")
                .key("n_group", "expert_group_count")
                .key("topk_group", "expert_group_used_count");
    }

    @Override
    public String toString() {
        return modelType();
    }
}
