package io.moescope.model.family;

import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Config rules that several families share: which layers are MoE, attention windows, MLA dimensions. */
final class LayerRules {

    private LayerRules() {}

    /** Every layer is MoE (Mixtral, OLMoE, gpt_oss). */
    static int[] allLayers(int layers) {
        int[] out = new int[layers];
        Arrays.setAll(out, l -> l);
        return out;
    }

    /** Qwen: MoE iff l ∉ mlp_only_layers ∧ E > 0 ∧ (l+1) mod decoder_sparse_step == 0 (spec §6). */
    static int[] qwenSparse(ConfigKeys k, int layers, int routed) throws ModelLoadException {
        int step = k.optInt("decoder_sparse_step", 1);
        List<Integer> only = new ArrayList<>();
        if (k.node("mlp_only_layers") != null) {
            k.node("mlp_only_layers").forEach(n -> only.add(n.asInt()));
        }
        List<Integer> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            if (!only.contains(l) && routed > 0 && step > 0 && (l + 1) % step == 0) {
                out.add(l);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** DeepSeek: MoE iff l ≥ first_k_dense_replace ∧ l mod moe_layer_freq == 0 (spec §10.8). */
    static int[] deepseekDense(ConfigKeys k, int layers) throws ModelLoadException {
        return deepseekDense(k, layers, 0);
    }

    /** {@link #deepseekDense(ConfigKeys, int)} with another first_k_dense_replace default (GLM-4.5: 1). */
    static int[] deepseekDense(ConfigKeys k, int layers, int firstDefault) throws ModelLoadException {
        int first = k.optInt("first_k_dense_replace", firstDefault);
        int freq = k.optInt("moe_layer_freq", 1);
        if (freq <= 0) {
            throw k.error("moe_layer_freq must be positive, got " + freq);
        }
        List<Integer> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            if (l >= first && l % freq == 0) {
                out.add(l);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The same window on every layer (0 = full attention). */
    static int[] window(int layers, int window) {
        int[] out = new int[layers];
        Arrays.fill(out, window);
        return out;
    }

    /** sliding_window if the key is set (Mixtral), else full attention. */
    static int[] optionalWindow(ConfigKeys k, int layers) throws ModelLoadException {
        return window(layers, k.has("sliding_window") ? k.optInt("sliding_window", 0) : 0);
    }

    /** Qwen: sliding_window only when use_sliding_window is true. */
    static int[] qwenWindow(ConfigKeys k, int layers) throws ModelLoadException {
        return k.optBool("use_sliding_window", false) ? optionalWindow(k, layers) : window(layers, 0);
    }

    /** MLA dimensions (DeepSeek-V2/V3, spec §3). */
    static ModelConfig.Mla mla(ConfigKeys k) throws ModelLoadException {
        int qLora = k.has("q_lora_rank") ? k.posInt("q_lora_rank") : 0;
        int rope = k.posInt("qk_rope_head_dim");
        if (rope % 2 != 0) {
            throw k.error("qk_rope_head_dim " + rope + " is odd; RoPE rotates pairs of dimensions");
        }
        return new ModelConfig.Mla(
                qLora, k.posInt("kv_lora_rank"), k.posInt("qk_nope_head_dim"), rope, k.posInt("v_head_dim"));
    }
}
