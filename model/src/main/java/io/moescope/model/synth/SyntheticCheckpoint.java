package io.moescope.model.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.moescope.model.io.AtomicFiles;
import io.moescope.model.io.DType;
import io.moescope.model.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Writes a Hugging Face checkpoint with the real shapes, tensor names and config keys of a known MoE model and
 * random weights (no tokenizer). Weights are generated tensor by tensor and streamed to the shard files, so the
 * model is never held in memory; the directory appears atomically (written under a temporary sibling, then renamed).
 *
 * <p>Scale: every linear weight is uniform with standard deviation 1/√in_features, norms are 1, the embedding has
 * standard deviation 1: hidden states stay O(1) and router logits have a spread of about 1, so routing is neither
 * uniform nor collapsed. Values depend only on the seed and the tensor's name (not on sharding).
 */
public final class SyntheticCheckpoint {

    /** Largest shard (data bytes); real checkpoints use 4–5 GB. */
    public static final long DEFAULT_SHARD_BYTES = 4_000_000_000L;

    /** One tensor to write: name, shape, and the standard deviation of its values (0 with {@code one}: all ones). */
    public record Spec(String name, long[] shape, double std, boolean ones) {
        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** What {@link #write} produced. */
    public record Summary(Path directory, String modelType, int layers, int shards, int tensors, long bytes) {
    }

    private final String like;
    private final Map<String, Object> config;
    private final List<Spec> specs;

    private SyntheticCheckpoint(String like, Map<String, Object> config, List<Spec> specs) {
        this.like = like;
        this.config = config;
        this.specs = specs;
    }

    /** The presets {@code --like} accepts. */
    public static List<String> presets() {
        return List.of("olmoe-1b-7b", "deepseek-v2-lite", "qwen1.5-moe-a2.7b", "mixtral-8x7b", "tiny");
    }

    /**
     * @param like   a preset name ({@link #presets()})
     * @param dtype  "bf16" or "f32"
     * @param layers number of decoder layers (0 = the real model's)
     */
    public static SyntheticCheckpoint of(String like, String dtype, int layers) {
        if (!dtype.equals("bf16") && !dtype.equals("f32") && !dtype.equals("f16")) {
            throw new IllegalArgumentException("--dtype must be bf16, f16 or f32, got '" + dtype + "'");
        }
        Map<String, Object> c = new LinkedHashMap<>();
        switch (like) {
            case "olmoe-1b-7b" -> {
                c.put("architectures", List.of("OlmoeForCausalLM"));
                c.put("model_type", "olmoe");
                c.put("vocab_size", 50304);
                c.put("hidden_size", 2048);
                c.put("intermediate_size", 1024);
                c.put("num_hidden_layers", 16);
                c.put("num_attention_heads", 16);
                c.put("num_key_value_heads", 16);
                c.put("num_experts", 64);
                c.put("num_experts_per_tok", 8);
                c.put("norm_topk_prob", false);
                c.put("rope_theta", 10000.0);
                c.put("rms_norm_eps", 1e-5);
                c.put("max_position_embeddings", 4096);
                c.put("clip_qkv", null);
                c.put("attention_bias", false);
                c.put("router_aux_loss_coef", 0.01);
                c.put("tie_word_embeddings", false);
                c.put("hidden_act", "silu");
                c.put("bos_token_id", null);
                c.put("eos_token_id", 50279);
                c.put("pad_token_id", 1);
            }
            case "deepseek-v2-lite" -> {
                c.put("architectures", List.of("DeepseekV2ForCausalLM"));
                c.put("model_type", "deepseek_v2");
                c.put("vocab_size", 102400);
                c.put("hidden_size", 2048);
                c.put("intermediate_size", 10944);
                c.put("moe_intermediate_size", 1408);
                c.put("num_hidden_layers", 27);
                c.put("num_attention_heads", 16);
                c.put("num_key_value_heads", 16);
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
                c.put("rope_theta", 10000);
                Map<String, Object> yarn = new LinkedHashMap<>();
                yarn.put("type", "yarn");
                yarn.put("factor", 40);
                yarn.put("original_max_position_embeddings", 4096);
                yarn.put("beta_fast", 32);
                yarn.put("beta_slow", 1);
                yarn.put("mscale", 0.707);
                yarn.put("mscale_all_dim", 0.707);
                c.put("rope_scaling", yarn);
                c.put("max_position_embeddings", 163840);
                c.put("rms_norm_eps", 1e-6);
                c.put("tie_word_embeddings", false);
                c.put("attention_bias", false);
                c.put("hidden_act", "silu");
                c.put("bos_token_id", 100000);
                c.put("eos_token_id", 100001);
            }
            case "qwen1.5-moe-a2.7b" -> {
                c.put("architectures", List.of("Qwen2MoeForCausalLM"));
                c.put("model_type", "qwen2_moe");
                c.put("vocab_size", 151936);
                c.put("hidden_size", 2048);
                c.put("intermediate_size", 5632);
                c.put("moe_intermediate_size", 1408);
                c.put("shared_expert_intermediate_size", 5632);
                c.put("num_hidden_layers", 24);
                c.put("num_attention_heads", 16);
                c.put("num_key_value_heads", 16);
                c.put("num_experts", 60);
                c.put("num_experts_per_tok", 4);
                c.put("norm_topk_prob", false);
                c.put("decoder_sparse_step", 1);
                c.put("mlp_only_layers", List.of());
                c.put("rope_theta", 1000000.0);
                c.put("rms_norm_eps", 1e-6);
                c.put("max_position_embeddings", 8192);
                c.put("use_sliding_window", false);
                c.put("sliding_window", 32768);
                c.put("router_aux_loss_coef", 0.001);
                c.put("tie_word_embeddings", false);
                c.put("hidden_act", "silu");
                c.put("bos_token_id", 151643);
                c.put("eos_token_id", 151643);
            }
            case "mixtral-8x7b" -> {
                c.put("architectures", List.of("MixtralForCausalLM"));
                c.put("model_type", "mixtral");
                c.put("vocab_size", 32000);
                c.put("hidden_size", 4096);
                c.put("intermediate_size", 14336);
                c.put("num_hidden_layers", 32);
                c.put("num_attention_heads", 32);
                c.put("num_key_value_heads", 8);
                c.put("num_local_experts", 8);
                c.put("num_experts_per_tok", 2);
                c.put("rope_theta", 1e6);
                c.put("rms_norm_eps", 1e-5);
                c.put("max_position_embeddings", 32768);
                c.put("sliding_window", null);
                c.put("router_aux_loss_coef", 0.02);
                c.put("router_jitter_noise", 0.0);
                c.put("tie_word_embeddings", false);
                c.put("hidden_act", "silu");
                c.put("bos_token_id", 1);
                c.put("eos_token_id", 2);
            }
            case "tiny" -> {
                // The shapes of the embedded teaching model (a DeepSeekMoE: d 256, 4 layers, 16 experts of width 128
                // + 2 shared, top-4); the vocabulary is a guess at a small trained BPE.
                c.put("architectures", List.of("DeepseekForCausalLM"));
                c.put("model_type", "deepseek");
                c.put("vocab_size", 8192);
                c.put("hidden_size", 256);
                c.put("intermediate_size", 512);
                c.put("moe_intermediate_size", 128);
                c.put("num_hidden_layers", 4);
                c.put("num_attention_heads", 4);
                c.put("num_key_value_heads", 4);
                c.put("n_routed_experts", 16);
                c.put("n_shared_experts", 2);
                c.put("num_experts_per_tok", 4);
                c.put("first_k_dense_replace", 0);
                c.put("moe_layer_freq", 1);
                c.put("norm_topk_prob", false);
                c.put("scoring_func", "softmax");
                c.put("rope_theta", 10000.0);
                c.put("rms_norm_eps", 1e-6);
                c.put("max_position_embeddings", 512);
                c.put("tie_word_embeddings", false);
                c.put("hidden_act", "silu");
                c.put("bos_token_id", 0);
                c.put("eos_token_id", 1);
            }
            default -> throw new IllegalArgumentException("unknown --like '" + like + "'; one of " + presets());
        }
        if (layers < 0) {
            throw new IllegalArgumentException("--layers must be positive");
        }
        if (layers > 0) {
            c.put("num_hidden_layers", layers);
        }
        c.put("torch_dtype", switch (dtype) {
            case "bf16" -> "bfloat16";
            case "f16" -> "float16";
            default -> "float32";
        });
        c.put("use_cache", true);
        return new SyntheticCheckpoint(like, c, tensors(c));
    }

    public Map<String, Object> config() {
        return config;
    }

    public List<Spec> tensors() {
        return specs;
    }

    private static int i(Map<String, Object> c, String k) {
        return ((Number) c.get(k)).intValue();
    }

    private static List<Spec> tensors(Map<String, Object> c) {
        String type = (String) c.get("model_type");
        int h = i(c, "hidden_size");
        int v = i(c, "vocab_size");
        int layers = i(c, "num_hidden_layers");
        List<Spec> s = new ArrayList<>();
        s.add(new Spec("model.embed_tokens.weight", new long[] {v, h}, 1.0, false));
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            s.add(ones(p + "input_layernorm.weight", h));
            s.add(ones(p + "post_attention_layernorm.weight", h));
            attention(c, type, p + "self_attn.", h, s);
            switch (type) {
                case "olmoe" -> experts(p + "mlp.", "gate_proj", "up_proj", "down_proj", i(c, "num_experts"),
                        i(c, "intermediate_size"), h, s);
                case "mixtral" -> experts(p + "block_sparse_moe.", "w1", "w3", "w2", i(c, "num_local_experts"),
                        i(c, "intermediate_size"), h, s);
                case "qwen2_moe" -> {
                    experts(p + "mlp.", "gate_proj", "up_proj", "down_proj", i(c, "num_experts"),
                            i(c, "moe_intermediate_size"), h, s);
                    mlp(p + "mlp.shared_expert.", i(c, "shared_expert_intermediate_size"), h, s);
                    s.add(linear(p + "mlp.shared_expert_gate.weight", 1, h));
                }
                default -> { // deepseek, deepseek_v2
                    if (l < i(c, "first_k_dense_replace")) {
                        mlp(p + "mlp.", i(c, "intermediate_size"), h, s);
                    } else {
                        experts(p + "mlp.", "gate_proj", "up_proj", "down_proj", i(c, "n_routed_experts"),
                                i(c, "moe_intermediate_size"), h, s);
                        mlp(p + "mlp.shared_experts.", i(c, "n_shared_experts") * i(c, "moe_intermediate_size"), h, s);
                    }
                }
            }
        }
        s.add(ones("model.norm.weight", h));
        s.add(linear("lm_head.weight", v, h));
        return s;
    }

    private static void attention(Map<String, Object> c, String type, String p, int h, List<Spec> s) {
        int nh = i(c, "num_attention_heads");
        if (type.equals("deepseek_v2")) {
            int dn = i(c, "qk_nope_head_dim");
            int dr = i(c, "qk_rope_head_dim");
            int dv = i(c, "v_head_dim");
            int rkv = i(c, "kv_lora_rank");
            s.add(linear(p + "q_proj.weight", nh * (dn + dr), h));
            s.add(linear(p + "kv_a_proj_with_mqa.weight", rkv + dr, h));
            s.add(ones(p + "kv_a_layernorm.weight", rkv));
            s.add(linear(p + "kv_b_proj.weight", nh * (dn + dv), rkv));
            s.add(linear(p + "o_proj.weight", h, nh * dv));
            return;
        }
        int nkv = i(c, "num_key_value_heads");
        int hd = h / nh;
        s.add(linear(p + "q_proj.weight", nh * hd, h));
        s.add(linear(p + "k_proj.weight", nkv * hd, h));
        s.add(linear(p + "v_proj.weight", nkv * hd, h));
        if (type.equals("qwen2_moe")) {
            s.add(new Spec(p + "q_proj.bias", new long[] {nh * hd}, 0.02, false));
            s.add(new Spec(p + "k_proj.bias", new long[] {nkv * hd}, 0.02, false));
            s.add(new Spec(p + "v_proj.bias", new long[] {nkv * hd}, 0.02, false));
        }
        s.add(linear(p + "o_proj.weight", h, nh * hd));
        if (type.equals("olmoe")) {
            s.add(ones(p + "q_norm.weight", nh * hd));
            s.add(ones(p + "k_norm.weight", nkv * hd));
        }
    }

    private static void experts(String p, String gate, String up, String down, int e, int width, int h,
                                List<Spec> s) {
        s.add(linear(p + "gate.weight", e, h));
        for (int x = 0; x < e; x++) {
            String q = p + "experts." + x + ".";
            s.add(linear(q + gate + ".weight", width, h));
            s.add(linear(q + up + ".weight", width, h));
            s.add(linear(q + down + ".weight", h, width));
        }
    }

    private static void mlp(String p, int width, int h, List<Spec> s) {
        s.add(linear(p + "gate_proj.weight", width, h));
        s.add(linear(p + "up_proj.weight", width, h));
        s.add(linear(p + "down_proj.weight", h, width));
    }

    private static Spec linear(String name, int out, int in) {
        return new Spec(name, new long[] {out, in}, 1.0 / Math.sqrt(in), false);
    }

    private static Spec ones(String name, int n) {
        return new Spec(name, new long[] {n}, 0, true);
    }

    /** Bytes of tensor data in the given dtype. */
    public long dataBytes(String dtype) {
        long n = 0;
        for (Spec t : specs) {
            n += t.elements() * (dtype.equals("f32") ? 4 : 2);
        }
        return n;
    }

    /**
     * Writes the checkpoint to {@code out}. An existing {@code out} is refused unless {@code force}, in which case it is
     * replaced only after the new directory is complete.
     *
     * @param progress receives the bytes written so far (may be null)
     */
    public Summary write(Path out, String dtype, long seed, long maxShardBytes, boolean force, LongConsumer progress)
            throws IOException {
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !force) {
            throw new FileAlreadyExistsException(target + " exists; pass --force to replace it");
        }
        DType stored = switch (dtype) {
            case "bf16" -> DType.BF16;
            case "f16" -> DType.F16;
            default -> DType.F32;
        };
        List<List<Spec>> shards = new ArrayList<>();
        List<Spec> cur = new ArrayList<>();
        long curBytes = 0;
        for (Spec t : specs) {
            long b = t.elements() * stored.bytes();
            if (!cur.isEmpty() && curBytes + b > maxShardBytes) {
                shards.add(cur);
                cur = new ArrayList<>();
                curBytes = 0;
            }
            cur.add(t);
            curBytes += b;
        }
        shards.add(cur);
        long[] written = {0};
        AtomicFiles.writeDirectory(target, tmp -> {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(tmp.resolve("config.json").toFile(), config);
            Map<String, String> weightMap = new LinkedHashMap<>();
            for (int k = 0; k < shards.size(); k++) {
                String name = shards.size() == 1 ? "model.safetensors"
                        : String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", k + 1, shards.size());
                written[0] += writeShard(tmp.resolve(name), shards.get(k), stored, seed, written[0], progress);
                for (Spec t : shards.get(k)) {
                    weightMap.put(t.name(), name);
                }
            }
            if (shards.size() > 1) {
                Map<String, Object> index = new LinkedHashMap<>();
                index.put("metadata", Map.of("total_size", written[0]));
                index.put("weight_map", weightMap);
                json.writeValue(tmp.resolve("model.safetensors.index.json").toFile(), index);
            }
            Map<String, Object> gen = new LinkedHashMap<>();
            gen.put("_from_model_config", true);
            gen.put("bos_token_id", config.get("bos_token_id"));
            gen.put("eos_token_id", config.get("eos_token_id"));
            json.writeValue(tmp.resolve("generation_config.json").toFile(), gen);
        });
        return new Summary(target, (String) config.get("model_type"), i(config, "num_hidden_layers"),
                shards.size(), specs.size(), written[0]);
    }

    /** Writes one shard; returns its data bytes. {@code before}: data bytes of the earlier shards (for progress). */
    private static long writeShard(Path file, List<Spec> tensors, DType dtype, long seed, long before,
                                   LongConsumer progress) throws IOException {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (Spec t : tensors) {
            entries.add(new SafetensorsWriter.Entry(t.name(), dtype, t.shape()));
        }
        LongConsumer shardProgress = progress == null ? null : b -> progress.accept(before + b);
        try (SafetensorsWriter w = SafetensorsWriter.create(file, entries, shardProgress)) {
            for (Spec t : tensors) {
                Rng rng = new Rng(seed ^ (t.name().hashCode() * 0x9E3779B97F4A7C15L) ^ t.name().length());
                float a = (float) (t.std() * Math.sqrt(3.0)); // uniform [-a, a] has std a/√3
                long n = t.elements();
                for (long i = 0; i < n; i++) {
                    w.put(t.ones() ? 1f : rng.uniform() * a);
                }
            }
            return w.dataBytes();
        }
    }

    /** xorshift64*: fast, deterministic, good enough for weights. */
    private static final class Rng {
        private long s;

        Rng(long seed) {
            s = seed == 0 ? 0x2545F4914F6CDD1DL : seed;
            for (int k = 0; k < 4; k++) {
                next();
            }
        }

        long next() {
            s ^= s >>> 12;
            s ^= s << 25;
            s ^= s >>> 27;
            return s * 0x2545F4914F6CDD1DL;
        }

        /** Uniform in [-1, 1). */
        float uniform() {
            return ((next() >>> 40) * 0x1p-24f) * 2f - 1f;
        }
    }

    @Override
    public String toString() {
        return like + " " + config.get("model_type") + " " + specs.size() + " tensors";
    }
}
