package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;
import java.util.List;

/**
 * {@code qwen3_next} (transformers modeling_qwen3_next.py): layers are Gated DeltaNet linear attention or gated full
 * attention as {@code layer_types} says; full attention has a sigmoid output gate (q_proj gives q and gate per head),
 * per-head q/k norms and partial RoPE; every RMSNorm except the DeltaNet's gated one multiplies by 1 + weight. MoE
 * as Qwen2-MoE (softmax over all experts, top-k, norm_topk_prob — default true here — and one sigmoid-gated shared
 * expert), with decoder_sparse_step / mlp_only_layers.
 */
final class Qwen3Next implements ModelFamily {

    static final Parts PARTS = new Parts(
            Parts.Attention.HYBRID,
            null,
            ExpertLayout.mlp(),
            Parts.Activation.SWIGLU,
            new Parts.SharedExpert("shared_expert.", "shared_expert_gate.weight"),
            "mlp.");

    @Override
    public String modelType() {
        return "qwen3_next";
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        int routed = k.posIntAny("num_experts", "num_local_experts");
        boolean bias = k.optBool("attention_bias", false);
        return FamilySettings.forLayers(layers)
                .routed(routed, k.posInt("moe_intermediate_size"))
                .shared(1, k.posInt("shared_expert_intermediate_size"))
                .normTopkProb(k.optBool("norm_topk_prob", true))
                .moeLayers(LayerRules.qwenSparse(k, layers, routed))
                .qkvBias(bias)
                .outputBias(bias)
                .qkNorm(ModelConfig.QkNorm.PER_HEAD)
                .hybrid(HybridRules.read(k, layers, true))
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
        // llama.cpp "qwen3next" (gguf-py constants.py / tensor_mapping.py, v0.4.0's conversion/qwen.py): the converter
        // splits in_proj_qkvz into attn_qkv (all q, all k, all v; value heads still grouped by key head) and attn_gate
        // (z); older files keep it whole as ssm_in. ssm_ba is in_proj_ba unchanged. llama.cpp always renormalises
        // the top-k weights (build_moe_ffn with norm_w) and has no dense layers.
        String a = GgufForm.L + "linear_attn.";
        return hybridGguf("qwen3next")
                .tensor(a + "in_proj_qkvz.weight", "blk.{N}.ssm_in.weight")
                .tensor(a + "in_proj_qkv.weight", "blk.{N}.attn_qkv.weight")
                .tensor(a + "in_proj_z.weight", "blk.{N}.attn_gate.weight")
                .tensor(a + "in_proj_ba.weight", "blk.{N}.ssm_ba.weight")
                .denseMlp()
                .key("intermediate_size", "feed_forward_length")
                .fixed("norm_topk_prob", true)
                .build();
    }

    /**
     * The GGUF names both hybrid families share, and the converter's value changes: every RMSNorm weight but the
     * DeltaNet's gated one is stored as 1 + w, A_log as −exp(A_log), dt_bias as ssm_dt.bias, the conv [C, 1, K] as
     * [C, K]. ssm.state_size is both DeltaNet head widths in llama.cpp; the value width is read from
     * ssm.inner_size / ssm.time_step_rank (GgufConfig).
     */
    static GgufForm.Builder hybridGguf(String arch) {
        String l = GgufForm.L;
        String a = l + "linear_attn.";
        GgufForm.Builder b = GgufForm.of(arch)
                .attention(false)
                .experts("mlp.", "gate_proj", "up_proj", "down_proj")
                .shared("mlp.shared_expert.")
                .tensor(l + "mlp.shared_expert_gate.weight", "blk.{N}.ffn_gate_inp_shexp.weight")
                .tensor(l + "post_attention_layernorm.weight", "blk.{N}.post_attention_norm.weight")
                .tensor(l + "self_attn.q_norm.weight", "blk.{N}.attn_q_norm.weight")
                .tensor(l + "self_attn.k_norm.weight", "blk.{N}.attn_k_norm.weight")
                .rowVector(a + "conv1d.weight", "blk.{N}.ssm_conv1d.weight")
                .tensor(a + "dt_bias", "blk.{N}.ssm_dt.bias")
                .tensor(a + "A_log", "blk.{N}.ssm_a")
                .stored(a + "A_log", GgufForm.Stored.MINUS_EXP)
                .tensor(a + "norm.weight", "blk.{N}.ssm_norm.weight")
                .tensor(a + "out_proj.weight", "blk.{N}.ssm_out.weight")
                .key("num_experts", "expert_count")
                .key("moe_intermediate_size", "expert_feed_forward_length")
                .key("shared_expert_intermediate_size", "expert_shared_feed_forward_length")
                .key("head_dim", "attention.key_length")
                .key("linear_conv_kernel_dim", "ssm.conv_kernel")
                .key("linear_key_head_dim", "ssm.state_size")
                .key("linear_num_key_heads", "ssm.group_count")
                .key("linear_num_value_heads", "ssm.time_step_rank")
                .key("full_attention_interval", "full_attention_interval");
        for (String norm : List.of(
                "model.norm.weight",
                l + "input_layernorm.weight",
                l + "post_attention_layernorm.weight",
                l + "self_attn.q_norm.weight",
                l + "self_attn.k_norm.weight")) {
            b.stored(norm, GgufForm.Stored.ONE_PLUS);
        }
        return b;
    }

    @Override
    public String toString() {
        return modelType();
    }
}
