package io.moescope.model.runtime;

import static io.moescope.model.BrokenInputs.loadError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.model.BrokenInputs;
import io.moescope.model.Fixtures;
import io.moescope.model.api.Intervention;
import io.moescope.model.config.LayerAttention;
import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceRecorder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gemma4 beyond what ReferenceAgreementTest checks for every fixture (logits, routing, weights, norms, greedy tokens
 * on the 20-token prompt): the first 12 cached decode steps, the per-layer-type attention shapes, the dense MLP as
 * the always-on part, the multimodal config form, and bad input.
 */
class Gemma4Test {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gemma4_f32", "gemma4_bf16"})
    void cachedDecodeStepsMatchTransformers(String name) throws Exception {
        CachedDecode.assertMatchesTransformers(name);
    }

    @Test
    void layerTypesGiveEachLayerItsShape() throws Exception {
        try (MoeModel model = MoeModel.open(Fixtures.dir("gemma4_f32"))) {
            assertArrayEquals(new int[] {6, 0, 6, 0}, model.config().layerWindows());
            List<LayerAttention> a = model.config().extras().layerAttention();
            assertEquals(
                    List.of(16, 24, 16, 24),
                    a.stream().map(LayerAttention::headDim).toList());
            assertEquals(
                    List.of(2, 1, 2, 1), a.stream().map(LayerAttention::kvHeads).toList());
            assertEquals(
                    List.of(false, true, false, true),
                    a.stream().map(LayerAttention::valueIsKey).toList());
            assertEquals(8.0, model.config().extras().logitSoftcap());
        }
        try (MoeModel model = MoeModel.open(Fixtures.dir("gemma4_bf16"))) {
            assertTrue(model.config().extras().layerAttention().stream().noneMatch(LayerAttention::valueIsKey));
        }
    }

    @Test
    void alwaysOnOffSwitchesTheDenseMlpOff() throws Exception {
        try (MoeModel model = MoeModel.open(Fixtures.dir("gemma4_f32"))) {
            int[] ids = Fixtures.ints(Fixtures.expected("gemma4_f32").get("ids"));
            TraceRecorder base = run(model, ids, Intervention.NONE);
            TraceRecorder off = run(model, ids, new Intervention(Map.of(), Map.of(), 0, true));
            assertTrue(base.of(RoutingDecision.class).stream().allMatch(d -> d.sharedNorm() > 0));
            assertTrue(off.of(RoutingDecision.class).stream().allMatch(d -> d.sharedNorm() == 0f));
            float[] a = last(base);
            float[] b = last(off);
            assertTrue(Fixtures.relativeError(a, b) > 1e-2, "the dense MLP must matter");
        }
    }

    @Test
    void multimodalConfigWithTextConfigLoadsTheLanguageModel() throws Exception {
        Path dir = BrokenInputs.copy("gemma4_f32", tmp);
        BrokenInputs.editConfig(dir, c -> {
            ObjectNode text = c.deepCopy();
            c.removeAll();
            c.put("model_type", "gemma4");
            c.putArray("architectures").add("Gemma4ForConditionalGeneration");
            c.set("text_config", text);
            c.putObject("vision_config").put("model_type", "gemma4_vision");
        });
        BrokenInputs.editHeader(dir.resolve("model.safetensors"), h -> {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = h.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            for (String n : names) {
                if (n.startsWith("model.")) {
                    JsonNode t = h.remove(n);
                    h.set("model.language_model." + n.substring("model.".length()), t);
                }
            }
        });
        JsonNode exp = Fixtures.expected("gemma4_f32");
        int[] ids = Fixtures.ints(exp.get("ids"));
        try (MoeModel model = MoeModel.open(dir)) {
            assertEquals("gemma4_text", model.config().family().modelType());
            float[] got = last(run(model, ids, Intervention.NONE));
            float[] want = Fixtures.floats(exp.get("logits").get(ids.length - 1));
            assertTrue(Fixtures.relativeError(got, want) <= 1e-4);
        }
    }

    @Test
    void missingExpertCountNamesTheKey() {
        Path dir = BrokenInputs.copy("gemma4_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.remove("num_experts"));
        loadError(dir, "config.json", "missing required key \"num_experts\"");
    }

    @Test
    void layerTypesOfTheWrongLength() {
        Path dir = BrokenInputs.copy("gemma4_f32", tmp);
        BrokenInputs.editConfig(dir, c -> ((ArrayNode) c.get("layer_types")).remove(3));
        loadError(dir, "config.json", "\"layer_types\" has 3 entries but num_hidden_layers is 4");
    }

    @Test
    void kvHeadsThatDoNotDivideTheHeads() {
        Path dir = BrokenInputs.copy("gemma4_f32", tmp);
        BrokenInputs.editConfig(
                dir, c -> ((ObjectNode) c.get("per_layer_config").get("1")).put("num_key_value_heads", 3));
        loadError(dir, "config.json", "num_attention_heads 4 is not a multiple of layer 1's key/value heads 3");
    }

    @Test
    void globalKvHeadsThatDoNotDivideTheHeads() {
        Path dir = releasedForm(BrokenInputs.copy("gemma4_f32", tmp));
        BrokenInputs.editConfig(dir, c -> c.put("num_global_key_value_heads", 3));
        loadError(dir, "config.json", "layer 1's key/value heads 3 (num_global_key_value_heads)");
    }

    /** Google's config.json form: global_head_dim and num_global_key_value_heads instead of per_layer_config. */
    @Test
    void globalHeadKeysGiveTheSameModel() throws Exception {
        Path dir = releasedForm(BrokenInputs.copy("gemma4_f32", tmp));
        JsonNode exp = Fixtures.expected("gemma4_f32");
        int[] ids = Fixtures.ints(exp.get("ids"));
        try (MoeModel model = MoeModel.open(dir)) {
            float[] got = last(run(model, ids, Intervention.NONE));
            assertTrue(Fixtures.relativeError(
                            got, Fixtures.floats(exp.get("logits").get(ids.length - 1)))
                    <= 1e-4);
        }
    }

    private static Path releasedForm(Path dir) {
        BrokenInputs.editConfig(dir, c -> {
            c.remove("per_layer_config");
            c.put("global_head_dim", 24).put("num_global_key_value_heads", 1);
        });
        return dir;
    }

    @Test
    void ropeParametersWithoutAFullAttentionEntry() {
        Path dir = BrokenInputs.copy("gemma4_f32", tmp);
        BrokenInputs.editConfig(dir, c -> ((ObjectNode) c.get("rope_parameters")).remove("full_attention"));
        loadError(dir, "config.json", "rope_parameters has no \"full_attention\" entry");
    }

    @Test
    void perLayerEmbeddingsAreRefused() {
        Path dir = BrokenInputs.copy("gemma4_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.put("hidden_size_per_layer_input", 256));
        loadError(dir, "config.json", "per-layer embeddings");
    }

    private static TraceRecorder run(MoeModel model, int[] ids, Intervention iv) {
        TraceRecorder rec = new TraceRecorder(true);
        new Generator(model)
                .generate(
                        GenerationRequest.of(ids, 0, SamplingParams.GREEDY).withIntervention(iv),
                        rec,
                        TokenListener.NONE);
        return rec;
    }

    private static float[] last(TraceRecorder rec) {
        List<LogitsRecorded> l = rec.of(LogitsRecorded.class);
        return l.get(l.size() - 1).values();
    }
}
