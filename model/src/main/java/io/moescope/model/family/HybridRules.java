package io.moescope.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.HybridAttention;
import io.moescope.model.io.ModelLoadException;
import java.util.ArrayList;
import java.util.List;

/** Config rules of the hybrid Qwen families (qwen3_next, qwen3_5_moe_text): layer_types and the DeltaNet shape. */
final class HybridRules {

    static final String LINEAR = "linear_attention";
    static final String FULL = "full_attention";

    /**
     * Not a transformers key: set by the qwen35moe GGUF form, whose converter stores the value heads tiled (value
     * head h reads key head h mod nk) instead of grouped by key head (h / r).
     */
    static final String TILED = "value_heads_tiled";

    /** partial_rotary_factor when neither rope_parameters nor the top level sets it (Qwen3NextConfig's default). */
    private static final double DEFAULT_PARTIAL_ROTARY = 0.25;

    private HybridRules() {}

    /** Reads the hybrid split; {@code grouped} = Qwen3-Next's per-key-head in_proj_qkvz / in_proj_ba. */
    static HybridAttention read(ConfigKeys k, int layers, boolean grouped) throws ModelLoadException {
        int[] linear = linearLayers(k, layers);
        int kHeads = 1;
        int vHeads = 1;
        int kDim = 1;
        int vDim = 1;
        int kernel = 1;
        if (linear.length > 0) {
            kernel = k.posInt("linear_conv_kernel_dim");
            kHeads = k.posInt("linear_num_key_heads");
            vHeads = k.posInt("linear_num_value_heads");
            kDim = k.posInt("linear_key_head_dim");
            vDim = k.posInt("linear_value_head_dim");
            if (vHeads % kHeads != 0) {
                throw k.error(
                        "linear_num_value_heads " + vHeads + " is not a multiple of linear_num_key_heads " + kHeads);
            }
        }
        return new HybridAttention(
                linear, kernel, kHeads, vHeads, kDim, vDim, rotaryDim(k), grouped, k.optBool(TILED, false));
    }

    /** layer_types, else every full_attention_interval-th layer (default 4) is full attention, as the config does. */
    private static int[] linearLayers(ConfigKeys k, int layers) throws ModelLoadException {
        List<String> types = k.strings("layer_types");
        if (types != null && types.size() != layers) {
            throw k.error("\"layer_types\" has " + types.size() + " entries but num_hidden_layers is " + layers);
        }
        int interval = k.optPosInt("full_attention_interval", 4);
        List<Integer> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            String t = types == null ? ((l + 1) % interval != 0 ? LINEAR : FULL) : types.get(l);
            if (t.equals(LINEAR)) {
                out.add(l);
            } else if (!t.equals(FULL)) {
                throw k.error("\"layer_types\"[" + l + "] is '" + t + "'; layers are " + LINEAR + " or " + FULL);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * head_dim · partial_rotary_factor, truncated as transformers does; the factor comes from rope_parameters first,
     * then the top level (save_pretrained writes both, and the top-level one may be a stale default).
     */
    private static int rotaryDim(ConfigKeys k) throws ModelLoadException {
        int headDim =
                k.has("head_dim") ? k.posInt("head_dim") : k.posInt("hidden_size") / k.posInt("num_attention_heads");
        JsonNode params = k.node("rope_parameters");
        double factor = params != null && params.hasNonNull("partial_rotary_factor")
                ? params.get("partial_rotary_factor").asDouble()
                : k.optDouble("partial_rotary_factor", DEFAULT_PARTIAL_ROTARY);
        int dim = (int) (headDim * factor);
        if (factor <= 0 || factor > 1 || dim < 2 || dim % 2 != 0) {
            throw k.error("partial_rotary_factor " + factor + " gives a RoPE width of " + dim + " of head_dim "
                    + headDim + "; it must be a positive even width");
        }
        return dim;
    }
}
