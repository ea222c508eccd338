package io.moescope.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.BrokenInputs;
import io.moescope.model.Fixtures;
import io.moescope.model.Fp8Fixtures;
import io.moescope.model.MlaFixtures;
import io.moescope.model.io.DType;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.WeightBlockSize;
import io.moescope.model.io.WeightStore;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.JsonlTraceWriter;
import io.moescope.model.trace.LogitsRecorded;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceRecorder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeepSeek-V2/V3 loading: FP8 block scales, MTP layer, YaRN always on, and clear errors for bad checkpoints. */
class MlaLoadTest {

    @TempDir
    Path tmp;

    static float[][] logits(Path dir) throws Exception {
        try (MoeModel m = MoeModel.open(dir)) {
            int[] ids = Fixtures.ints(Fixtures.expected("deepseek_v2_lite_f32").get("ids"));
            TraceRecorder rec = new TraceRecorder(true);
            new Generator(m).generate(GenerationRequest.of(ids, 0, SamplingParams.GREEDY), rec, TokenListener.NONE);
            return rec.of(LogitsRecorded.class).stream()
                    .map(LogitsRecorded::values)
                    .toArray(float[][]::new);
        }
    }

    @Test
    void fp8WeightsTimesBlockScalesEqualTheFloat32FixtureBitForBit() throws Exception {
        try (WeightStore fp8 = WeightStore.open(Fixtures.dir("deepseek_v3_fp8"));
                WeightStore f32 = WeightStore.open(Fixtures.dir("deepseek_v3_f32"))) {
            String gate = "model.layers.0.mlp.gate_proj.weight"; // [160, 64]: row blocks 128 + 32
            assertEquals(DType.F8_E4M3, fp8.info(gate).dtype());
            assertArrayEquals(new long[] {2, 1}, fp8.info(gate + "_scale_inv").shape());
            int n = 0;
            for (String name : f32.tensors().keySet()) {
                if (fp8.info(name).dtype() == DType.F8_E4M3) {
                    assertArrayEquals(f32.readFloats(name), fp8.readFloats(name), name);
                    n++;
                }
            }
            assertTrue(n > 100, n + " FP8 tensors");
            float[] rows = new float[40 * 64]; // rows 110..149 straddle the 128-row block boundary
            float[] want = new float[40 * 64];
            fp8.readRows(fp8.info(gate), 110, 40, rows, 0);
            f32.readRows(f32.info(gate), 110, 40, want, 0);
            assertArrayEquals(want, rows);
        }
    }

    @Test
    void fp8WithA32By16BlockFromTheConfigEqualsTheFloat32Model() throws Exception {
        Path dir = Fp8Fixtures.reblocked(tmp.resolve("b32x16"), 32, 16, List.of(32, 16));
        try (WeightStore fp8 = WeightStore.open(dir, new WeightBlockSize(32, 16));
                WeightStore f32 = WeightStore.open(Fixtures.dir("deepseek_v3_f32"))) {
            String gate = "model.layers.0.mlp.gate_proj.weight"; // [160, 64] → 5 × 4 blocks of 32 × 16
            assertArrayEquals(new long[] {5, 4}, fp8.info(gate + "_scale_inv").shape());
            assertArrayEquals(f32.readFloats(gate), fp8.readFloats(gate));
        }
        float[][] fp8 = logits(dir);
        float[][] f32 = logits(Fixtures.dir("deepseek_v3_f32"));
        for (int t = 0; t < f32.length; t++) {
            assertArrayEquals(f32[t], fp8[t], "position " + t);
        }
    }

    @Test
    void scalesThatDoNotFitTheDeclaredBlockAreAOneLineError() throws Exception {
        // The fixture's scales are on the 128×128 grid; the config now declares 64×64.
        Path dir = MlaFixtures.copy(
                tmp,
                "deepseek_v3_fp8",
                Map.of(
                        "quantization_config",
                        Map.of("quant_method", "fp8", "fmt", "e4m3", "weight_block_size", List.of(64, 64))));
        ModelLoadException e = openFails(dir);
        BrokenInputs.assertMessage(
                e.getMessage(),
                dir.resolve("model.safetensors") + ": block scales '",
                "_scale_inv' have shape",
                "in 64×64 blocks",
                "quantization_config.weight_block_size [64, 64]",
                "needs");
        // The same scales read as 128×128 when the config names no block (DeepSeek-V3's default).
        Path plain = MlaFixtures.copy(
                tmp.resolve("plain"), "deepseek_v3_fp8", Collections.singletonMap("quantization_config", null));
        assertArrayEquals(logits(Fixtures.dir("deepseek_v3_f32"))[0], logits(plain)[0]);
    }

    @Test
    void mtpLayerBeyondNumHiddenLayersIsSkipped() throws Exception {
        try (WeightStore s = WeightStore.open(Fixtures.dir("deepseek_v3_fp8"))) {
            assertTrue(s.has("model.layers.4.eh_proj.weight"), "the fixture carries an MTP layer 4");
        }
        float[][] fp8 = logits(Fixtures.dir("deepseek_v3_fp8"));
        float[][] f32 = logits(Fixtures.dir("deepseek_v3_f32"));
        for (int t = 0; t < f32.length; t++) {
            assertArrayEquals(f32[t], fp8[t], "position " + t);
        }
    }

    @Test
    void yarnChangesEveryPositionButTheFirst() throws Exception {
        Map<String, Object> plain = new HashMap<>();
        plain.put("rope_scaling", null);
        float[][] yarn = logits(Fixtures.dir("deepseek_v2_lite_f32"));
        float[][] noYarn = logits(MlaFixtures.copy(tmp, "deepseek_v2_lite_f32", plain));
        assertArrayEquals(yarn[0], noYarn[0], 1e-5f, "one token: neither frequencies nor mscale² matter");
        double d = 0;
        for (int v = 0; v < yarn[8].length; v++) {
            d = Math.max(d, Math.abs(yarn[8][v] - noYarn[8][v]));
        }
        assertTrue(d > 1e-2, "YaRN is static: it changes logits at short positions too, diff " + d);
    }

    @Test
    void v3TraceCarriesSelectionScoresAndKeptGroupsThroughJsonl() throws Exception {
        Path file = tmp.resolve("trace.jsonl");
        try (MoeModel m = MoeModel.open(Fixtures.dir("deepseek_v3_f32"));
                JsonlTraceWriter w = new JsonlTraceWriter(java.nio.file.Files.newOutputStream(file), false)) {
            new Generator(m)
                    .generate(
                            GenerationRequest.of(new int[] {5, 6, 7}, 0, SamplingParams.GREEDY), w, TokenListener.NONE);
        }
        List<RoutingDecision> ds = JsonlTraceReader.readAll(file).stream()
                .filter(e -> e instanceof RoutingDecision)
                .map(e -> (RoutingDecision) e)
                .toList();
        assertEquals(3 * 3, ds.size(), "3 MoE layers × 3 positions");
        for (RoutingDecision d : ds) {
            assertEquals(16, d.selectionScores().length);
            assertEquals(2, d.keptGroups().length);
            for (int e : d.experts()) {
                assertTrue(
                        java.util.Arrays.binarySearch(d.keptGroups(), e / 4) >= 0, "expert " + e + " in a kept group");
            }
        }
    }

    ModelLoadException openFails(Path dir) {
        return assertThrows(ModelLoadException.class, () -> MoeModel.open(dir).close());
    }

    @Test
    void missingScaleTensorIsNamed() throws Exception {
        Path dir = MlaFixtures.copy(tmp, "deepseek_v3_fp8", Map.of());
        String scale = "model.layers.1.self_attn.kv_b_proj.weight_scale_inv";
        MlaFixtures.renameTensor(dir, scale, scale.substring(0, scale.length() - 1) + "X");
        String msg = openFails(dir).getMessage();
        assertTrue(msg.contains("'" + scale + "'") && msg.contains("missing"), msg);
    }

    @Test
    void inconsistentRanksNameTheTensorAndTheKey() throws Exception {
        String msg = openFails(MlaFixtures.copy(tmp.resolve("a"), "deepseek_v3_f32", Map.of("kv_lora_rank", 24)))
                .getMessage();
        assertTrue(msg.contains("kv_a_proj_with_mqa") && msg.contains("kv_lora_rank 24"), msg);
        msg = openFails(MlaFixtures.copy(tmp.resolve("b"), "deepseek_v2_f32", Map.of("v_head_dim", 12)))
                .getMessage();
        assertTrue(msg.contains("kv_b_proj") && msg.contains("v_head_dim 12"), msg);
        msg = openFails(MlaFixtures.copy(tmp.resolve("c"), "deepseek_v2_f32", Map.of("q_lora_rank", 16)))
                .getMessage();
        assertTrue(msg.contains("q_a_proj") && msg.contains("q_lora_rank 16"), msg);
        Map<String, Object> noLora = new HashMap<>();
        noLora.put("q_lora_rank", null);
        msg = openFails(MlaFixtures.copy(tmp.resolve("d"), "deepseek_v3_f32", noLora))
                .getMessage();
        assertTrue(msg.contains("q_a_proj") && msg.contains("q_lora_rank"), msg);
    }

    @Test
    void oddRopeDimAndBadGroupsAreConfigErrors() throws Exception {
        String msg = openFails(MlaFixtures.copy(tmp.resolve("a"), "deepseek_v2_f32", Map.of("qk_rope_head_dim", 7)))
                .getMessage();
        assertTrue(msg.contains("qk_rope_head_dim 7") && msg.contains("odd"), msg);
        msg = openFails(MlaFixtures.copy(tmp.resolve("b"), "deepseek_v2_f32", Map.of("n_group", 3)))
                .getMessage();
        assertTrue(msg.contains("n_group 3"), msg);
        msg = openFails(MlaFixtures.copy(tmp.resolve("c"), "deepseek_v3_f32", Map.of("topk_method", "top_p")))
                .getMessage();
        assertTrue(msg.contains("top_p"), msg);
    }

    @Test
    void indexNamingAMissingShardIsAClearError() throws Exception {
        Path dir = MlaFixtures.copy(tmp, "deepseek_v3_fp8", Map.of());
        Map<String, String> map = new TreeMap<>();
        try (WeightStore s = WeightStore.open(dir)) {
            s.tensors().keySet().forEach(n -> map.put(n, "model.safetensors"));
        }
        map.put("model.layers.3.mlp.gate.weight", "model-00002-of-00002.safetensors");
        new ObjectMapper()
                .writeValue(
                        dir.resolve("model.safetensors.index.json").toFile(),
                        Map.of("metadata", Map.of(), "weight_map", map));
        String msg = openFails(dir).getMessage();
        assertTrue(msg.contains("model-00002-of-00002.safetensors") && msg.contains("does not exist"), msg);
    }
}
