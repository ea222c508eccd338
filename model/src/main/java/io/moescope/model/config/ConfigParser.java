package io.moescope.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.WeightBlockSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a Hugging Face {@code config.json} into a {@link ModelConfig}, checking every value it relies on. */
public final class ConfigParser {

    /** Far above any real checkpoint (DeepSeek-V3 has 61 layers); bounds what a corrupt config can make us allocate. */
    static final int MAX_LAYERS = 10_000;

    private final Path file;
    private final JsonNode root;

    private ConfigParser(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    /** Parses {@code dir/config.json}. */
    public static ModelConfig read(Path dir) throws ModelLoadException {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw ModelLoadException.at(dir, "no config.json: this does not look like a Hugging Face model directory");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            throw ModelLoadException.at(file, "malformed JSON: " + msg);
        }
        if (root == null || !root.isObject()) {
            throw ModelLoadException.at(file, "is not a JSON object");
        }
        return new ConfigParser(file, root).parse();
    }

    private ModelConfig parse() throws ModelLoadException {
        String type = root.path("model_type").asText("");
        Family family = Family.fromModelType(type);
        if (family == null) {
            throw ModelLoadException.at(file, "unsupported model_type '" + type + "'; MoE Scope runs: "
                    + Family.supportedList());
        }
        int hidden = posInt("hidden_size");
        int layers = posInt("num_hidden_layers");
        if (layers > MAX_LAYERS) { // the MoE layer list below holds one entry per layer
            throw ModelLoadException.at(file, "num_hidden_layers " + layers + " is implausible (at most " + MAX_LAYERS
                    + ")");
        }
        int heads = posInt("num_attention_heads");
        int kvHeads = optPosInt("num_key_value_heads", heads);
        int vocab = posInt("vocab_size");
        if (heads % kvHeads != 0) {
            throw ModelLoadException.at(file, "num_attention_heads " + heads + " is not a multiple of num_key_value_heads "
                    + kvHeads);
        }
        int headDim;
        if (root.hasNonNull("head_dim") && !family.usesMla()) {
            headDim = posInt("head_dim");
        } else {
            if (hidden % heads != 0) {
                throw ModelLoadException.at(file, "hidden_size " + hidden + " is not divisible by num_attention_heads "
                        + heads + " and no head_dim is given");
            }
            headDim = hidden / heads;
        }
        if (!family.usesMla() && headDim % 2 != 0) {
            throw ModelLoadException.at(file, "head_dim " + headDim + " is odd; RoPE needs an even width");
        }
        Experts ex = experts(family, hidden);
        int[] moeLayers = moeLayers(family, layers, ex.routed);
        if (moeLayers.length == 0) {
            throw ModelLoadException.at(file, "no MoE layer: this is a dense model, which MoE Scope does not trace");
        }
        boolean qkvBias = family == Family.QWEN2_MOE ? optBool("qkv_bias", true) : optBool("attention_bias", false);
        ModelConfig.QkNorm qkNorm = family == Family.QWEN3_MOE ? ModelConfig.QkNorm.PER_HEAD
                : family == Family.OLMOE ? ModelConfig.QkNorm.FULL : ModelConfig.QkNorm.NONE;
        double clip = root.hasNonNull("clip_qkv") ? root.get("clip_qkv").asDouble() : Double.NaN;
        int window = 0;
        if (family == Family.MIXTRAL && root.hasNonNull("sliding_window")) {
            window = root.get("sliding_window").asInt();
        } else if (family.name().startsWith("QWEN") && optBool("use_sliding_window", false)
                && root.hasNonNull("sliding_window")) {
            window = root.get("sliding_window").asInt();
        }
        ModelConfig.Mla mla = family.usesMla() ? mla() : null;
        return new ModelConfig(family, vocab, hidden, layers, heads, kvHeads, headDim,
                optInt("intermediate_size", 0), ex.width, ex.sharedWidth, ex.shared, ex.routed, ex.topK, ex.normTopk,
                optDouble("routed_scaling_factor", 1.0), root.path("scoring_func").asText("softmax"),
                topkMethod(ex.routed, ex.topK), optInt("n_group", 1), optInt("topk_group", 1), qkvBias, qkNorm, clip,
                window, rope(), optDouble("rms_norm_eps", 1e-6), optPosInt("max_position_embeddings", 4096),
                optBool("tie_word_embeddings", false), optInt("bos_token_id", -1), ids("eos_token_id"), moeLayers, mla,
                fp8Block());
    }

    /** quantization_config.weight_block_size [rows, cols] (FP8 checkpoints), else DeepSeek-V3's 128×128. */
    private WeightBlockSize fp8Block() throws ModelLoadException {
        JsonNode block = root.path("quantization_config").get("weight_block_size");
        if (block == null || block.isNull()) {
            return WeightBlockSize.DEFAULT;
        }
        if (!block.isArray() || block.size() != 2 || !positiveInt(block.get(0)) || !positiveInt(block.get(1))) {
            throw ModelLoadException.at(file, "quantization_config.weight_block_size must be two positive integers "
                    + "[rows, cols], got " + block);
        }
        return new WeightBlockSize(block.get(0).asInt(), block.get(1).asInt());
    }

    private static boolean positiveInt(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt() && n.asInt() > 0;
    }

    private record Experts(int routed, int topK, int width, int shared, int sharedWidth, boolean normTopk) {
    }

    private Experts experts(Family family, int hidden) throws ModelLoadException {
        int routed;
        int width;
        int shared = 0;
        int sharedWidth = 0;
        boolean norm;
        switch (family) {
            case MIXTRAL:
                routed = posIntAny("num_local_experts", "num_experts");
                width = posInt("intermediate_size");
                norm = true;
                break;
            case OLMOE:
                routed = posIntAny("num_experts", "num_local_experts");
                width = posInt("intermediate_size");
                norm = optBool("norm_topk_prob", false);
                break;
            case QWEN2_MOE:
            case QWEN3_MOE:
                routed = posIntAny("num_experts", "num_local_experts");
                width = posInt("moe_intermediate_size");
                norm = optBool("norm_topk_prob", false);
                if (family == Family.QWEN2_MOE) {
                    sharedWidth = optInt("shared_expert_intermediate_size", 0);
                    shared = sharedWidth > 0 ? 1 : 0;
                }
                break;
            default:
                routed = posIntAny("n_routed_experts", "num_local_experts");
                width = posInt("moe_intermediate_size");
                shared = optInt("n_shared_experts", 0);
                sharedWidth = shared * width;
                norm = optBool("norm_topk_prob", family == Family.DEEPSEEK_V3);
                break;
        }
        int topK = posInt("num_experts_per_tok");
        if (topK > routed) {
            throw ModelLoadException.at(file, "num_experts_per_tok " + topK + " exceeds the " + routed + " routed experts");
        }
        return new Experts(routed, topK, width, shared, sharedWidth, norm);
    }

    private int[] moeLayers(Family family, int layers, int routed) throws ModelLoadException {
        List<Integer> out = new ArrayList<>();
        switch (family) {
            case MIXTRAL:
            case OLMOE:
                for (int l = 0; l < layers; l++) {
                    out.add(l);
                }
                break;
            case QWEN2_MOE:
            case QWEN3_MOE: {
                int step = optInt("decoder_sparse_step", 1);
                List<Integer> only = new ArrayList<>();
                root.path("mlp_only_layers").forEach(n -> only.add(n.asInt()));
                for (int l = 0; l < layers; l++) {
                    if (!only.contains(l) && routed > 0 && step > 0 && (l + 1) % step == 0) {
                        out.add(l);
                    }
                }
                break;
            }
            default: {
                int first = optInt("first_k_dense_replace", 0);
                int freq = optInt("moe_layer_freq", 1);
                if (freq <= 0) {
                    throw ModelLoadException.at(file, "moe_layer_freq must be positive, got " + freq);
                }
                for (int l = 0; l < layers; l++) {
                    if (l >= first && l % freq == 0) {
                        out.add(l);
                    }
                }
                break;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** greedy (early V2 remote code spelled it "gready"), group_limited_greedy or noaux_tc, checked against groups. */
    private String topkMethod(int routed, int topK) throws ModelLoadException {
        String m = root.path("topk_method").asText("greedy");
        m = m.equals("gready") ? "greedy" : m;
        if (!m.equals("greedy") && !m.equals("group_limited_greedy") && !m.equals("noaux_tc")) {
            throw ModelLoadException.at(file, "topk_method '" + m + "' is not supported (greedy, group_limited_greedy,"
                    + " noaux_tc)");
        }
        int groups = optInt("n_group", 1);
        int keep = optInt("topk_group", 1);
        if (!m.equals("greedy") && (groups <= 0 || routed % groups != 0 || keep <= 0 || keep > groups
                || (long) keep * (routed / groups) < topK)) {
            throw ModelLoadException.at(file, "topk_method " + m + ": " + routed + " routed experts cannot be split into"
                    + " n_group " + groups + " groups of which topk_group " + keep + " hold num_experts_per_tok " + topK);
        }
        return m;
    }

    private ModelConfig.Mla mla() throws ModelLoadException {
        int qLora = root.hasNonNull("q_lora_rank") ? posInt("q_lora_rank") : 0;
        int rope = posInt("qk_rope_head_dim");
        if (rope % 2 != 0) {
            throw ModelLoadException.at(file, "qk_rope_head_dim " + rope + " is odd; RoPE rotates pairs of dimensions");
        }
        return new ModelConfig.Mla(qLora, posInt("kv_lora_rank"), posInt("qk_nope_head_dim"), rope,
                posInt("v_head_dim"));
    }

    private RopeConfig rope() throws ModelLoadException {
        JsonNode params = root.get("rope_parameters");
        JsonNode scaling = root.get("rope_scaling");
        double theta = optDouble("rope_theta", 10000.0);
        JsonNode s = null;
        if (params != null && params.isObject()) {
            theta = params.path("rope_theta").asDouble(theta);
            s = params;
        } else if (scaling != null && scaling.isObject()) {
            s = scaling;
        }
        if (s == null) {
            return RopeConfig.plain(theta);
        }
        String type = s.hasNonNull("rope_type") ? s.get("rope_type").asText() : s.path("type").asText("default");
        if (!type.equals("default") && !type.equals("yarn") && !type.equals("linear")) {
            throw ModelLoadException.at(file, "rope type '" + type + "' is not supported (default, linear, yarn)");
        }
        double factor = s.path("factor").asDouble(1.0);
        if (!type.equals("default") && factor <= 0) {
            throw ModelLoadException.at(file, "rope scaling factor must be positive, got " + factor);
        }
        return new RopeConfig(theta, type, factor, s.path("original_max_position_embeddings").asInt(0),
                s.path("beta_fast").asDouble(32), s.path("beta_slow").asDouble(1), s.path("mscale").asDouble(0),
                s.path("mscale_all_dim").asDouble(0));
    }

    private int[] ids(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return new int[0];
        }
        if (n.isArray()) {
            int[] out = new int[n.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = n.get(i).asInt();
            }
            return out;
        }
        return new int[] {n.asInt()};
    }

    private int posInt(String key) throws ModelLoadException {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            throw ModelLoadException.at(file, "missing required key \"" + key + "\"");
        }
        if (!n.canConvertToInt() || n.asInt() <= 0) {
            throw ModelLoadException.at(file, "\"" + key + "\" must be a positive integer, got " + n);
        }
        return n.asInt();
    }

    /** The first of several spellings that is present (transformers v5 renames some keys, e.g. num_local_experts). */
    private int posIntAny(String... keys) throws ModelLoadException {
        for (String k : keys) {
            if (root.hasNonNull(k)) {
                return posInt(k);
            }
        }
        return posInt(keys[0]);
    }

    private int optInt(String key, int def) throws ModelLoadException {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.canConvertToInt()) {
            throw ModelLoadException.at(file, "\"" + key + "\" must be an integer, got " + n);
        }
        return n.asInt();
    }

    /** An optional key that, when present, must be a positive integer. */
    private int optPosInt(String key, int def) throws ModelLoadException {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? def : posInt(key);
    }

    private double optDouble(String key, double def) throws ModelLoadException {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isNumber()) {
            throw ModelLoadException.at(file, "\"" + key + "\" must be a number, got " + n);
        }
        return n.asDouble();
    }

    private boolean optBool(String key, boolean def) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? def : n.asBoolean(def);
    }
}
