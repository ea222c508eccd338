package io.moescope.model.runtime;

import static io.moescope.model.BrokenInputs.loadError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.moescope.model.BrokenInputs;
import io.moescope.model.Fixtures;
import io.moescope.model.api.Intervention;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.JsonlTraceWriter;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TraceRecorder;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * qwen3_next / qwen3_5_moe_text beyond ReferenceAgreementTest: the 12 cached decode steps against transformers (whose
 * prefill is the chunked delta rule, and decode the recurrent one — ours is recurrent throughout), the DeltaNet
 * state living in the session, the linear/full split in the trace, and bad input.
 */
class HybridAttentionTest {

    private static final String[] ALL = {"qwen3_next_f32", "qwen3_next_bf16", "qwen3_5_moe_f32", "qwen3_5_moe_bf16"};

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "qwen3_next_f32",
                "qwen3_next_bf16",
                "qwen3_5_moe_f32",
                "qwen3_5_moe_bf16",
                "qwen3_next_gguf_f32",
                "qwen3_5_moe_gguf_f32"
            })
    void cachedDecodeStepsMatchTransformers(String name) throws Exception {
        CachedDecode.assertMatchesTransformers(name);
    }

    @Test
    void theStateLivesInTheSession() throws Exception {
        int[] ids = Fixtures.ints(Fixtures.expected("qwen3_next_f32").get("ids"));
        try (MoeModel model = MoeModel.open(Fixtures.dir("qwen3_next_f32"))) {
            Transformer tf = model.transformer();
            Session whole = tf.newSession();
            float[] once = tf.forward(whole, ids, false, Intervention.NONE, null);
            // the same prompt fed in two pieces: the second continues from the first's conv and recurrent state
            Session split = tf.newSession();
            tf.forward(split, Arrays.copyOf(ids, 7), false, Intervention.NONE, null);
            float[] continued =
                    tf.forward(split, Arrays.copyOfRange(ids, 7, ids.length), false, Intervention.NONE, null);
            double splitError = Fixtures.relativeError(continued, once);
            assertTrue(splitError <= 1e-5, "split prefill " + splitError);
            // a session that already saw the prompt predicts differently; a new one starts clean
            float[] again = tf.forward(whole, ids, false, Intervention.NONE, null);
            assertTrue(Fixtures.relativeError(again, once) > 1e-3, "a second pass over the same session must differ");
            assertArrayEquals(once, tf.forward(tf.newSession(), ids, false, Intervention.NONE, null));
            // restarting from 0 zeroes the state; rewinding into the middle is refused
            whole.truncate(0);
            assertArrayEquals(once, tf.forward(whole, ids, false, Intervention.NONE, null));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> whole.truncate(5));
            assertTrue(e.getMessage().contains("cannot rewind"), e.getMessage());
            assertTrue(whole.cacheBytes() > 0);
        }
    }

    @Test
    void interventionsReachTheHybridMoeLayers() throws Exception {
        int[] ids = Fixtures.ints(Fixtures.expected("qwen3_5_moe_f32").get("ids"));
        try (MoeModel model = MoeModel.open(Fixtures.dir("qwen3_5_moe_f32"))) {
            float[] base = run(model, ids, Intervention.NONE, null);
            TraceRecorder ablated = new TraceRecorder(true);
            run(model, ids, Intervention.NONE.withAblation(2, 0, 1, 2, 3), ablated);
            ablated.of(io.moescope.model.trace.RoutingDecision.class).stream()
                    .filter(d -> d.layer() == 2)
                    .forEach(d -> assertTrue(Arrays.stream(d.experts()).allMatch(e -> e >= 4), "ablated experts"));
            TraceRecorder forced = new TraceRecorder(true);
            run(model, ids, Intervention.NONE.withForced(1, 6, 7, 0), forced);
            forced.of(io.moescope.model.trace.RoutingDecision.class).stream()
                    .filter(d -> d.layer() == 1)
                    .forEach(d -> assertArrayEquals(
                            new int[] {0, 6, 7},
                            Arrays.stream(d.experts()).sorted().toArray(),
                            "forced experts"));
            TraceRecorder top1 = new TraceRecorder(true);
            run(model, ids, Intervention.NONE.withTopK(1), top1);
            top1.of(io.moescope.model.trace.RoutingDecision.class)
                    .forEach(d -> assertEquals(1, d.experts().length, "top-1"));
            for (Intervention iv : List.of(
                    Intervention.NONE.withAblation(0, 3),
                    Intervention.NONE.withTopK(1),
                    Intervention.NONE.withAlwaysOnOff(true))) {
                assertTrue(Fixtures.relativeError(run(model, ids, iv, null), base) > 1e-3, iv + " changes the logits");
            }
        }
    }

    private static float[] run(MoeModel model, int[] ids, Intervention iv, TraceRecorder rec) {
        GenerationRequest req = new GenerationRequest(ids, 0, SamplingParams.GREEDY, iv, false, false);
        return new Generator(model)
                .generate(req, rec == null ? io.moescope.model.trace.TraceSink.DISABLED : rec, TokenListener.NONE)
                .lastLogits();
    }

    @Test
    void theTraceTellsLinearFromFullAttentionLayers() throws Exception {
        for (String name : ALL) {
            int[] linear = Fixtures.ints(Fixtures.expected(name).get("linear_attention_layers"));
            try (MoeModel model = MoeModel.open(Fixtures.dir(name))) {
                assertArrayEquals(linear, model.shape().linearAttentionLayers(), name);
                Path file = tmp.resolve(name + ".jsonl");
                try (OutputStream out = Files.newOutputStream(file);
                        JsonlTraceWriter w = new JsonlTraceWriter(out, false)) {
                    new Generator(model)
                            .generate(
                                    GenerationRequest.of(new int[] {5, 6, 7}, 2, SamplingParams.GREEDY),
                                    w,
                                    TokenListener.NONE);
                }
                SequenceStarted start =
                        (SequenceStarted) JsonlTraceReader.readAll(file).get(0);
                assertArrayEquals(linear, start.shape().linearAttentionLayers(), name + " after a JSONL round trip");
                assertEquals(model.shape(), start.shape());
            }
        }
        try (MoeModel model = MoeModel.open(Fixtures.dir("qwen3_moe_f32"))) {
            assertEquals(0, model.shape().linearAttentionLayers().length);
        }
    }

    @Test
    void configReadsTheHybridShape() throws Exception {
        try (MoeModel model = MoeModel.open(Fixtures.dir("qwen3_next_f32"))) {
            var hy = model.config().hybrid();
            assertArrayEquals(new int[] {0, 2, 3}, hy.linearLayers());
            assertEquals(3, hy.convKernel());
            assertEquals(8, hy.rotaryDim()); // rope_parameters' 0.5 · head_dim 16, not the stale top-level 0.25
            assertArrayEquals(new int[] {0, 1, 3}, model.config().moeLayers()); // mlp_only_layers [2]
            assertEquals(false, model.config().normTopkProb());
        }
        try (MoeModel model = MoeModel.open(Fixtures.dir("qwen3_5_moe_f32"))) {
            assertArrayEquals(new int[] {0, 1, 3}, model.config().hybrid().linearLayers());
            assertArrayEquals(new int[] {0, 1, 2, 3}, model.config().moeLayers());
            assertEquals(1, model.config().sharedExperts());
        }
    }

    @Test
    void layerTypesOfTheWrongLength() {
        Path dir = BrokenInputs.copy("qwen3_next_f32", tmp);
        BrokenInputs.editConfig(dir, c -> ((ArrayNode) c.get("layer_types")).remove(3));
        loadError(dir, "config.json", "\"layer_types\" has 3 entries but num_hidden_layers is 4");
    }

    @Test
    void unknownLayerType() {
        Path dir = BrokenInputs.copy("qwen3_5_moe_f32", tmp);
        BrokenInputs.editConfig(dir, c -> ((ArrayNode) c.get("layer_types")).set(1, "sliding_attention"));
        loadError(dir, "config.json", "\"layer_types\"[1] is 'sliding_attention'");
    }

    @Test
    void valueHeadsMustBeAMultipleOfKeyHeads() {
        Path dir = BrokenInputs.copy("qwen3_next_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.put("linear_num_value_heads", 3));
        loadError(dir, "config.json", "linear_num_value_heads 3 is not a multiple of linear_num_key_heads 2");
    }

    @Test
    void missingConvKernelNamesTheKey() {
        Path dir = BrokenInputs.copy("qwen3_5_moe_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.remove("linear_conv_kernel_dim"));
        loadError(dir, "config.json", "missing required key \"linear_conv_kernel_dim\"");
    }

    @Test
    void missingSharedExpertWidthNamesTheKey() {
        Path dir = BrokenInputs.copy("qwen3_next_bf16", tmp);
        BrokenInputs.editConfig(dir, c -> c.remove("shared_expert_intermediate_size"));
        loadError(dir, "config.json", "missing required key \"shared_expert_intermediate_size\"");
    }

    @Test
    void aConvKernelTheCheckpointDoesNotHave() {
        Path dir = BrokenInputs.copy("qwen3_next_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.put("linear_conv_kernel_dim", 4));
        loadError(dir, "model.safetensors", "model.layers.0.linear_attn.conv1d.weight", "[80, 1, 3]", "[80, 1, 4]");
    }

    @Test
    void aQueryProjectionWithoutItsGateRows() {
        Path dir = BrokenInputs.copy("qwen3_5_moe_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.put("num_attention_heads", 8)); // q_proj [128, 48] would then be ungated
        loadError(dir, "model.safetensors", "model.layers.2.self_attn.q_proj.weight", "[128, 48]", "[256, 48]");
    }
}
