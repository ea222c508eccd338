package io.moescope.model.runtime;

import static io.moescope.model.BrokenInputs.loadError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.moescope.model.BrokenInputs;
import io.moescope.model.Fixtures;
import io.moescope.model.api.Intervention;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.JsonlTraceWriter;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TokenMixer;
import io.moescope.model.trace.TraceRecorder;
import io.moescope.model.trace.TraceSink;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * lfm2_moe beyond ReferenceAgreementTest: 12 cached decode steps against transformers (the short convolutions' state
 * carried across steps), the conv state living in the session, the conv/attention split in the trace header,
 * interventions, and bad input.
 */
class Lfm2MoeTest {

    private static final TokenMixer C = TokenMixer.SHORT_CONV;
    private static final TokenMixer A = TokenMixer.ATTENTION;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lfm2_moe_f32", "lfm2_moe_bf16"})
    void cachedDecodeStepsMatchTransformers(String name) throws Exception {
        CachedDecode.assertMatchesTransformers(name);
    }

    @Test
    void configReadsTheConvLayersAndTheDenseOnes() throws Exception {
        try (MoeModel model = MoeModel.open(Fixtures.dir("lfm2_moe_f32"))) {
            var sc = model.config().extras().shortConv();
            assertArrayEquals(new int[] {0, 2, 3}, sc.convLayers());
            assertEquals(4, sc.kernel());
            assertEquals(false, sc.bias());
            assertArrayEquals(new int[] {1, 2, 3, 4}, model.config().moeLayers()); // num_dense_layers 1
            assertEquals(1e-5, model.config().rmsNormEps()); // norm_eps
            assertEquals(1.5, model.config().routedScalingFactor());
            assertEquals(null, model.config().hybrid());
        }
        try (MoeModel model = MoeModel.open(Fixtures.dir("lfm2_moe_bf16"))) {
            assertTrue(model.config().extras().shortConv().bias());
        }
    }

    @Test
    void theConvStateLivesInTheSession() throws Exception {
        int[] ids = Fixtures.ints(Fixtures.expected("lfm2_moe_f32").get("ids"));
        try (MoeModel model = MoeModel.open(Fixtures.dir("lfm2_moe_f32"))) {
            Transformer tf = model.transformer();
            Session whole = tf.newSession();
            float[] once = tf.forward(whole, ids, false, Intervention.NONE, null);
            Session split = tf.newSession(); // pieces shorter than the kernel: the state must bridge them
            int at = 0;
            float[] last = null;
            for (int len : new int[] {2, 1, 5, 1, 11}) {
                last = tf.forward(split, Arrays.copyOfRange(ids, at, at + len), false, Intervention.NONE, null);
                at += len;
            }
            assertEquals(ids.length, at);
            assertTrue(Fixtures.relativeError(last, once) <= 1e-5, "split prefill");
            assertEquals(ids.length, split.length());
            whole.truncate(0);
            assertArrayEquals(once, tf.forward(whole, ids, false, Intervention.NONE, null));
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> whole.truncate(5));
            assertTrue(e.getMessage().contains("short-conv) state cannot rewind"), e.getMessage());
        }
    }

    @Test
    void theTraceHeaderTellsConvFromAttentionLayers() throws Exception {
        try (MoeModel model = MoeModel.open(Fixtures.dir("lfm2_moe_bf16"))) {
            assertArrayEquals(new TokenMixer[] {C, A, C, C, A}, model.shape().tokenMixers());
            assertEquals(0, model.shape().linearAttentionLayers().length);
            Path file = tmp.resolve("lfm2.jsonl");
            try (OutputStream out = Files.newOutputStream(file);
                    JsonlTraceWriter w = new JsonlTraceWriter(out, false)) {
                new Generator(model)
                        .generate(
                                GenerationRequest.of(new int[] {5, 6, 7}, 2, SamplingParams.GREEDY),
                                w,
                                TokenListener.NONE);
            }
            assertTrue(
                    Files.readAllLines(file)
                            .get(0)
                            .contains(
                                    "\"token_mixers\":[\"short_conv\",\"attention\",\"short_conv\",\"short_conv\",\"attention\"]"));
            SequenceStarted start =
                    (SequenceStarted) JsonlTraceReader.readAll(file).get(0);
            assertEquals(model.shape(), start.shape());
        }
    }

    @Test
    void interventionsReachTheMoeLayers() throws Exception {
        int[] ids = Fixtures.ints(Fixtures.expected("lfm2_moe_f32").get("ids"));
        try (MoeModel model = MoeModel.open(Fixtures.dir("lfm2_moe_f32"))) {
            float[] base = run(model, ids, Intervention.NONE, null);
            TraceRecorder ablated = new TraceRecorder(true);
            run(model, ids, Intervention.NONE.withAblation(2, 0, 1, 2, 3), ablated);
            ablated.of(RoutingDecision.class).stream()
                    .filter(d -> d.layer() == 2)
                    .forEach(d -> assertTrue(Arrays.stream(d.experts()).allMatch(e -> e >= 4), "ablated experts"));
            TraceRecorder forced = new TraceRecorder(true);
            run(model, ids, Intervention.NONE.withForced(3, 6, 7, 0), forced);
            forced.of(RoutingDecision.class).stream()
                    .filter(d -> d.layer() == 3)
                    .forEach(d -> assertArrayEquals(
                            new int[] {0, 6, 7},
                            Arrays.stream(d.experts()).sorted().toArray(),
                            "forced experts"));
            TraceRecorder top1 = new TraceRecorder(true);
            run(model, ids, Intervention.NONE.withTopK(1), top1);
            top1.of(RoutingDecision.class).forEach(d -> assertEquals(1, d.experts().length, "top-1"));
            assertEquals(4 * ids.length, top1.of(RoutingDecision.class).size()); // layer 0 is dense
            for (Intervention iv :
                    new Intervention[] {Intervention.NONE.withAblation(4, 5), Intervention.NONE.withTopK(1)}) {
                assertTrue(Fixtures.relativeError(run(model, ids, iv, null), base) > 1e-3, iv + " changes the logits");
            }
        }
    }

    private static float[] run(MoeModel model, int[] ids, Intervention iv, TraceRecorder rec) {
        GenerationRequest req = new GenerationRequest(ids, 0, SamplingParams.GREEDY, iv, false, false);
        return new Generator(model)
                .generate(req, rec == null ? TraceSink.DISABLED : rec, TokenListener.NONE)
                .lastLogits();
    }

    @Test
    void missingExpertCountNamesTheKey() {
        Path dir = BrokenInputs.copy("lfm2_moe_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.remove("num_experts"));
        loadError(dir, "config.json", "missing required key \"num_experts\"");
    }

    @Test
    void missingLayerTypesNamesTheKey() {
        Path dir = BrokenInputs.copy("lfm2_moe_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.remove("layer_types"));
        loadError(dir, "config.json", "missing required key \"layer_types\"");
    }

    @Test
    void layerTypesOfTheWrongLength() {
        Path dir = BrokenInputs.copy("lfm2_moe_f32", tmp);
        BrokenInputs.editConfig(dir, c -> ((ArrayNode) c.get("layer_types")).remove(4));
        loadError(dir, "config.json", "\"layer_types\" has 4 entries but num_hidden_layers is 5");
    }

    @Test
    void unknownLayerType() {
        Path dir = BrokenInputs.copy("lfm2_moe_f32", tmp);
        BrokenInputs.editConfig(dir, c -> ((ArrayNode) c.get("layer_types")).set(2, "linear_attention"));
        loadError(dir, "config.json", "\"layer_types\"[2] is 'linear_attention'");
    }

    @Test
    void headsThatDoNotDivideTheWidth() {
        Path dir = BrokenInputs.copy("lfm2_moe_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.put("num_attention_heads", 6));
        loadError(dir, "config.json", "hidden_size 32 is not divisible by num_attention_heads 6");
    }

    @Test
    void tooManyDenseLayers() {
        Path dir = BrokenInputs.copy("lfm2_moe_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.put("num_dense_layers", 6));
        loadError(dir, "config.json", "num_dense_layers 6 is outside 0..5");
    }

    @Test
    void aConvKernelTheCheckpointDoesNotHave() {
        Path dir = BrokenInputs.copy("lfm2_moe_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.put("conv_L_cache", 3));
        loadError(dir, "model.safetensors", "model.layers.0.conv.conv.weight", "[32, 1, 4]", "[32, 1, 3]");
    }

    @Test
    void convBiasesTheCheckpointDoesNotHave() {
        Path dir = BrokenInputs.copy("lfm2_moe_f32", tmp);
        BrokenInputs.editConfig(dir, c -> c.put("conv_bias", true));
        loadError(dir, "missing tensor 'model.layers.0.conv.in_proj.bias'");
    }
}
