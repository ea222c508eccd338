package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilyExtras;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.config.ShortConvLayers;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lfm2_moe} (LiquidAI LFM2-8B-A1B; transformers modeling_lfm2_moe.py): {@code layer_types} makes each layer
 * a gated short convolution ({@code conv}) or GQA full attention with per-head q/k RMSNorm ({@code q_layernorm},
 * {@code k_layernorm}) and full-width half-layout RoPE; the first {@code num_dense_layers} layers have a dense SwiGLU
 * MLP ({@code feed_forward.w1/w3/w2}), the rest MoE under {@code feed_forward.}. The router takes sigmoid scores,
 * selects the top k of sigmoid + {@code expert_bias} (when use_expert_bias) and weights the chosen experts by their
 * sigmoid, divided by (their sum + 1e-6) when norm_topk_prob, then × routed_scaling_factor (always). Norms are
 * {@code operator_norm} / {@code ffn_norm}, the final one {@code model.embedding_norm}; no shared expert.
 */
final class Lfm2Moe implements ModelFamily {

    static final String CONV = "conv";
    static final String FULL = "full_attention";
    /** Added to the sum of the chosen sigmoid scores before dividing (Lfm2MoeTopKRouter). */
    static final double NORM_EPSILON = 1e-6;

    private static final String BIAS = "expert_bias";

    private static final Parts PARTS = new Parts(
            Parts.Attention.SHORT_CONV,
            null,
            List.of(
                    ExpertLayout.fused("feed_forward.").withSelectionBias(BIAS),
                    ExpertLayout.perExpert("feed_forward.", "w1", "w3", "w2").withSelectionBias(BIAS)),
            Parts.Activation.SWIGLU,
            null,
            "feed_forward.",
            Parts.RopeLayout.HALF,
            new Parts.Names(
                    "operator_norm.weight",
                    "ffn_norm.weight",
                    "model.embedding_norm.weight",
                    "out_proj",
                    "q_layernorm",
                    "k_layernorm",
                    "w1",
                    "w3",
                    "w2"));

    @Override
    public String modelType() {
        return "lfm2_moe";
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        int dense = k.optInt("num_dense_layers", 2);
        if (dense < 0 || dense > layers) {
            throw k.error("num_dense_layers " + dense + " is outside 0.." + layers);
        }
        if (dense > 0) {
            k.posInt("intermediate_size"); // the dense MLP's width (ConfigParser reads it)
        }
        int[] moe = new int[layers - dense];
        for (int i = 0; i < moe.length; i++) {
            moe[i] = dense + i;
        }
        ShortConvLayers conv = new ShortConvLayers(
                convLayers(k, layers), k.optPosInt("conv_L_cache", 3), k.optBool("conv_bias", false));
        return FamilySettings.forLayers(layers)
                .routed(k.posInt("num_experts"), k.posInt("moe_intermediate_size"))
                .normTopkProb(k.optBool("norm_topk_prob", true))
                .moeLayers(moe)
                .qkNorm(ModelConfig.QkNorm.PER_HEAD)
                .extras(FamilyExtras.shortConv(conv))
                .build();
    }

    /** layer_types (required: the modeling code indexes it per layer), each conv or full_attention. */
    private static int[] convLayers(ConfigKeys k, int layers) throws ModelLoadException {
        List<String> types = k.strings("layer_types");
        if (types == null) {
            throw k.error("missing required key \"layer_types\"");
        }
        if (types.size() != layers) {
            throw k.error("\"layer_types\" has " + types.size() + " entries but num_hidden_layers is " + layers);
        }
        List<Integer> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            String t = types.get(l);
            if (t.equals(CONV)) {
                out.add(l);
            } else if (!t.equals(FULL)) {
                throw k.error("\"layer_types\"[" + l + "] is '" + t + "'; lfm2_moe layers are " + CONV + " or " + FULL);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public Parts parts() {
        return PARTS;
    }

    @Override
    public RoutingRule routing(ModelConfig c) {
        return new RoutingRule(
                false, "greedy", 1, 1, c.topK(), c.normTopkProb(), c.routedScalingFactor(), false, NORM_EPSILON, 0);
    }

    @Override
    public GgufForm gguf() {
        // llama.cpp "lfm2moe" (gguf-py constants.py MODEL_ARCH.LFM2MOE, tensor_mapping.py): the final
        // model.embedding_norm is stored as token_embd_norm; the conv weight [H, 1, L] as shortconv.conv
        String l = GgufForm.L;
        String a = l + "self_attn.";
        String sc = l + "conv.";
        return GgufForm.of("lfm2moe")
                .experts("feed_forward.", "w1", "w3", "w2")
                .without("model.norm.weight")
                .without(l + "input_layernorm.weight")
                .without(l + "post_attention_layernorm.weight")
                .withoutKey("rms_norm_eps")
                .tensor("model.embedding_norm.weight", "token_embd_norm.weight")
                .tensor(l + "operator_norm.weight", "blk.{N}.attn_norm.weight")
                .tensor(l + "ffn_norm.weight", "blk.{N}.ffn_norm.weight")
                .tensor(a + "q_proj.weight", "blk.{N}.attn_q.weight")
                .tensor(a + "k_proj.weight", "blk.{N}.attn_k.weight")
                .tensor(a + "v_proj.weight", "blk.{N}.attn_v.weight")
                .tensor(a + "out_proj.weight", "blk.{N}.attn_output.weight")
                .tensor(a + "q_layernorm.weight", "blk.{N}.attn_q_norm.weight")
                .tensor(a + "k_layernorm.weight", "blk.{N}.attn_k_norm.weight")
                .rowVector(sc + "conv.weight", "blk.{N}.shortconv.conv.weight") // [H, 1, L] stored [H, L]
                .tensor(sc + "in_proj.weight", "blk.{N}.shortconv.in_proj.weight")
                .tensor(sc + "out_proj.weight", "blk.{N}.shortconv.out_proj.weight")
                .tensor(l + "feed_forward.w1.weight", "blk.{N}.ffn_gate.weight")
                .tensor(l + "feed_forward.w3.weight", "blk.{N}.ffn_up.weight")
                .tensor(l + "feed_forward.w2.weight", "blk.{N}.ffn_down.weight")
                .tensor(l + "feed_forward." + BIAS, "blk.{N}.exp_probs_b.bias")
                .key("norm_eps", "attention.layer_norm_rms_epsilon")
                .key("num_experts", "expert_count")
                .key("moe_intermediate_size", "expert_feed_forward_length")
                .key("intermediate_size", "feed_forward_length")
                .key("num_dense_layers", "leading_dense_block_count")
                .key("conv_L_cache", "shortconv.l_cache")
                .key("routed_scaling_factor", "expert_weights_scale")
                .key("norm_topk_prob", "expert_weights_norm")
                .fixed("norm_topk_prob", true) // llama.cpp's lfm2moe always renormalises (v0.4.0 writes no key)
                .build();
    }

    @Override
    public String toString() {
        return modelType();
    }
}
