package io.moescope.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.family.Families;
import io.moescope.model.family.ModelFamily;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.WeightBlockSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a Hugging Face {@code config.json} into a {@link ModelConfig}, checking every value it relies on. The keys
 * all families share are read here; the family description ({@link ModelFamily#settings}) reads its own.
 */
public final class ConfigParser {

    /** Far above any real checkpoint (DeepSeek-V3 has 61 layers); bounds what a corrupt config can make us allocate. */
    static final int MAX_LAYERS = 10_000;

    private final Path file;
    private final JsonNode root;
    private final ConfigKeys keys;

    private ConfigParser(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
        this.keys = new ConfigKeys(file, root);
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
        return parse(file, root);
    }

    /** Parses a config already read as JSON; {@code file} names it in errors (synth parses its presets so). */
    public static ModelConfig parse(Path file, JsonNode root) throws ModelLoadException {
        return new ConfigParser(file, root).parse();
    }

    /**
     * Parses a config.json-shaped object that did not come from a file of that name (a GGUF file's metadata
     * translated to config.json keys); errors name {@code file}.
     */
    public static ModelConfig fromJson(Path file, JsonNode root) throws ModelLoadException {
        return new ConfigParser(file, root).parse();
    }

    private ModelConfig parse() throws ModelLoadException {
        String type = root.path("model_type").asText("");
        ModelFamily family = Families.forModelType(type);
        ModelFamily wrapped = family == null ? Families.forWrapperType(type) : null;
        if (wrapped != null) { // a multimodal config (Gemma 4): the text model's keys are under text_config
            JsonNode text = root.get("text_config");
            if (text == null || !text.isObject()) {
                throw ModelLoadException.at(file, "model_type '" + type + "' needs a \"text_config\" object");
            }
            if (!wrapped.modelType().equals(text.path("model_type").asText(wrapped.modelType()))) {
                throw ModelLoadException.at(
                        file,
                        "text_config.model_type is '" + text.path("model_type").asText() + "'; model_type '" + type
                                + "' wraps " + wrapped.modelType());
            }
            com.fasterxml.jackson.databind.node.ObjectNode inner = text.deepCopy();
            inner.put("model_type", wrapped.modelType());
            return new ConfigParser(file, inner).parse();
        }
        if (family == null) {
            throw ModelLoadException.at(
                    file, "unsupported model_type '" + type + "'; MoE Scope runs: " + Families.supportedList());
        }
        int hidden = posInt("hidden_size");
        int layers = posInt("num_hidden_layers");
        if (layers > MAX_LAYERS) { // the MoE layer list below holds one entry per layer
            throw ModelLoadException.at(
                    file, "num_hidden_layers " + layers + " is implausible (at most " + MAX_LAYERS + ")");
        }
        int heads = posInt("num_attention_heads");
        int kvHeads = optPosInt("num_key_value_heads", heads);
        int vocab = posInt("vocab_size");
        if (heads % kvHeads != 0) {
            throw ModelLoadException.at(
                    file, "num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        int headDim;
        if (root.hasNonNull("head_dim") && !family.usesMla()) {
            headDim = posInt("head_dim");
        } else {
            if (hidden % heads != 0) {
                throw ModelLoadException.at(
                        file,
                        "hidden_size " + hidden + " is not divisible by num_attention_heads " + heads
                                + " and no head_dim is given");
            }
            headDim = hidden / heads;
        }
        if (!family.usesMla() && headDim % 2 != 0) {
            throw ModelLoadException.at(file, "head_dim " + headDim + " is odd; RoPE needs an even width");
        }
        int topK = keys.posIntAny(family.topKKeys());
        FamilySettings f = family.settings(keys, topK, layers);
        if (topK > f.routedExperts()) {
            throw ModelLoadException.at(
                    file, family.topKKeys()[0] + " " + topK + " exceeds the " + f.routedExperts() + " routed experts");
        }
        if (f.moeLayers().length == 0) {
            throw ModelLoadException.at(file, "no MoE layer: this is a dense model, which MoE Scope does not trace");
        }
        int[] windows = f.layerWindows();
        int window = 0;
        for (int w : windows) {
            window = Math.max(window, w);
        }
        return new ModelConfig(
                family,
                vocab,
                hidden,
                layers,
                heads,
                kvHeads,
                headDim,
                optInt("intermediate_size", 0),
                f.expertWidth(),
                f.sharedWidth(),
                f.sharedExperts(),
                f.routedExperts(),
                topK,
                f.normTopkProb(),
                optDouble("routed_scaling_factor", 1.0),
                root.path("scoring_func").asText("softmax"),
                topkMethod(family, f.routedExperts(), topK),
                optInt("n_group", 1),
                optInt("topk_group", 1),
                f.qkvBias(),
                f.qkNorm(),
                f.clipQkv(),
                window,
                rope(),
                optDouble("rms_norm_eps", optDouble("norm_eps", 1e-6)),
                optPosInt("max_position_embeddings", 4096),
                optBool("tie_word_embeddings", false),
                optInt("bos_token_id", -1),
                keys.ids("eos_token_id"),
                f.moeLayers(),
                f.mla(),
                fp8Block(),
                f.outputBias(),
                windows,
                f.hybrid(),
                f.extras());
    }

    /** quantization_config.weight_block_size [rows, cols] (FP8 checkpoints), else DeepSeek-V3's 128×128. */
    private WeightBlockSize fp8Block() throws ModelLoadException {
        JsonNode block = root.path("quantization_config").get("weight_block_size");
        if (block == null || block.isNull()) {
            return WeightBlockSize.DEFAULT;
        }
        if (!block.isArray() || block.size() != 2 || !positiveInt(block.get(0)) || !positiveInt(block.get(1))) {
            throw ModelLoadException.at(
                    file,
                    "quantization_config.weight_block_size must be two positive integers " + "[rows, cols], got "
                            + block);
        }
        return new WeightBlockSize(block.get(0).asInt(), block.get(1).asInt());
    }

    private static boolean positiveInt(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt() && n.asInt() > 0;
    }

    /** greedy (early V2 remote code spelled it "gready"), group_limited_greedy or noaux_tc, checked against groups. */
    private String topkMethod(ModelFamily family, int routed, int topK) throws ModelLoadException {
        String m = root.path("topk_method").asText(family.defaultTopkMethod());
        m = m.equals("gready") ? "greedy" : m;
        if (!m.equals("greedy") && !m.equals("group_limited_greedy") && !m.equals("noaux_tc")) {
            throw ModelLoadException.at(
                    file, "topk_method '" + m + "' is not supported (greedy, group_limited_greedy," + " noaux_tc)");
        }
        int groups = optInt("n_group", 1);
        int keep = optInt("topk_group", 1);
        if (!m.equals("greedy")
                && (groups <= 0
                        || routed % groups != 0
                        || keep <= 0
                        || keep > groups
                        || (long) keep * (routed / groups) < topK)) {
            throw ModelLoadException.at(
                    file,
                    "topk_method " + m + ": " + routed + " routed experts cannot be split into" + " n_group " + groups
                            + " groups of which topk_group " + keep + " hold num_experts_per_tok " + topK);
        }
        return m;
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
        String type = s.hasNonNull("rope_type")
                ? s.get("rope_type").asText()
                : s.path("type").asText("default");
        if (!type.equals("default") && !type.equals("yarn") && !type.equals("linear")) {
            throw ModelLoadException.at(file, "rope type '" + type + "' is not supported (default, linear, yarn)");
        }
        double factor = s.path("factor").asDouble(1.0);
        if (!type.equals("default") && factor <= 0) {
            throw ModelLoadException.at(file, "rope scaling factor must be positive, got " + factor);
        }
        return new RopeConfig(
                theta,
                type,
                factor,
                s.path("original_max_position_embeddings").asInt(0),
                s.path("beta_fast").asDouble(32),
                s.path("beta_slow").asDouble(1),
                s.path("mscale").asDouble(0),
                s.path("mscale_all_dim").asDouble(0),
                s.path("truncate").asBoolean(true));
    }

    private int posInt(String key) throws ModelLoadException {
        return keys.posInt(key);
    }

    private int optInt(String key, int def) throws ModelLoadException {
        return keys.optInt(key, def);
    }

    private int optPosInt(String key, int def) throws ModelLoadException {
        return keys.optPosInt(key, def);
    }

    private double optDouble(String key, double def) throws ModelLoadException {
        return keys.optDouble(key, def);
    }

    private boolean optBool(String key, boolean def) {
        return keys.optBool(key, def);
    }
}
