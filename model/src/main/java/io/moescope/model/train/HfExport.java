package io.moescope.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.moescope.base.AtomicFiles;
import io.moescope.model.io.DType;
import io.moescope.model.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an ordinary Hugging Face model directory (config.json with model_type "deepseek", F16 model.safetensors with
 * the remote-code tensor names, tokenizer.json, training_log.jsonl) through {@link AtomicFiles#writeDirectory}.
 */
final class HfExport {
    private HfExport() {}

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
        m.put("norm_topk_prob", c.normTopK());
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

    /**
     * Exports model weights (F16; the aux-free selection biases F32) with config, tokenizer and training log to outDir
     * atomically.
     */
    static void export(
            Model model,
            BalanceConfig bc,
            Map<String, Object> training,
            Path tokenizer,
            Path log,
            Path outDir,
            boolean force)
            throws IOException {
        if (Files.exists(outDir) && !force) {
            throw new IllegalStateException("output directory exists: " + outDir + " (use force)");
        }
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (Param p : model.params().all()) {
            entries.add(new SafetensorsWriter.Entry(p.name, DType.F16, p.shape));
            values.add(p.value.a);
        }
        if (bc.mode() == BalanceMode.AUX_FREE) {
            for (int l = 0; l < model.moe.length; l++) {
                if (model.moe[l] != null) {
                    entries.add(new SafetensorsWriter.Entry(
                            "model.layers." + l + ".mlp.gate.e_score_correction_bias",
                            DType.F32,
                            new long[] {model.cfg.nRouted()}));
                    values.add(model.moe[l].router.bias);
                }
            }
        }
        AtomicFiles.writeDirectory(outDir, dir -> {
            try (SafetensorsWriter w = SafetensorsWriter.create(dir.resolve("model.safetensors"), entries, null)) {
                for (float[] v : values) {
                    w.put(v);
                }
            }
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve("config.json").toFile(), config(model.cfg, bc, training));
            Files.copy(tokenizer, dir.resolve("tokenizer.json"));
            if (Files.exists(log)) {
                Files.copy(log, dir.resolve("training_log.jsonl"));
            }
        });
    }
}
