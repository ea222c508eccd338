package io.moescope.model.runtime;

import static io.moescope.model.BrokenInputs.loadError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.model.BrokenInputs;
import io.moescope.model.Fixtures;
import io.moescope.model.api.Intervention;
import io.moescope.model.config.FamilyExtras;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceRecorder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * glm4_moe, ernie4_5_moe, granitemoe and granitemoeshared beyond what ReferenceAgreementTest checks for every
 * fixture: the first 12 cached decode steps against transformers, the parsed family settings, interventions on the
 * new router kinds, and bad input.
 */
class MoreFamiliesTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "glm4_moe_f32",
                "glm4_moe_bf16",
                "ernie4_5_moe_f32",
                "ernie4_5_moe_bf16",
                "granitemoe_f32",
                "granitemoe_bf16",
                "granitemoeshared_f32",
                "granitemoeshared_bf16"
            })
    void cachedDecodeStepsMatchTransformers(String name) throws Exception {
        JsonNode exp = Fixtures.expected(name);
        int[] prompt = Fixtures.ints(exp.get("greedy").get("prompt"));
        int[] want = Fixtures.ints(exp.get("greedy").get("generated"));
        JsonNode decode = exp.get("decode_logits");
        assertEquals(20, prompt.length);
        assertEquals(16, want.length);
        assertEquals(12, decode.size());
        try (MoeModel model = MoeModel.open(Fixtures.dir(name))) {
            TraceRecorder rec = new TraceRecorder(true);
            GenerationRequest req =
                    new GenerationRequest(prompt, want.length, SamplingParams.GREEDY, Intervention.NONE, false, false);
            GenerationResult r = new Generator(model).generate(req, rec, TokenListener.NONE);
            assertArrayEquals(want, r.generatedIds(), name + " greedy continuation");
            List<LogitsRecorded> logits = rec.of(LogitsRecorded.class);
            double maxRel = 0;
            for (int step = 0; step < decode.size(); step++) {
                int pos = prompt.length + step; // the position of generated token `step`, whose logits give step+1
                float[] got = logits.stream()
                        .filter(l -> l.position() == pos)
                        .findFirst()
                        .orElseThrow()
                        .values();
                float[] w = Fixtures.floats(decode.get(step));
                double scale = 0;
                for (float v : w) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int v = 0; v < w.length; v++) {
                    maxRel = Math.max(maxRel, Math.abs(got[v] - w[v]) / scale);
                }
            }
            assertTrue(maxRel <= 1e-4, name + ": decode logits max relative error " + maxRel);
        }
    }

    @Test
    void biasChangesTheSelectionInTheFixtures() {
        for (String name : List.of("glm4_moe_f32", "glm4_moe_bf16", "ernie4_5_moe_f32", "ernie4_5_moe_bf16")) {
            assertTrue(Fixtures.expected(name).get("selection_changed_by_bias").asInt() >= 10, name);
        }
    }

    @Test
    void glmSettings() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("glm4_moe_f32"))) {
            ModelConfig c = m.config();
            assertArrayEquals(new int[] {1, 2}, c.moeLayers());
            assertEquals(16, c.headDim());
            assertEquals(8, c.extras().rotaryDim(c.headDim()));
            assertEquals(ModelConfig.QkNorm.PER_HEAD, c.qkNorm());
            assertEquals(2, c.sharedExperts());
            assertEquals(32, c.sharedWidth());
            assertEquals(4, m.config().routingGroups());
            assertTrue(c.qkvBias() && !c.outputBias());
        }
        try (MoeModel m = MoeModel.open(Fixtures.dir("glm4_moe_bf16"))) {
            assertArrayEquals(new int[] {2, 3}, m.config().moeLayers());
            assertEquals(4, m.config().extras().rotaryDim(16));
            assertFalse(m.config().normTopkProb());
        }
    }

    @Test
    void ernieSettings() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("ernie4_5_moe_f32"))) {
            ModelConfig c = m.config();
            assertArrayEquals(new int[] {1, 2}, c.moeLayers());
            assertEquals(3, c.topK());
            assertTrue(c.tieWordEmbeddings() && c.extras().linearBias() && c.qkvBias() && c.outputBias());
            assertEquals(1e-12, c.extras().routerNormFloor());
        }
        try (MoeModel m = MoeModel.open(Fixtures.dir("ernie4_5_moe_bf16"))) {
            assertArrayEquals(new int[] {1, 3}, m.config().moeLayers());
            assertFalse(m.config().extras().linearBias());
        }
    }

    @Test
    void graniteSettings() throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir("granitemoeshared_f32"))) {
            FamilyExtras x = m.config().extras();
            assertEquals(6.0, x.embeddingMultiplier());
            assertEquals(0.05, x.attentionScale());
            assertEquals(0.3, x.residualMultiplier());
            assertEquals(5.0, x.logitsScaling());
            assertEquals(24, m.config().sharedWidth());
            assertEquals(1, m.shape().sharedExperts());
        }
        try (MoeModel m = MoeModel.open(Fixtures.dir("granitemoe_f32"))) {
            assertEquals(0, m.config().sharedWidth());
        }
    }

    /** Ablate, force, top-k and shared-off on the sigmoid + groups router (GLM) and on ERNIE's biased softmax. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"glm4_moe_f32", "ernie4_5_moe_f32", "granitemoeshared_f32"})
    void interventionsWork(String name) throws Exception {
        try (MoeModel m = MoeModel.open(Fixtures.dir(name))) {
            int layer = m.config().moeLayers()[0];
            int[] ids = Fixtures.ints(Fixtures.expected(name).get("ids"));
            List<RoutingDecision> base = route(m, ids, Intervention.NONE);
            int popular = base.stream()
                    .filter(d -> d.layer() == layer)
                    .findFirst()
                    .orElseThrow()
                    .experts()[0];
            List<RoutingDecision> ablated =
                    route(m, ids, new Intervention(Map.of(layer, Set.of(popular)), Map.of(), 0, false));
            for (RoutingDecision d : ablated) {
                if (d.layer() == layer) {
                    assertFalse(Arrays.stream(d.experts()).anyMatch(e -> e == popular), name + " ablated chosen");
                    assertEquals(m.config().topK(), d.experts().length);
                }
            }
            int[] forced = {0, 5};
            for (RoutingDecision d : route(m, ids, new Intervention(Map.of(), Map.of(layer, forced), 0, false))) {
                if (d.layer() == layer) {
                    int[] got = d.experts().clone();
                    Arrays.sort(got);
                    assertArrayEquals(forced, got, name + " forced");
                }
            }
            for (RoutingDecision d : route(m, ids, new Intervention(Map.of(), Map.of(), 1, false))) {
                assertEquals(1, d.experts().length, name + " top-1");
            }
            List<RoutingDecision> off = route(m, ids, new Intervention(Map.of(), Map.of(), 0, true));
            assertTrue(base.stream().allMatch(d -> d.sharedNorm() > 0), name + " has shared experts");
            assertTrue(off.stream().allMatch(d -> d.sharedNorm() == 0f), name + " shared off");
            assertNotEquals(
                    base.get(base.size() - 1).routedNorm(),
                    off.get(off.size() - 1).routedNorm());
        }
    }

    private static List<RoutingDecision> route(MoeModel m, int[] ids, Intervention iv) {
        TraceRecorder rec = new TraceRecorder(false);
        new Generator(m)
                .generate(
                        GenerationRequest.of(ids, 0, SamplingParams.GREEDY).withIntervention(iv),
                        rec,
                        TokenListener.NONE);
        return rec.of(RoutingDecision.class);
    }

    @Test
    void missingKeysAreNamed() {
        Path glm = BrokenInputs.copy("glm4_moe_f32", tmp);
        BrokenInputs.editConfig(glm, c -> c.remove("moe_intermediate_size"));
        loadError(glm, "config.json", "missing required key \"moe_intermediate_size\"");
        Path ernie = BrokenInputs.copy("ernie4_5_moe_f32", tmp);
        BrokenInputs.editConfig(ernie, c -> c.remove("moe_num_experts"));
        loadError(ernie, "config.json", "missing required key \"moe_num_experts\"");
        Path ernieK = BrokenInputs.copy("ernie4_5_moe_bf16", tmp);
        BrokenInputs.editConfig(ernieK, c -> c.remove("moe_k"));
        loadError(ernieK, "config.json", "missing required key \"moe_k\"");
        Path granite = BrokenInputs.copy("granitemoe_f32", tmp);
        BrokenInputs.editConfig(granite, c -> c.remove("intermediate_size"));
        loadError(granite, "config.json", "missing required key \"intermediate_size\"");
    }

    @Test
    void headCountThatDoesNotDivideTheWidth() {
        Path dir = BrokenInputs.copy("granitemoeshared_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.put("num_attention_heads", 5).put("num_key_value_heads", 5));
        loadError(dir, "config.json", "hidden_size 48 is not divisible by num_attention_heads 5");
    }

    @Test
    void groupsThatDoNotSplitTheExperts() {
        Path dir = BrokenInputs.copy("glm4_moe_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.put("n_group", 3));
        loadError(dir, "config.json", "n_group 3");
        Path single = BrokenInputs.copy("glm4_moe_bf16", tmp);
        BrokenInputs.editConfig(single, c -> c.put("n_group", 8).put("topk_group", 4));
        loadError(single, "config.json", "n_group 8 leaves 1 expert per group");
    }

    @Test
    void oddRotaryWidth() {
        Path dir = BrokenInputs.copy("glm4_moe_f32", tmp);
        BrokenInputs.editConfig(
                dir, c -> c.withObjectProperty("rope_parameters").put("partial_rotary_factor", 0.45));
        loadError(dir, "config.json", "partial_rotary_factor 0.45 gives a rotary width of 7");
    }

    @Test
    void badMultiplierAndInterval() {
        Path granite = BrokenInputs.copy("granitemoe_bf16", tmp);
        BrokenInputs.editConfig(granite, c -> c.put("logits_scaling", 0));
        loadError(granite, "config.json", "\"logits_scaling\" must be a positive number");
        Path ernie = BrokenInputs.copy("ernie4_5_moe_bf16", tmp);
        BrokenInputs.editConfig(ernie, c -> c.put("moe_layer_interval", 0));
        loadError(ernie, "config.json", "moe_layer_interval must be positive");
    }

    @Test
    void selectionBiasOfTheWrongShape() {
        Path dir = BrokenInputs.copy("ernie4_5_moe_f32", tmp);
        String name = "model.layers.1.mlp.moe_statics.e_score_correction_bias";
        BrokenInputs.editHeader(
                dir.resolve("model.safetensors"),
                h -> ((com.fasterxml.jackson.databind.node.ObjectNode) h.get(name))
                        .putArray("shape")
                        .add(2)
                        .add(4));
        loadError(dir, "model.safetensors", name, "[2, 4]", "[8]");
    }
}
