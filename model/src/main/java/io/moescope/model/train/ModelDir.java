package io.moescope.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.config.ConfigParser;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.WeightStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loads an exported model directory back into a {@link Model} for validation, through the engine's own readers:
 * config.json by {@link ConfigParser}, the weights by {@link WeightStore}.
 */
final class ModelDir {
    private ModelDir() {}

    /**
     * The training hyper-parameters of a model directory; refuses a config the trainer's architecture cannot hold
     * (it trains DeepSeekMoE only: layer 0 dense, softmax greedy top-k routing, top-k renormalised or not).
     */
    static ModelConfig config(Path dir) throws ModelLoadException {
        io.moescope.model.config.ModelConfig c = ConfigParser.read(dir);
        Path file = dir.resolve("config.json");
        if (!"deepseek".equals(c.family().modelType())) {
            throw ModelLoadException.at(
                    file,
                    "model_type is '" + c.family().modelType()
                            + "'; the trainer reads only the DeepSeekMoE ('deepseek') models it writes");
        }
        int[] moe = c.moeLayers();
        int[] expected = new int[c.numLayers() - 1];
        Arrays.setAll(expected, l -> l + 1);
        if (!Arrays.equals(moe, expected)
                || !c.softmaxScoring()
                || c.routingGroups() != 1
                || c.routedScalingFactor() != 1.0
                || c.sharedWidth() != c.sharedExperts() * c.expertWidth()
                || c.numKvHeads() != c.numHeads()
                || c.tieWordEmbeddings()
                || c.qkvBias()
                || c.rope().factor() != 1.0
                || c.eosTokenIds().length != 1) {
            throw ModelLoadException.at(
                    file,
                    "is not the trainer's DeepSeekMoE layout (dense layer 0 then MoE layers, "
                            + "shared experts, softmax greedy top-k, no rope scaling, one eos id)");
        }
        return new ModelConfig(
                c.vocabSize(),
                c.hiddenSize(),
                c.intermediateSize(),
                c.expertWidth(),
                c.numLayers(),
                c.numHeads(),
                c.routedExperts(),
                c.sharedExperts(),
                c.topK(),
                c.rope().theta(),
                c.rmsNormEps(),
                c.maxPositions(),
                c.bosTokenId(),
                c.eosTokenIds()[0],
                c.normTopkProb());
    }

    /** A model of shape [batch, seq] holding the directory's weights (and selection biases if present). */
    static Model load(Path dir, int batch, int seq) throws ModelLoadException {
        ModelConfig c = config(dir);
        Model m = new Model(c, batch, seq, BalanceConfig.none());
        try (WeightStore w = WeightStore.open(dir)) {
            for (Param p : m.params().all()) {
                TensorInfo t = w.info(p.name);
                if (!Arrays.equals(t.shape(), p.shape)) {
                    throw ModelLoadException.at(
                            t.file(),
                            "tensor '" + p.name + "' has shape " + t.shapeString() + ", the config needs "
                                    + Arrays.toString(p.shape));
                }
                System.arraycopy(w.readFloats(t), 0, p.value.a, 0, p.value.length());
                p.value.push();
            }
            for (int l = 0; l < m.moe.length; l++) {
                String bias = "model.layers." + l + ".mlp.gate.e_score_correction_bias";
                if (m.moe[l] != null && w.has(bias)) {
                    TensorInfo t = w.info(bias);
                    if (t.elementCount() != c.nRouted()) {
                        throw ModelLoadException.at(
                                t.file(),
                                "tensor '" + bias + "' has shape " + t.shapeString() + ", expected [" + c.nRouted()
                                        + "]");
                    }
                    System.arraycopy(w.readFloats(t), 0, m.moe[l].router.bias, 0, c.nRouted());
                }
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
