package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;
import java.util.List;

/**
 * {@code gpt_oss} (transformers modeling_gpt_oss.py): GQA with q/k/v/o biases and a learned sink logit per head,
 * sliding-window and full layers as {@code layer_types} says, YaRN RoPE (half layout); router linear with bias,
 * top-k over the logits then softmax over the k chosen (= the full softmax renormalised over them); experts with
 * biases and the clamped SwiGLU, gate/up interleaved; no shared expert. Experts are stored fused and transposed
 * (BF16/F32, as transformers saves them) or in MXFP4 (the released checkpoints).
 */
final class GptOss implements ModelFamily {

    private static final String SLIDING = "sliding_attention";
    private static final String FULL = "full_attention";

    private static final Parts PARTS = new Parts(
            Parts.Attention.STANDARD,
            "sinks",
            List.of(
                    new ExpertLayout(
                            ExpertLayout.Kind.MXFP4, "mlp.", "router.weight", "router.bias", null, null, null, null),
                    new ExpertLayout(
                            ExpertLayout.Kind.FUSED_TRANSPOSED,
                            "mlp.",
                            "router.weight",
                            "router.bias",
                            null,
                            null,
                            null,
                            null),
                    // GGUF (gguf() below): per-expert gate/up/down with experts.{gate,up,down}_proj_bias
                    new ExpertLayout(
                            ExpertLayout.Kind.SPLIT_BIASED,
                            "mlp.",
                            "router.weight",
                            "router.bias",
                            null,
                            "gate_proj",
                            "up_proj",
                            "down_proj")),
            Parts.Activation.CLAMPED_SWIGLU,
            null,
            "mlp.");

    @Override
    public String modelType() {
        return "gpt_oss";
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        boolean bias = k.optBool("attention_bias", true);
        return FamilySettings.forLayers(layers)
                .routed(k.posIntAny("num_local_experts", "num_experts"), k.posInt("intermediate_size"))
                .normTopkProb(true)
                .moeLayers(LayerRules.allLayers(layers))
                .qkvBias(bias)
                .outputBias(bias)
                .layerWindows(windows(k, layers))
                .build();
    }

    /** layer_types (default: sliding on even layers, full on odd ones, as GptOssConfig fills it in). */
    private static int[] windows(ConfigKeys k, int layers) throws ModelLoadException {
        List<String> types = k.strings("layer_types");
        if (types != null && types.size() != layers) {
            throw k.error("\"layer_types\" has " + types.size() + " entries but num_hidden_layers is " + layers);
        }
        int[] out = new int[layers];
        for (int l = 0; l < layers; l++) {
            String t = types == null ? (l % 2 == 0 ? SLIDING : FULL) : types.get(l);
            if (t.equals(SLIDING)) {
                out[l] = k.posInt("sliding_window");
            } else if (!t.equals(FULL)) {
                throw k.error(
                        "\"layer_types\"[" + l + "] is '" + t + "'; gpt_oss layers are " + SLIDING + " or " + FULL);
            }
        }
        return out;
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
        // llama.cpp "gpt-oss" as its converter writes it (checked: make_gguf_recent.py): gate_up split into gate and
        // up stacks (de-interleaved), biases as [E, I] / [E, H] matrices, experts kept in MXFP4; read through the
        // per-expert layout below
        String e = GgufForm.L + "mlp.experts.";
        return GgufForm.of("gpt-oss")
                .attention(true)
                .tensor(GgufForm.L + "post_attention_layernorm.weight", "blk.{N}.post_attention_norm.weight")
                .tensor(GgufForm.L + "self_attn.o_proj.bias", "blk.{N}.attn_output.bias")
                .tensor(GgufForm.L + "self_attn.sinks", "blk.{N}.attn_sinks.weight")
                .tensor(GgufForm.L + "mlp.router.weight", "blk.{N}.ffn_gate_inp.weight")
                .tensor(GgufForm.L + "mlp.router.bias", "blk.{N}.ffn_gate_inp.bias")
                .tensor(e + "{E}.gate_proj.weight", "blk.{N}.ffn_gate_exps.weight")
                .tensor(e + "{E}.up_proj.weight", "blk.{N}.ffn_up_exps.weight")
                .tensor(e + "{E}.down_proj.weight", "blk.{N}.ffn_down_exps.weight")
                .tensor(e + "gate_proj_bias", "blk.{N}.ffn_gate_exps.bias")
                .tensor(e + "up_proj_bias", "blk.{N}.ffn_up_exps.bias")
                .tensor(e + "down_proj_bias", "blk.{N}.ffn_down_exps.bias") // read by ExpertLoader.split
                .key("num_local_experts", "expert_count")
                .key("intermediate_size", "expert_feed_forward_length")
                .key("sliding_window", "attention.sliding_window")
                .key("head_dim", "attention.key_length")
                .build();
    }

    @Override
    public String toString() {
        return modelType();
    }
}
