package io.moescope.model.ggufmodel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.model.config.ConfigParser;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.family.Families;
import io.moescope.model.family.GgufForm;
import io.moescope.model.family.ModelFamily;
import io.moescope.model.gguf.GgufFile;
import io.moescope.model.gguf.GgufTensor;
import io.moescope.model.io.ModelLoadException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A GGUF file's {@code {arch}.*} metadata translated into the config.json keys of its family (through the family's
 * {@link GgufForm}) and parsed by the same {@link ConfigParser} as a directory's config.json. Where llama.cpp
 * hard-codes behaviour the file does not store, the form's {@code fixed} values make the model run as llama.cpp
 * runs the file.
 */
public final class GgufConfig {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** config.json keys every family needs: their GGUF keys must be present. */
    private static final List<String> REQUIRED = List.of(
            "hidden_size",
            "num_hidden_layers",
            "num_attention_heads",
            "num_experts_per_tok",
            "num_local_experts",
            "num_experts",
            "n_routed_experts",
            "moe_intermediate_size",
            "kv_lora_rank",
            "qk_rope_head_dim");

    private GgufConfig() {}

    /** The family llama.cpp's architecture name stands for in this file. */
    public static ModelFamily family(GgufFile gguf) throws ModelLoadException {
        String arch = requireString(gguf, "general.architecture");
        List<ModelFamily> candidates = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>();
        for (ModelFamily f : Families.all()) {
            known.add(f.gguf().arch());
            if (f.gguf().arch().equals(arch)) {
                candidates.add(f);
            }
        }
        if (candidates.isEmpty()) {
            throw ModelLoadException.at(
                    gguf.file(),
                    "unknown architecture '" + arch + "'; MoE Scope opens GGUF files of " + String.join(", ", known));
        }
        if (arch.equals("llama") && gguf.getInt("llama.expert_count", 0) <= 0) {
            throw ModelLoadException.at(
                    gguf.file(),
                    "is a dense llama model (no llama.expert_count); MoE Scope traces "
                            + "mixture-of-experts models only");
        }
        if (arch.equals("deepseek2")) { // V3 semantics: sigmoid scores and a selection bias; else V2
            boolean v3 = gguf.getInt("deepseek2.expert_gating_func", 1) == 2
                    || gguf.tensors().keySet().stream().anyMatch(n -> n.endsWith(".exp_probs_b.bias"));
            return Families.forModelType(v3 ? "deepseek_v3" : "deepseek_v2");
        }
        return candidates.get(0);
    }

    /** The model's configuration from the file's metadata and tensor shapes. */
    public static ModelConfig read(GgufFile gguf) throws ModelLoadException {
        ModelFamily family = family(gguf);
        return ConfigParser.fromJson(gguf.file(), json(gguf, family));
    }

    /** The config.json equivalent of the file's metadata. */
    static ObjectNode json(GgufFile gguf, ModelFamily family) throws ModelLoadException {
        GgufForm form = family.gguf();
        String arch = form.arch();
        ObjectNode c = JSON.objectNode();
        c.put("model_type", family.modelType());
        for (String hf : REQUIRED) {
            String key = form.metadata().get(hf);
            if (key != null && !gguf.has(key)) {
                throw ModelLoadException.at(gguf.file(), "missing required key '" + key + "'");
            }
        }
        for (Map.Entry<String, String> e : form.metadata().entrySet()) {
            if (e.getKey().equals("num_key_value_heads") && hybridLayers(gguf, c, e.getValue())) {
                continue;
            }
            if (gguf.has(e.getValue())) {
                put(gguf, c, e.getKey(), e.getValue());
            }
        }
        if (anyLayerHas(gguf, "attn_q.bias")) { // llama.cpp loads these when present (glm4moe)
            c.put("attention_bias", true);
        }
        if (anyLayerHas(gguf, "attn_q_norm.weight")) { // likewise the per-head q/k norms
            c.put("use_qk_norm", true);
        }
        if (gguf.has(arch + ".expert_gating_func")) {
            c.put("scoring_func", gguf.getInt(arch + ".expert_gating_func") == 2 ? "sigmoid" : "softmax");
        }
        vocab(gguf, c);
        if (family.usesMla()) {
            mla(gguf, arch, c);
        } else if (gguf.has(arch + ".attention.key_length")) {
            c.put("head_dim", gguf.getInt(arch + ".attention.key_length"));
        }
        rope(gguf, arch, c);
        if (form.metadata().containsKey("linear_num_value_heads")) {
            deltaNet(gguf, arch, c);
        }
        if (family.modelType().equals("deepseek_v3")) {
            c.put("topk_method", "noaux_tc");
        } else if (family.modelType().equals("deepseek_v2") && c.path("n_group").asInt(1) > 1) {
            c.put("topk_method", "group_limited_greedy");
        }
        if (family.modelType().startsWith("qwen")) {
            c.set(
                    "mlp_only_layers",
                    denseLayers(gguf, c.path("num_hidden_layers").asInt()));
        }
        c.put("tie_word_embeddings", !gguf.tensors().containsKey("output.weight"));
        if (gguf.has("tokenizer.ggml.bos_token_id")) {
            c.put("bos_token_id", gguf.getInt("tokenizer.ggml.bos_token_id"));
        }
        if (gguf.has("tokenizer.ggml.eos_token_id")) {
            c.put("eos_token_id", gguf.getInt("tokenizer.ggml.eos_token_id"));
        }
        for (Map.Entry<String, Object> e : form.fixed().entrySet()) {
            Object v = e.getValue();
            c.set(e.getKey(), v instanceof Boolean ? JSON.booleanNode((Boolean) v) : JSON.textNode(String.valueOf(v)));
        }
        return c;
    }

    /**
     * LFM2's per-layer head_count_kv, 0 in short-convolution layers (llama.cpp's is_recr test): rebuilds
     * {@code layer_types} (conv / full_attention) and the one kv-head count of the attention layers. False (nothing
     * done) for other files.
     */
    private static boolean hybridLayers(GgufFile gguf, ObjectNode c, String key) throws ModelLoadException {
        Object v = gguf.metadata().get(key);
        if (!(v instanceof List) || !c.path("model_type").asText().equals("lfm2_moe")) {
            return false;
        }
        var types = c.putArray("layer_types");
        Set<Object> heads = new LinkedHashSet<>();
        for (Object h : (List<?>) v) {
            boolean conv = h instanceof Long && (Long) h == 0;
            types.add(conv ? "conv" : "full_attention");
            if (!conv) {
                heads.add(h);
            }
        }
        if (heads.size() != 1 || !(heads.iterator().next() instanceof Long)) {
            throw ModelLoadException.at(
                    gguf.file(),
                    "'" + key + "' has kv-head counts " + heads
                            + " in its attention layers; MoE Scope needs one value");
        }
        c.put("num_key_value_heads", (Long) heads.iterator().next());
        return true;
    }

    private static boolean anyLayerHas(GgufFile gguf, String suffix) {
        return gguf.tensors().keySet().stream().anyMatch(n -> n.startsWith("blk.") && n.endsWith("." + suffix));
    }

    /** A GGUF value (integer, float, bool, string, or a per-layer array whose entries agree) as a config value. */
    private static void put(GgufFile gguf, ObjectNode c, String hf, String key) throws ModelLoadException {
        Object v = gguf.metadata().get(key);
        if (v instanceof List) {
            List<?> list = (List<?>) v;
            if (list.isEmpty() || list.stream().distinct().count() != 1) {
                throw ModelLoadException.at(
                        gguf.file(), "'" + key + "' differs between layers " + list + "; MoE Scope needs one value");
            }
            v = list.get(0);
        }
        if (v instanceof Long) {
            c.put(hf, (Long) v);
        } else if (v instanceof Double) {
            c.put(hf, (Double) v);
        } else if (v instanceof Boolean) {
            c.put(hf, (Boolean) v);
        } else {
            c.put(hf, String.valueOf(v));
        }
    }

    /**
     * vocab_size: the key if present, else the token list, else the embedding; the token list and the embedding
     * must agree, as llama.cpp requires.
     */
    private static void vocab(GgufFile gguf, ObjectNode c) throws ModelLoadException {
        GgufTensor embed = gguf.tensor("token_embd.weight");
        long rows = embed.dimCount() == 2 ? embed.dim(1) : -1;
        if (gguf.has("tokenizer.ggml.tokens")) {
            int tokens = gguf.getArray("tokenizer.ggml.tokens").size();
            if (tokens != rows) {
                throw ModelLoadException.at(
                        gguf.file(),
                        "the vocabulary has " + tokens + " tokens but token_embd.weight " + "has " + rows + " rows");
            }
        }
        if (!c.has("vocab_size")) {
            c.put("vocab_size", rows);
        }
    }

    /** MLA head dims from the old (key/value_length) or new (key/value_length_mla) keys (gguf.md §2.3). */
    private static void mla(GgufFile gguf, String arch, ObjectNode c) throws ModelLoadException {
        String k = arch + ".attention.key_length";
        String v = arch + ".attention.value_length";
        boolean split = gguf.has(k + "_mla");
        int keyLength = split ? gguf.getInt(k + "_mla") : gguf.getInt(requireKey(gguf, k));
        int valueLength = split ? gguf.getInt(v + "_mla") : gguf.getInt(requireKey(gguf, v));
        int rope = c.path("qk_rope_head_dim").asInt();
        c.put("qk_nope_head_dim", keyLength - rope);
        c.put("v_head_dim", valueLength);
        c.put("num_key_value_heads", c.path("num_attention_heads").asInt()); // MLA: one kv head per q head in HF
        if (!c.has("q_lora_rank")) {
            c.putNull("q_lora_rank");
        }
    }

    /**
     * The Gated DeltaNet hybrids (qwen3next, qwen35moe; llama.cpp's load_arch_hparams): the value head width is
     * ssm.inner_size / ssm.time_step_rank, the RoPE width rope.dimension_count of attention.key_length (as
     * partial_rotary_factor), and the layer kinds attention.recurrent_layers where stored, else
     * full_attention_interval (read by the family).
     */
    private static void deltaNet(GgufFile gguf, String arch, ObjectNode c) throws ModelLoadException {
        int inner = gguf.getInt(requireKey(gguf, arch + ".ssm.inner_size"));
        int heads = gguf.getInt(requireKey(gguf, arch + ".ssm.time_step_rank"));
        if (heads <= 0 || inner <= 0 || inner % heads != 0) {
            throw ModelLoadException.at(
                    gguf.file(),
                    "'" + arch + ".ssm.inner_size' " + inner + " is not a multiple of '" + arch
                            + ".ssm.time_step_rank' " + heads);
        }
        c.put("linear_value_head_dim", inner / heads);
        int headDim = c.path("head_dim").asInt(0);
        String rot = arch + ".rope.dimension_count";
        if (gguf.has(rot) && headDim > 0) {
            int dims = gguf.getInt(rot);
            double factor = (double) dims / headDim;
            if ((int) (headDim * factor) != dims) { // the family truncates head_dim · factor
                factor = Math.nextUp(factor);
            }
            c.put("partial_rotary_factor", factor);
        }
        String recurrent = arch + ".attention.recurrent_layers";
        if (gguf.has(recurrent)) {
            var types = c.putArray("layer_types");
            for (Object r : gguf.getArray(recurrent)) {
                types.add(Boolean.TRUE.equals(r) ? "linear_attention" : "full_attention");
            }
        }
    }

    private static void rope(GgufFile gguf, String arch, ObjectNode c) throws ModelLoadException {
        String type = gguf.getString(arch + ".rope.scaling.type", "none");
        if (type.equals("none")) {
            return;
        }
        ObjectNode s = c.putObject("rope_scaling");
        s.put("type", type);
        s.put("factor", gguf.getDouble(requireKey(gguf, arch + ".rope.scaling.factor")));
        if (type.equals("yarn")) {
            s.put("original_max_position_embeddings", gguf.getInt(arch + ".rope.scaling.original_context_length", 0));
            if (gguf.has(arch + ".rope.scaling.yarn_log_multiplier")) { // the converter stores 0.1·mscale_all_dim
                double m = gguf.getDouble(arch + ".rope.scaling.yarn_log_multiplier") / 0.1;
                s.put("mscale_all_dim", m);
                s.put("mscale", m);
            }
        }
    }

    /** Layers without a router (qwen files may have dense layers; llama.cpp itself assumes none). */
    private static com.fasterxml.jackson.databind.node.ArrayNode denseLayers(GgufFile gguf, int layers) {
        var out = JSON.arrayNode();
        for (int l = 0; l < layers; l++) {
            if (!gguf.tensors().containsKey("blk." + l + ".ffn_gate_inp.weight")) {
                out.add(l);
            }
        }
        return out;
    }

    private static String requireKey(GgufFile gguf, String key) throws ModelLoadException {
        if (!gguf.has(key)) {
            throw ModelLoadException.at(gguf.file(), "missing required key '" + key + "'");
        }
        return key;
    }

    private static String requireString(GgufFile gguf, String key) throws ModelLoadException {
        return gguf.getString(requireKey(gguf, key));
    }
}
