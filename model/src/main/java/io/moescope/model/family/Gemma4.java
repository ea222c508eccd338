package io.moescope.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.model.config.ConfigKeys;
import io.moescope.model.config.FamilyExtras;
import io.moescope.model.config.FamilySettings;
import io.moescope.model.config.LayerAttention;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.config.RopeConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.layer.RoutingRule;
import io.moescope.model.trace.AlwaysOnPart;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code gemma4_text}, the Gemma 4 MoE text model (transformers modeling_gemma4.py, Gemma4Text*; also read from a
 * multimodal {@code gemma4} config's {@code text_config}, tensors then under {@code model.language_model.}).
 * Sliding and full layers as {@code layer_types} says, each type with its own head width ({@code head_dim} /
 * {@code global_head_dim}), kv heads ({@code num_global_key_value_heads} when {@code attention_k_eq_v}) and RoPE
 * ({@code rope_parameters[type]}: default, or proportional on a fraction of the head); q/k RMSNorm with weights and
 * a weightless v RMSNorm; q·k unscaled; the embedding times √H; norms after attention and around the dense MLP and the
 * experts, which run side by side on every layer; a router on the un-normalised residual stream (RMSNorm without
 * weight, × scale × H^−½, softmax over all experts, top-k renormalised, × per_expert_scale); GELU-tanh everywhere; a
 * per-layer output scalar; logits soft-capped. Per-layer embeddings and kv sharing (the E2B/E4B models) are refused.
 */
final class Gemma4 implements ModelFamily {

    static final String SLIDING = "sliding_attention";
    static final String FULL = "full_attention";

    private static final Parts PARTS = new Parts(
            Parts.Attention.GEMMA4,
            null,
            List.of(new ExpertLayout(ExpertLayout.Kind.FUSED, "", "router.proj.weight", null, null, null, null, null)),
            Parts.Activation.GELU_TANH,
            null,
            "mlp.");

    @Override
    public String modelType() {
        return "gemma4_text";
    }

    @Override
    public String wrapperType() {
        return "gemma4";
    }

    @Override
    public String[] topKKeys() {
        return new String[] {"top_k_experts"};
    }

    @Override
    public FamilySettings settings(ConfigKeys k, int topK, int layers) throws ModelLoadException {
        refuse(k);
        int hidden = k.posInt("hidden_size");
        int heads = k.posInt("num_attention_heads");
        List<String> types = layerTypes(k, layers);
        int[] windows = new int[layers];
        List<LayerAttention> shapes = new ArrayList<>();
        int headDim = k.posInt("head_dim");
        int kv = k.optPosInt("num_key_value_heads", heads);
        boolean kEqV = k.optBool("attention_k_eq_v", false);
        int globalDim = k.optPosInt("global_head_dim", 512);
        int globalKv = kEqV ? k.optPosInt("num_global_key_value_heads", kv) : kv;
        JsonNode perLayer = k.node("per_layer_config");
        for (int l = 0; l < layers; l++) {
            boolean full = types.get(l).equals(FULL);
            windows[l] = full ? 0 : k.posInt("sliding_window");
            int hd = full ? globalDim : headDim;
            int lkv = full ? globalKv : kv;
            if (perLayer != null && perLayer.isObject()) { // as transformers 5.18 saves it: overrides per layer index
                JsonNode o = perLayer.path(String.valueOf(l));
                hd = positive(k, o, "head_dim", l, headDim);
                lkv = positive(k, o, "num_key_value_heads", l, kv);
            }
            if (hd % 2 != 0) {
                throw k.error("layer " + l + " head_dim " + hd + " is odd; RoPE needs an even width");
            }
            if (heads % lkv != 0) {
                throw k.error("num_attention_heads " + heads + " is not a multiple of layer " + l
                        + "'s key/value heads " + lkv + (full ? " (num_global_key_value_heads)" : ""));
            }
            JsonNode rope = rope(k, types.get(l));
            double theta = rope.path("rope_theta").asDouble(full ? 1_000_000.0 : 10_000.0);
            double factor = rope.path("factor").asDouble(1.0);
            String type = rope.path("rope_type").asText("default");
            double fraction = type.equals("proportional")
                    ? rope.path("partial_rotary_factor").asDouble(1.0)
                    : Double.NaN;
            if (!type.equals("default") && !type.equals("proportional")) {
                throw k.error("rope_parameters." + types.get(l) + ".rope_type '" + type
                        + "' is not supported (default, proportional)");
            }
            shapes.add(new LayerAttention(
                    hd, lkv, full && kEqV, windows[l], RopeConfig.plain(theta).withFactor(factor), fraction));
        }
        double cap = k.has("final_logit_softcapping") ? k.optDouble("final_logit_softcapping", 0) : 0;
        FamilyExtras extras = new FamilyExtras(Math.sqrt(hidden), 1.0, 1.0, 1.0, 1.0, false, 0, cap, shapes);
        int[] moe = k.optBool("enable_moe_block", false) ? LayerRules.allLayers(layers) : new int[0];
        return FamilySettings.forLayers(layers)
                .routed(k.posInt("num_experts"), k.posInt("moe_intermediate_size"))
                .shared(1, k.posInt("intermediate_size"))
                .normTopkProb(true)
                .moeLayers(moe)
                .qkNorm(ModelConfig.QkNorm.PER_HEAD)
                .layerWindows(windows)
                .extras(extras)
                .build();
    }

    /** per_layer_config[l][key] if set (a positive integer), else {@code def}. */
    private static int positive(ConfigKeys k, JsonNode o, String key, int l, int def) throws ModelLoadException {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.canConvertToInt() || n.asInt() <= 0) {
            throw k.error("per_layer_config." + l + "." + key + " must be a positive integer, got " + n);
        }
        return n.asInt();
    }

    /** The Gemma 4 features of the small dense models, which this engine does not implement. */
    private static void refuse(ConfigKeys k) throws ModelLoadException {
        if (k.optInt("hidden_size_per_layer_input", 0) > 0) {
            throw k.error("hidden_size_per_layer_input " + k.optInt("hidden_size_per_layer_input", 0)
                    + ": per-layer embeddings (Gemma 4 E2B/E4B) are not supported");
        }
        if (k.optInt("num_kv_shared_layers", 0) > 0) {
            throw k.error("num_kv_shared_layers " + k.optInt("num_kv_shared_layers", 0) + ": kv sharing between "
                    + "layers is not supported");
        }
        if (k.optBool("attention_bias", false)) {
            throw k.error("attention_bias true is not supported (Gemma 4 projections have no biases)");
        }
        if (k.text("use_bidirectional_attention", "").equals("all")) {
            throw k.error("use_bidirectional_attention 'all' is not supported (causal generation only)");
        }
    }

    /** layer_types, or Gemma4TextConfig's default (every 6th layer full); the last layer is always full. */
    private static List<String> layerTypes(ConfigKeys k, int layers) throws ModelLoadException {
        List<String> types = k.strings("layer_types");
        if (types != null && types.size() != layers) {
            throw k.error("\"layer_types\" has " + types.size() + " entries but num_hidden_layers is " + layers);
        }
        List<String> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            String t = types == null ? ((l + 1) % 6 != 0 ? SLIDING : FULL) : types.get(l);
            if (!t.equals(SLIDING) && !t.equals(FULL)) {
                throw k.error(
                        "\"layer_types\"[" + l + "] is '" + t + "'; gemma4 layers are " + SLIDING + " or " + FULL);
            }
            out.add(l == layers - 1 ? FULL : t); // transformers forces the last layer to full attention
        }
        return out;
    }

    /** rope_parameters[type], or the config class's default for it. */
    private static JsonNode rope(ConfigKeys k, String type) throws ModelLoadException {
        JsonNode all = k.node("rope_parameters");
        if (all == null || all.isNull()) {
            return DEFAULT_ROPE.get(type);
        }
        JsonNode r = all.get(type);
        if (r == null || !r.isObject()) {
            throw k.error("rope_parameters has no \"" + type + "\" entry");
        }
        return r;
    }

    private static final JsonNode DEFAULT_ROPE = defaultRope();

    private static JsonNode defaultRope() {
        com.fasterxml.jackson.databind.node.ObjectNode n =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        n.putObject(SLIDING).put("rope_type", "default").put("rope_theta", 10_000.0);
        n.putObject(FULL)
                .put("rope_type", "proportional")
                .put("partial_rotary_factor", 0.25)
                .put("rope_theta", 1_000_000.0);
        return n;
    }

    @Override
    public Parts parts() {
        return PARTS;
    }

    @Override
    public RoutingRule routing(ModelConfig c) {
        return RoutingRule.softmaxTopK(c.topK(), true);
    }

    /** Every Gemma 4 MoE layer runs a dense MLP beside its experts: that is its always-on part. */
    @Override
    public AlwaysOnPart alwaysOn(ModelConfig c, int layer) {
        return c.isMoeLayer(layer) ? AlwaysOnPart.PARALLEL_DENSE_MLP : AlwaysOnPart.DENSE_FFN;
    }

    @Override
    public GgufForm gguf() {
        // gguf-py constants.py (MODEL_ARCH.GEMMA4) and tensor_mapping.py; router.scale and per_expert_scale have no
        // entry there (the converter handles them itself, not verified)
        return GgufForm.of("gemma4")
                .attention(false)
                .tensor(GgufForm.L + "post_attention_layernorm.weight", "blk.{N}.post_attention_norm.weight")
                .tensor(GgufForm.L + "self_attn.q_norm.weight", "blk.{N}.attn_q_norm.weight")
                .tensor(GgufForm.L + "self_attn.k_norm.weight", "blk.{N}.attn_k_norm.weight")
                .tensor(GgufForm.L + "pre_feedforward_layernorm.weight", "blk.{N}.ffn_norm.weight")
                .tensor(GgufForm.L + "post_feedforward_layernorm.weight", "blk.{N}.post_ffw_norm.weight")
                .tensor(GgufForm.L + "pre_feedforward_layernorm_2.weight", "blk.{N}.pre_ffw_norm_2.weight")
                .tensor(GgufForm.L + "post_feedforward_layernorm_1.weight", "blk.{N}.post_ffw_norm_1.weight")
                .tensor(GgufForm.L + "post_feedforward_layernorm_2.weight", "blk.{N}.post_ffw_norm_2.weight")
                .tensor(GgufForm.L + "mlp.gate_proj.weight", "blk.{N}.ffn_gate.weight")
                .tensor(GgufForm.L + "mlp.up_proj.weight", "blk.{N}.ffn_up.weight")
                .tensor(GgufForm.L + "mlp.down_proj.weight", "blk.{N}.ffn_down.weight")
                .tensor(GgufForm.L + "router.proj.weight", "blk.{N}.ffn_gate_inp.weight")
                .tensor(GgufForm.L + "experts.gate_up_proj", "blk.{N}.ffn_gate_up_exps.weight")
                .tensor(GgufForm.L + "experts.down_proj", "blk.{N}.ffn_down_exps.weight")
                .tensor(GgufForm.L + "layer_scalar", "blk.{N}.layer_output_scale.weight")
                .key("num_experts", "expert_count")
                .key("top_k_experts", "expert_used_count")
                .key("moe_intermediate_size", "expert_feed_forward_length")
                .key("intermediate_size", "feed_forward_length")
                .key("sliding_window", "attention.sliding_window")
                .key("head_dim", "attention.key_length_swa")
                .key("global_head_dim", "attention.key_length")
                .key("final_logit_softcapping", "final_logit_softcapping")
                .build();
    }

    @Override
    public String toString() {
        return modelType();
    }
}
