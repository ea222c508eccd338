package io.moescope.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Loads an exported model directory back into a {@link Model} for validation and sampling. */
final class ModelDir {
    private ModelDir() {
    }

    static ModelConfig config(Path dir) throws IOException {
        JsonNode j = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        if (!"deepseek".equals(j.path("model_type").asText())) {
            throw new IllegalArgumentException(dir + " is not a deepseek model directory");
        }
        return new ModelConfig(j.get("vocab_size").asInt(), j.get("hidden_size").asInt(),
                j.get("intermediate_size").asInt(), j.get("moe_intermediate_size").asInt(),
                j.get("num_hidden_layers").asInt(), j.get("num_attention_heads").asInt(),
                j.get("n_routed_experts").asInt(), j.get("n_shared_experts").asInt(),
                j.get("num_experts_per_tok").asInt(), j.get("rope_theta").asDouble(), j.get("rms_norm_eps").asDouble(),
                j.get("max_position_embeddings").asInt(), j.get("bos_token_id").asInt(), j.get("eos_token_id").asInt());
    }

    /** A model of shape [batch, seq] holding the directory's weights (and selection biases if present). */
    static Model load(Path dir, int batch, int seq) throws IOException {
        ModelConfig c = config(dir);
        Model m = new Model(c, batch, seq, BalanceConfig.none());
        Map<String, float[]> w = Safetensors.read(dir.resolve("model.safetensors"));
        for (Param p : m.params().all()) {
            float[] src = w.get(p.name);
            if (src == null || src.length != p.value.length()) {
                throw new IOException("tensor " + p.name + " missing or mis-shaped in " + dir);
            }
            System.arraycopy(src, 0, p.value.a, 0, src.length);
            p.value.push();
        }
        for (int l = 0; l < m.moe.length; l++) {
            float[] b = w.get("model.layers." + l + ".mlp.gate.e_score_correction_bias");
            if (m.moe[l] != null && b != null) {
                System.arraycopy(b, 0, m.moe[l].router.bias, 0, b.length);
            }
        }
        return m;
    }

    /** Vocabulary size of a tokenizer.json: the largest id in the model vocab or the added tokens, plus one. */
    static int vocabSize(Path tokenizerJson) throws IOException {
        JsonNode j = new ObjectMapper().readTree(tokenizerJson.toFile());
        int max = -1;
        for (JsonNode id : j.path("model").path("vocab")) {
            max = Math.max(max, id.asInt());
        }
        for (JsonNode t : j.path("added_tokens")) {
            max = Math.max(max, t.path("id").asInt());
        }
        return max + 1;
    }
}
