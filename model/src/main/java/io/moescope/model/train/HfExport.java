package io.moescope.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an ordinary Hugging Face model directory (config.json with model_type "deepseek", F16 model.safetensors with
 * the remote-code tensor names, tokenizer.json, training_log.jsonl) into a temporary sibling, then renames it into place.
 */
final class HfExport {
    private HfExport() {
    }

    static Map<String, Object> config(ModelConfig c, BalanceConfig bc, Map<String, Object> training) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of("DeepseekForCausalLM"));
        m.put("model_type", "deepseek");
        m.put("vocab_size", c.vocab());
        m.put("hidden_size", c.hidden());
        m.put("intermediate_size", c.intermediate());
        m.put("moe_intermediate_size", c.moeIntermediate());
        m.put("num_hidden_layers", c.layers());
        m.put("num_attention_heads", c.heads());
        m.put("num_key_value_heads", c.heads());
        m.put("n_routed_experts", c.nRouted());
        m.put("n_shared_experts", c.nShared());
        m.put("num_experts_per_tok", c.topK());
        m.put("first_k_dense_replace", 1);
        m.put("moe_layer_freq", 1);
        m.put("norm_topk_prob", false);
        m.put("scoring_func", "softmax");
        m.put("topk_method", "greedy");
        m.put("hidden_act", "silu");
        m.put("attention_bias", false);
        m.put("rope_theta", c.ropeTheta());
        m.put("rope_scaling", null);
        m.put("rms_norm_eps", c.rmsEps());
        m.put("max_position_embeddings", c.maxPositions());
        m.put("tie_word_embeddings", false);
        m.put("bos_token_id", c.bosId());
        m.put("eos_token_id", c.eosId());
        m.put("aux_loss_alpha", bc.mode() == BalanceMode.AUX ? bc.alpha1() : 0.0);
        m.put("seq_aux", bc.seqAux());
        m.put("torch_dtype", "float16");
        m.put("moescope_selection_bias", bc.mode() == BalanceMode.AUX_FREE);
        m.put("moescope_training", training);
        return m;
    }

    /** Exports model weights (and aux-free biases) to outDir atomically. */
    static void export(Model model, BalanceConfig bc, Map<String, Object> training, Path tokenizer, Path log, Path outDir,
            boolean force) throws IOException {
        Path parent = outDir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + outDir.getFileName() + ".tmp-");
        List<Safetensors.Entry> entries = new ArrayList<>();
        for (Param p : model.params().all()) {
            entries.add(new Safetensors.Entry(p.name, p.shape, p.value.a, false));
        }
        if (bc.mode() == BalanceMode.AUX_FREE) {
            for (int l = 0; l < model.moe.length; l++) {
                if (model.moe[l] != null) {
                    entries.add(new Safetensors.Entry("model.layers." + l + ".mlp.gate.e_score_correction_bias",
                            new long[] {model.cfg.nRouted()}, model.moe[l].router.bias.clone(), true));
                }
            }
        }
        Safetensors.write(tmp.resolve("model.safetensors"), entries);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(tmp.resolve("config.json").toFile(), config(model.cfg, bc, training));
        Files.copy(tokenizer, tmp.resolve("tokenizer.json"));
        if (Files.exists(log)) {
            Files.copy(log, tmp.resolve("training_log.jsonl"));
        }
        if (Files.exists(outDir)) {
            if (!force) {
                throw new IllegalStateException("output directory exists: " + outDir + " (use force)");
            }
            deleteTree(outDir);
        }
        Files.move(tmp, outDir, StandardCopyOption.ATOMIC_MOVE);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
