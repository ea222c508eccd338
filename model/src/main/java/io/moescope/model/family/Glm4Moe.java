package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilyExtras;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;
import java.util.List;

/**
 * {@code glm4_moe} (GLM-4.5, 4.6, 4.5-Air; transformers modeling_glm4_moe.py): GQA with q/k/v biases
 * ({@code attention_bias}), optional per-head q/k RMSNorm ({@code use_qk_norm}) and partial RoPE (the first
 * ⌊head_dim·partial_rotary_factor⌋ dimensions of each head, half layout; 0.5 by default); DeepSeek-V3's router:
 * sigmoid scores, {@code e_score_correction_bias} for the selection only, always group-limited (noaux_tc, top-2 sum
 * per group, {@code n_group}/{@code topk_group}), the chosen sigmoids normalised if {@code norm_topk_prob} (+1e-20)
 * and always × {@code routed_scaling_factor}; {@code n_shared_experts} added unweighted; the first
 * {@code first_k_dense_replace} layers (1 by default) dense. The MTP layer after num_hidden_layers is not read.
 */
final class Glm4Moe implements ModelFamily {

    private static final String BIAS = "gate.e_score_correction_bias";

    private static final Parts PARTS = new Parts(
            Parts.Attention.STANDARD,
            null,
            List.of(
                    ExpertLayout.perExpert("mlp.", "gate_proj", "up_proj", "down_proj")
                            .withSelectionBias(BIAS),
                    ExpertLayout.fused("mlp.").withSelectionBias(BIAS)),
            Parts.Activation.SWIGLU,
            new Parts.SharedExpert("shared_experts.", null),
            "mlp.");

    @Override
    public String modelType() {
        return "glm4_moe";
    }

    @Override
    public String defaultTopkMethod() {
        return "noaux_tc";
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        int routed = k.posIntAny("n_routed_experts", "num_local_experts");
        int width = k.posInt("moe_intermediate_size");
        int shared = k.optInt("n_shared_experts", 1);
        int groups = k.optInt("n_group", 1);
        if (groups > 0 && routed % groups == 0 && routed / groups < 2) {
            throw k.error("n_group " + groups + " leaves " + routed / groups + " expert per group; the group score"
                    + " is the sum of each group's top 2");
        }
        FamilyExtras extras = new FamilyExtras(1, Double.NaN, 1, 1, partialRotary(k), false, 0);
        return FamilySettings.forLayers(layers)
                .routed(routed, width)
                .shared(shared, shared * width)
                .normTopkProb(k.optBool("norm_topk_prob", true))
                .moeLayers(LayerRules.deepseekDense(k, layers, 1))
                .qkvBias(k.optBool("attention_bias", false))
                .qkNorm(k.optBool("use_qk_norm", false) ? ModelConfig.QkNorm.PER_HEAD : ModelConfig.QkNorm.NONE)
                .extras(extras)
                .build();
    }

    /** rope_parameters.partial_rotary_factor, else the top-level key, else Glm4MoeConfig's 0.5. */
    static double partialRotary(ConfigKeys k) throws ModelLoadException {
        double f = k.optDouble("partial_rotary_factor", 0.5);
        if (k.node("rope_parameters") != null && k.node("rope_parameters").has("partial_rotary_factor")) {
            f = k.node("rope_parameters").get("partial_rotary_factor").asDouble();
        }
        int heads = k.posInt("num_attention_heads");
        int headDim = k.has("head_dim") ? k.posInt("head_dim") : k.posInt("hidden_size") / heads;
        int rotary = (int) (headDim * f);
        if (!(f > 0 && f <= 1) || rotary < 2 || rotary % 2 != 0) {
            throw k.error("partial_rotary_factor " + f + " gives a rotary width of " + rotary + " of head_dim "
                    + headDim + "; RoPE needs an even width of at least 2");
        }
        return f;
    }

    @Override
    public Parts parts() {
        return PARTS;
    }

    @Override
    public RoutingRule routing(ModelConfig c) {
        return new RoutingRule(
                false,
                "noaux_tc",
                c.nGroup(),
                c.topkGroup(),
                c.topK(),
                c.normTopkProb(),
                c.routedScalingFactor(),
                false,
                true);
    }

    @Override
    public GgufForm gguf() {
        // llama.cpp "glm4moe" (LLM_ARCH_GLM4_MOE): the norm before the MLP is stored as attn_post_norm, not ffn_norm
        return GgufForm.of("glm4moe")
                .attention(true)
                .experts("mlp.", "gate_proj", "up_proj", "down_proj")
                .denseMlp()
                .shared("mlp.shared_experts.")
                .tensor(GgufForm.L + "post_attention_layernorm.weight", "blk.{N}.post_attention_norm.weight")
                .tensor(GgufForm.L + "self_attn.q_norm.weight", "blk.{N}.attn_q_norm.weight")
                .tensor(GgufForm.L + "self_attn.k_norm.weight", "blk.{N}.attn_k_norm.weight")
                .tensor(GgufForm.L + "mlp." + BIAS, "blk.{N}.exp_probs_b.bias")
                .key("n_routed_experts", "expert_count")
                .key("n_shared_experts", "expert_shared_count")
                .key("moe_intermediate_size", "expert_feed_forward_length")
                .key("intermediate_size", "feed_forward_length")
                .key("first_k_dense_replace", "leading_dense_block_count")
                .key("routed_scaling_factor", "expert_weights_scale")
                .key("norm_topk_prob", "expert_weights_norm")
                .key("n_group", "expert_group_count")
                .key("topk_group", "expert_group_used_count")
                .key("head_dim", "attention.key_length")
                .key("num_nextn_predict_layers", "nextn_predict_layers")
                .build(); // rope.dimension_count is head_dim · partial_rotary_factor, not a copied key
    }

    @Override
    public String toString() {
        return modelType();
    }
}
