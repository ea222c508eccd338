package io.moescope.model.synth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config.json of each {@code synth --like} preset: the published checkpoints' keys and values (as the
 * transformers configuration classes document them), without tokenizer files. The tensors follow from the config
 * and the family description ({@link TensorPlan}).
 */
final class Presets {

    private Presets() {}

    static List<String> names() {
        return List.of(
                "olmoe-1b-7b",
                "deepseek-v2-lite",
                "qwen1.5-moe-a2.7b",
                "mixtral-8x7b",
                "glm-4.5-air",
                "ernie-4.5-21b-a3b",
                "granite-3.1-3b-a800m",
                "gpt-oss-20b",
                "lfm2-8b-a1b",
                "qwen3.5-35b-a3b",
                "gemma-4-26b-a4b",
                "tiny");
    }

    /** A fresh, mutable config for {@code like}. */
    static Map<String, Object> config(String like) {
        Map<String, Object> c = new LinkedHashMap<>();
        switch (like) {
            case "olmoe-1b-7b" -> {
                c.put("architectures", List.of("OlmoeForCausalLM"));
                c.put("model_type", "olmoe");
                common(c, 50304, 2048, 16, 16, 16, 4096, 1e-5, 10000.0);
                c.put("intermediate_size", 1024);
                c.put("num_experts", 64);
                c.put("num_experts_per_tok", 8);
                c.put("norm_topk_prob", false);
                c.put("clip_qkv", null);
                c.put("attention_bias", false);
                c.put("router_aux_loss_coef", 0.01);
                ids(c, null, 50279, 1);
            }
            case "deepseek-v2-lite" -> {
                c.put("architectures", List.of("DeepseekV2ForCausalLM"));
                c.put("model_type", "deepseek_v2");
                common(c, 102400, 2048, 27, 16, 16, 163840, 1e-6, 10000);
                c.put("intermediate_size", 10944);
                c.put("moe_intermediate_size", 1408);
                c.put("q_lora_rank", null);
                c.put("kv_lora_rank", 512);
                c.put("qk_nope_head_dim", 128);
                c.put("qk_rope_head_dim", 64);
                c.put("v_head_dim", 128);
                c.put("n_routed_experts", 64);
                c.put("n_shared_experts", 2);
                c.put("num_experts_per_tok", 6);
                c.put("first_k_dense_replace", 1);
                c.put("moe_layer_freq", 1);
                c.put("topk_method", "greedy");
                c.put("n_group", 1);
                c.put("topk_group", 1);
                c.put("norm_topk_prob", false);
                c.put("routed_scaling_factor", 1.0);
                c.put("scoring_func", "softmax");
                c.put("aux_loss_alpha", 0.001);
                c.put("seq_aux", true);
                Map<String, Object> yarn = new LinkedHashMap<>();
                yarn.put("type", "yarn");
                yarn.put("factor", 40);
                yarn.put("original_max_position_embeddings", 4096);
                yarn.put("beta_fast", 32);
                yarn.put("beta_slow", 1);
                yarn.put("mscale", 0.707);
                yarn.put("mscale_all_dim", 0.707);
                c.put("rope_scaling", yarn);
                c.put("attention_bias", false);
                ids(c, 100000, 100001, null);
            }
            case "qwen1.5-moe-a2.7b" -> {
                c.put("architectures", List.of("Qwen2MoeForCausalLM"));
                c.put("model_type", "qwen2_moe");
                common(c, 151936, 2048, 24, 16, 16, 8192, 1e-6, 1000000.0);
                c.put("intermediate_size", 5632);
                c.put("moe_intermediate_size", 1408);
                c.put("shared_expert_intermediate_size", 5632);
                c.put("num_experts", 60);
                c.put("num_experts_per_tok", 4);
                c.put("norm_topk_prob", false);
                c.put("decoder_sparse_step", 1);
                c.put("mlp_only_layers", List.of());
                c.put("use_sliding_window", false);
                c.put("sliding_window", 32768);
                c.put("router_aux_loss_coef", 0.001);
                ids(c, 151643, 151643, null);
            }
            case "mixtral-8x7b" -> {
                c.put("architectures", List.of("MixtralForCausalLM"));
                c.put("model_type", "mixtral");
                common(c, 32000, 4096, 32, 32, 8, 32768, 1e-5, 1e6);
                c.put("intermediate_size", 14336);
                c.put("num_local_experts", 8);
                c.put("num_experts_per_tok", 2);
                c.put("sliding_window", null);
                c.put("router_aux_loss_coef", 0.02);
                c.put("router_jitter_noise", 0.0);
                ids(c, 1, 2, null);
            }
            case "glm-4.5-air" -> {
                // zai-org/GLM-4.5-Air (Glm4MoeConfig documents the same sizes); its MTP layer (model.layers.46) is
                // not written: MoE Scope never reads it
                c.put("architectures", List.of("Glm4MoeForCausalLM"));
                c.put("model_type", "glm4_moe");
                common(c, 151552, 4096, 46, 96, 8, 131072, 1e-5, 1000000);
                c.put("head_dim", 128);
                c.put("partial_rotary_factor", 0.5);
                c.put("intermediate_size", 10944);
                c.put("moe_intermediate_size", 1408);
                c.put("n_routed_experts", 128);
                c.put("n_shared_experts", 1);
                c.put("num_experts_per_tok", 8);
                c.put("first_k_dense_replace", 1);
                c.put("n_group", 1);
                c.put("topk_group", 1);
                c.put("norm_topk_prob", true);
                c.put("routed_scaling_factor", 1.0);
                c.put("use_qk_norm", false);
                c.put("attention_bias", true);
                c.put("num_nextn_predict_layers", 1);
                c.put("rope_scaling", null);
                ids(c, null, List.of(151329, 151336, 151338), 151329);
            }
            case "ernie-4.5-21b-a3b" -> {
                // baidu/ERNIE-4.5-21B-A3B-PT (= Ernie4_5_MoeConfig's defaults)
                c.put("architectures", List.of("Ernie4_5_MoeForCausalLM"));
                c.put("model_type", "ernie4_5_moe");
                common(c, 103424, 2560, 28, 20, 4, 131072, 1e-5, 500000.0);
                c.put("head_dim", 128);
                c.put("intermediate_size", 12288);
                c.put("moe_intermediate_size", 1536);
                c.put("moe_num_experts", 64);
                c.put("moe_num_shared_experts", 2);
                c.put("moe_k", 6);
                c.put("moe_layer_start_index", 1);
                c.put("moe_layer_end_index", 27);
                c.put("moe_layer_interval", 1);
                c.put("moe_norm_min", 1e-12);
                c.put("use_bias", false);
                c.put("tie_word_embeddings", true);
                ids(c, 1, 2, 0);
            }
            case "granite-3.1-3b-a800m" -> {
                // ibm-granite/granite-3.1-3b-a800m-instruct
                c.put("architectures", List.of("GraniteMoeForCausalLM"));
                c.put("model_type", "granitemoe");
                common(c, 49155, 1536, 32, 24, 8, 131072, 1e-6, 10000000.0);
                c.put("intermediate_size", 512);
                c.put("num_local_experts", 40);
                c.put("num_experts_per_tok", 8);
                c.put("embedding_multiplier", 12.0);
                c.put("attention_multiplier", 0.015625);
                c.put("residual_multiplier", 0.22);
                c.put("logits_scaling", 6.0);
                c.put("attention_bias", false);
                c.put("tie_word_embeddings", true);
                c.put("router_aux_loss_coef", 0.0);
                ids(c, 0, 0, 0);
            }
            case "gpt-oss-20b" -> {
                // openai/gpt-oss-20b: experts in MXFP4 as released, everything else BF16
                c.put("architectures", List.of("GptOssForCausalLM"));
                c.put("model_type", "gpt_oss");
                common(c, 201088, 2880, 24, 64, 8, 131072, 1e-5, 150000);
                c.put("head_dim", 64);
                c.put("intermediate_size", 2880);
                c.put("num_local_experts", 32);
                c.put("num_experts_per_tok", 4);
                c.put("experts_per_token", 4);
                c.put("sliding_window", 128);
                c.put("layer_types", null); // filled in below, one per layer
                c.put("attention_bias", true);
                c.put("swiglu_limit", 7.0);
                c.put("initial_context_length", 4096);
                c.put("router_aux_loss_coef", 0.9);
                Map<String, Object> yarn = new LinkedHashMap<>();
                yarn.put("rope_type", "yarn");
                yarn.put("factor", 32.0);
                yarn.put("beta_fast", 32.0);
                yarn.put("beta_slow", 1.0);
                yarn.put("truncate", false);
                yarn.put("original_max_position_embeddings", 4096);
                c.put("rope_scaling", yarn);
                c.put(
                        "quantization_config",
                        Map.of(
                                "quant_method",
                                "mxfp4",
                                "modules_to_not_convert",
                                List.of(
                                        "model.layers.*.self_attn",
                                        "model.layers.*.mlp.router",
                                        "model.embed_tokens",
                                        "lm_head")));
                ids(c, 199998, 200002, 199999);
            }
            case "lfm2-8b-a1b" -> {
                // LiquidAI/LFM2-8B-A1B: hidden 2048, 24 layers (2 dense, then MoE), 32 experts of width 1792, top-4
                // (Liquid's LFM2-24B-A2B announcement, which gives the 8B's numbers); the rest are Lfm2MoeConfig's
                // defaults, which the config class documents as LFM2-8B-A1B's. The 6 attention layers (the card's 1:3
                // attention:conv ratio) sit at 2, 6, 10, 14, 18, 21 as recalled from the released config.json (not
                // checked here), as are the token ids. Weights tied (the release spells it tie_embedding).
                c.put("architectures", List.of("Lfm2MoeForCausalLM"));
                c.put("model_type", "lfm2_moe");
                common(c, 65536, 2048, 24, 32, 8, 128000, 1e-5, 1000000.0);
                c.remove("rms_norm_eps");
                c.put("norm_eps", 1e-5);
                c.put("tie_word_embeddings", true);
                c.put("intermediate_size", 7168);
                c.put("moe_intermediate_size", 1792);
                c.put("num_experts", 32);
                c.put("num_experts_per_tok", 4);
                c.put("num_dense_layers", 2);
                c.put("use_expert_bias", true);
                c.put("norm_topk_prob", true);
                c.put("routed_scaling_factor", 1.0);
                c.put("conv_L_cache", 3);
                c.put("conv_bias", false);
                List<Integer> attention = List.of(2, 6, 10, 14, 18, 21);
                String[] types = new String[24];
                for (int l = 0; l < types.length; l++) {
                    types[l] = attention.contains(l) ? "full_attention" : "conv";
                }
                c.put("layer_types", List.of(types));
                ids(c, 1, 7, 0);
            }
            case "qwen3.5-35b-a3b" -> {
                // Qwen/Qwen3.5-35B-A3B, text part (model_type qwen3_5_moe_text): the shapes of THUDM/slime's
                // scripts/models/qwen3.5-35B-A3B.sh (40 layers, hidden 2048, 16 q / 2 kv heads of 256, RoPE on
                // 25 % at theta 1e7, 256 experts of 512 top-8 + a gated shared expert of 512, DeltaNet 16 key /
                // 32 value heads of 128, conv 4, every 4th layer full attention, vocab 248320, eps 1e-6, untied);
                // 262144 positions as the model card lists; the token ids are recalled from the release, not checked
                c.put("architectures", List.of("Qwen3_5MoeForCausalLM"));
                c.put("model_type", "qwen3_5_moe_text");
                common(c, 248320, 2048, 40, 16, 2, 262144, 1e-6, 10000000.0);
                c.remove("rope_theta");
                c.put(
                        "rope_parameters",
                        Map.of("rope_type", "default", "rope_theta", 10000000.0, "partial_rotary_factor", 0.25));
                c.put("head_dim", 256);
                c.put("moe_intermediate_size", 512);
                c.put("shared_expert_intermediate_size", 512);
                c.put("num_experts", 256);
                c.put("num_experts_per_tok", 8);
                c.put("linear_conv_kernel_dim", 4);
                c.put("linear_key_head_dim", 128);
                c.put("linear_value_head_dim", 128);
                c.put("linear_num_key_heads", 16);
                c.put("linear_num_value_heads", 32);
                c.put("full_attention_interval", 4);
                c.put("attention_bias", false);
                String[] types = new String[40];
                for (int l = 0; l < types.length; l++) {
                    types[l] = (l + 1) % 4 == 0 ? "full_attention" : "linear_attention";
                }
                c.put("layer_types", List.of(types));
                ids(c, null, 248046, 248044);
            }
            case "gemma-4-26b-a4b" -> {
                // google/gemma-4-26b-a4b's text model as a text-only gemma4_text config (the release wraps it in a
                // gemma4 config's text_config); numbers: tools/reference/README.md "gemma4"
                c.put("architectures", List.of("Gemma4ForCausalLM"));
                c.put("model_type", "gemma4_text");
                common(c, 262144, 2816, 30, 16, 8, 262144, 1e-6, null);
                c.remove("rope_theta");
                c.remove("hidden_act");
                c.put("hidden_activation", "gelu_pytorch_tanh");
                c.put("tie_word_embeddings", true);
                c.put("head_dim", 256);
                c.put("global_head_dim", 512);
                c.put("num_global_key_value_heads", 2);
                c.put("attention_k_eq_v", true);
                c.put("intermediate_size", 2112);
                c.put("moe_intermediate_size", 704);
                c.put("num_experts", 128);
                c.put("top_k_experts", 8);
                c.put("enable_moe_block", true);
                c.put("sliding_window", 1024);
                c.put("final_logit_softcapping", 30.0);
                c.put("hidden_size_per_layer_input", 0);
                c.put("num_kv_shared_layers", 0);
                c.put("use_bidirectional_attention", "vision");
                Map<String, Object> rope = new LinkedHashMap<>();
                rope.put("sliding_attention", Map.of("rope_type", "default", "rope_theta", 10000.0));
                rope.put(
                        "full_attention",
                        Map.of("rope_type", "proportional", "partial_rotary_factor", 0.25, "rope_theta", 1000000.0));
                c.put("rope_parameters", rope);
                ids(c, 2, 1, 0);
            }
            case "tiny" -> {
                // The shapes of the embedded teaching model (a DeepSeekMoE: d 256, 4 layers, 16 experts of width 128
                // + 2 shared, top-4); the vocabulary is a guess at a small trained BPE.
                c.put("architectures", List.of("DeepseekForCausalLM"));
                c.put("model_type", "deepseek");
                common(c, 8192, 256, 4, 4, 4, 512, 1e-6, 10000.0);
                c.put("intermediate_size", 512);
                c.put("moe_intermediate_size", 128);
                c.put("n_routed_experts", 16);
                c.put("n_shared_experts", 2);
                c.put("num_experts_per_tok", 4);
                c.put("first_k_dense_replace", 0);
                c.put("moe_layer_freq", 1);
                c.put("norm_topk_prob", false);
                c.put("scoring_func", "softmax");
                ids(c, 0, 1, null);
            }
            default -> throw new IllegalArgumentException("unknown --like '" + like + "'; one of " + names());
        }
        return c;
    }

    /**
     * Fits layer_types to {@code layers}: a preset's own list is cut to its first layers (and LFM2's leading dense
     * layers to at most layers − 1, so a cut model keeps an MoE layer); gpt_oss's null one alternates sliding and
     * full attention, sliding first (as the released config lists them).
     */
    @SuppressWarnings("unchecked")
    static void fillLayerTypes(Map<String, Object> c, int layers) {
        if (c.get("layer_types") instanceof List<?> list) {
            if (list.size() > layers) {
                c.put("layer_types", List.copyOf(((List<Object>) list).subList(0, layers)));
            }
            if (c.get("num_dense_layers") instanceof Integer dense && dense >= layers) {
                c.put("num_dense_layers", Math.max(0, layers - 1));
            }
        } else if (c.containsKey("layer_types")) {
            String[] types = new String[layers];
            for (int l = 0; l < layers; l++) {
                types[l] = l % 2 == 0 ? "sliding_attention" : "full_attention";
            }
            c.put("layer_types", List.of(types));
        }
    }

    private static void common(
            Map<String, Object> c,
            int vocab,
            int hidden,
            int layers,
            int heads,
            int kvHeads,
            int maxPositions,
            double eps,
            Object theta) {
        c.put("vocab_size", vocab);
        c.put("hidden_size", hidden);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", heads);
        c.put("num_key_value_heads", kvHeads);
        c.put("max_position_embeddings", maxPositions);
        c.put("rms_norm_eps", eps);
        c.put("rope_theta", theta);
        c.put("tie_word_embeddings", false);
        c.put("hidden_act", "silu");
    }

    private static void ids(Map<String, Object> c, Integer bos, Object eos, Integer pad) {
        c.put("bos_token_id", bos);
        c.put("eos_token_id", eos);
        if (pad != null) {
            c.put("pad_token_id", pad);
        }
    }
}
